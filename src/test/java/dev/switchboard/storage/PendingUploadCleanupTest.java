package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each cleanup step runs on its own, and a remembered key is forgotten only once its object is
 * deleted.
 */
class PendingUploadCleanupTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  final FileStore store = mock(FileStore.class);
  final ObjectStorage storage = mock(ObjectStorage.class);
  final FileService files =
      new FileService(
          storage,
          store,
          new UploadPolicy(Map.of("image/*", 1024L)),
          e -> {},
          new ManualClock(NOW));
  final PendingUploadCleanup cleanup = new PendingUploadCleanup(files, storage);

  @Test
  void runWhenAbandonedUploadsFailThenRememberedKeysAreStillSweptAndMarkersPruned() {
    when(store.olderThan(any(), any(), anyInt()))
        .thenThrow(new IllegalStateException("database away"));
    when(store.tombstonesDue(any(), anyInt())).thenReturn(List.of(tombstone("uploads/u/1/a.png")));

    assertThat(cleanup.run()).isOne();

    verify(storage).delete("uploads/u/1/a.png");
    verify(store).forgetTombstone("uploads/u/1/a.png");
    verify(storage).forgetDeletedKeys();
  }

  @Test
  void runWhenObjectDeleteFailsThenKeyKeptAndRetriedBehindTheKeysDueNow() {
    when(store.olderThan(any(), any(), anyInt())).thenReturn(List.of());
    when(store.tombstonesDue(any(), anyInt())).thenReturn(List.of(tombstone("uploads/u/2/b.png")));
    doThrow(new StorageException("bucket away", true, null))
        .when(storage)
        .delete("uploads/u/2/b.png");

    assertThat(cleanup.run()).isZero();

    verify(store, never()).forgetTombstone(any());
    verify(store).postponeTombstone("uploads/u/2/b.png", NOW.plus(FileService.SWEEP_RETRY_DELAY));
    verify(storage).forgetDeletedKeys();
  }

  @Test
  void sweepWhenOneKeysDeleteAlwaysFailsThenTheOthersAreStillSwept() {
    when(store.tombstonesDue(any(), anyInt()))
        .thenReturn(
            List.of(
                tombstone("uploads/u/3/bad.png"),
                tombstone("uploads/u/4/c.png"),
                tombstone("uploads/u/5/d.png")));
    doThrow(new StorageException("access denied", false, null))
        .when(storage)
        .delete("uploads/u/3/bad.png");

    assertThat(files.sweepTombstones(PendingUploadCleanup.BATCH)).isEqualTo(2);

    verify(storage).delete("uploads/u/4/c.png");
    verify(storage).delete("uploads/u/5/d.png");
    verify(store).forgetTombstone("uploads/u/4/c.png");
    verify(store).forgetTombstone("uploads/u/5/d.png");
    verify(store, never()).forgetTombstone("uploads/u/3/bad.png");
  }

  @Test
  void sweepWhenBeforeTheLastSweepThenObjectDeletedAndKeyKeptUntilThen() {
    Instant last = NOW.plusSeconds(60);
    when(store.tombstonesDue(any(), anyInt()))
        .thenReturn(List.of(new FileStore.Tombstone("uploads/u/6/e.png", last)));

    assertThat(files.sweepTombstones(PendingUploadCleanup.BATCH)).isOne();

    verify(storage).delete("uploads/u/6/e.png");
    verify(store).postponeTombstone("uploads/u/6/e.png", last);
    verify(store, never()).forgetTombstone(any());
  }

  /** A key whose last sweep has passed. */
  private static FileStore.Tombstone tombstone(String key) {
    return new FileStore.Tombstone(key, NOW.minusSeconds(1));
  }
}
