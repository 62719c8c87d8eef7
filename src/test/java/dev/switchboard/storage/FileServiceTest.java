package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A completion that finds the wrong bytes deletes them only once it has rejected the file itself.
 */
class FileServiceTest {

  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final byte[] PDF = Samples.pdf();

  final FileStore store = mock(FileStore.class);
  final ObjectStorage storage = mock(ObjectStorage.class);
  final FileService files =
      new FileService(
          storage,
          store,
          new UploadPolicy(Map.of("image/*", 1024L * 1024)),
          e -> {},
          new ManualClock(NOW));
  final StoredFile pending = file(FileStatus.PENDING);

  @Test
  void presignWhenFilesAreMadeOneAfterAnotherThenTheirIdsSortInThatOrder() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(files.presign("usr_a", "photo.png", "image/png", 10L).file().id());
      Thread.sleep(2);
    }

    assertThat(ids)
        .isSorted()
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("file_[0-9a-f]{24}"));
    // The id's first half is the creation time: the index of the primary key is appended to.
    long made = Long.parseLong(ids.get(0).substring(5, 17), 16);
    assertThat(Math.abs(made - System.currentTimeMillis())).isLessThan(60_000);
  }

  @Test
  void presignWhenManyFilesAreMadeAtOnceThenEveryIdIsNew() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(FileService.fileId());
    }

    assertThat(ids).hasSize(10_000);
  }

  @Test
  void
      completeWhenAnOverlappingCompletionMadeTheFileReadyFirstThenObjectKeptAndReadyFileReturned() {
    StoredFile ready = file(FileStatus.READY);
    when(store.find(pending.id())).thenReturn(Optional.of(pending), Optional.of(ready));
    when(storage.head(pending.key()))
        .thenReturn(Optional.of(new StoredObject(PDF.length, "image/png")));
    when(storage.readPrefix(anyString(), any(Integer.class))).thenReturn(Optional.of(PDF));
    when(store.reject(any(), any(), any(), any(), any())).thenReturn(false);

    assertThat(files.complete("usr_a", pending.id())).isEqualTo(ready);

    verify(storage, never()).delete(any());
  }

  @Test
  void completeWhenRejectedAndTheObjectDeleteFailsThenStillRejectedAndLeftToTheCleanup() {
    when(store.find(pending.id())).thenReturn(Optional.of(pending));
    when(storage.head(pending.key()))
        .thenReturn(Optional.of(new StoredObject(PDF.length, "image/png")));
    when(storage.readPrefix(anyString(), any(Integer.class))).thenReturn(Optional.of(PDF));
    when(store.reject(any(), any(), any(), any(), any())).thenReturn(true);
    doThrow(new StorageException("bucket away", true, null)).when(storage).delete(pending.key());

    assertThatThrownBy(() -> files.complete("usr_a", pending.id()))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("content_mismatch"));

    verify(store).reject(any(), any(), any(), any(), any());
  }

  private static StoredFile file(FileStatus status) {
    return new StoredFile(
        "file_0123456789abcdef01234567",
        "usr_a",
        "uploads/usr_a/0f/cat.png",
        "cat.png",
        "image/png",
        PDF.length,
        status,
        Optional.empty(),
        Optional.empty(),
        NOW.minusSeconds(60),
        Optional.empty());
  }
}
