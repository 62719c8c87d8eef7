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

/** Each cleanup step runs on its own, and a remembered key is forgotten only once its object is deleted. */
class PendingUploadCleanupTest {

  final FileStore store = mock(FileStore.class);
  final ObjectStorage storage = mock(ObjectStorage.class);
  final FileService files = new FileService(storage, store, new UploadPolicy(Map.of("image/*", 1024L)), e -> {},
      new ManualClock(Instant.parse("2026-03-01T10:00:00Z")));
  final PendingUploadCleanup cleanup = new PendingUploadCleanup(files, storage);

  @Test
  void runWhenAbandonedUploadsFailThenRememberedKeysAreStillSweptAndMarkersPruned() {
    when(store.olderThan(any(), any(), anyInt())).thenThrow(new IllegalStateException("database away"));
    when(store.tombstonesExpiredBefore(any(), anyInt())).thenReturn(List.of("uploads/u/1/a.png"));

    assertThat(cleanup.run()).isOne();

    verify(storage).delete("uploads/u/1/a.png");
    verify(store).forgetTombstone("uploads/u/1/a.png");
    verify(storage).forgetDeletedKeys();
  }

  @Test
  void runWhenObjectDeleteFailsThenKeyKeptForTheNextRun() {
    when(store.olderThan(any(), any(), anyInt())).thenReturn(List.of());
    when(store.tombstonesExpiredBefore(any(), anyInt())).thenReturn(List.of("uploads/u/2/b.png"));
    doThrow(new StorageException("bucket away", true, null)).when(storage).delete("uploads/u/2/b.png");

    assertThat(cleanup.run()).isZero();

    verify(store, never()).forgetTombstone(any());
    verify(storage).forgetDeletedKeys();
  }
}
