package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What {@link JdbcFileStore} must do on every database, for the remembered keys of deleted uploads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FileStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Instant EXPIRES = T0.plus(FileService.UPLOAD_URL_VALIDITY);
  static final Instant LAST = T0.plus(FileService.PENDING_RETENTION);
  static final FileStore.Sweeps SWEEPS = new FileStore.Sweeps(EXPIRES, LAST);

  HikariDataSource dataSource;
  JdbcFileStore store;

  abstract HikariDataSource open();

  @BeforeAll
  void migrate() {
    dataSource = open();
    store = storeOn(dataSource);
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  /** The store as the application wires it: client, template and transactions on one pool. */
  static JdbcFileStore storeOn(DataSource dataSource) {
    return new JdbcFileStore(
        JdbcClient.create(dataSource),
        new JdbcTemplate(dataSource),
        new DataSourceTransactionManager(dataSource));
  }

  StoredFile pending(Instant createdAt) {
    return pending(store, createdAt);
  }

  static StoredFile pending(FileStore store, Instant createdAt) {
    String uuid = UUID.randomUUID().toString();
    StoredFile file =
        new StoredFile(
            "file_" + uuid.replace("-", "").substring(0, 24),
            "usr_store",
            "uploads/usr_store/" + uuid + "/a.png",
            "a.png",
            "image/png",
            10,
            FileStatus.PENDING,
            Optional.empty(),
            Optional.empty(),
            createdAt,
            Optional.empty());
    store.insert(file);
    return file;
  }

  List<String> remembered(StoredFile... files) {
    List<String> keys = List.of(files).stream().map(StoredFile::key).toList();
    return store.tombstonesDue(Instant.parse("2100-01-01T00:00:00Z"), 10_000).stream()
        .map(FileStore.Tombstone::key)
        .filter(keys::contains)
        .toList();
  }

  @Test
  void deleteWhenSweepsGivenThenRowGoneAndKeyDueAtTheFirstWithTheLast() {
    StoredFile file = pending(T0);

    assertThat(store.delete(file.id(), Optional.of(SWEEPS))).isTrue();

    assertThat(store.find(file.id())).isEmpty();
    assertThat(store.tombstonesDue(EXPIRES, 10_000))
        .doesNotContain(new FileStore.Tombstone(file.key(), LAST));
    assertThat(store.tombstonesDue(EXPIRES.plusMillis(1), 10_000))
        .contains(new FileStore.Tombstone(file.key(), LAST));
  }

  @Test
  void postponeTombstoneThenDueOnlyFromTheNewTime() {
    StoredFile file = pending(T0);
    store.delete(file.id(), Optional.of(SWEEPS));

    store.postponeTombstone(file.key(), LAST);

    assertThat(store.tombstonesDue(LAST, 10_000))
        .extracting(FileStore.Tombstone::key)
        .doesNotContain(file.key());
    assertThat(store.tombstonesDue(LAST.plusMillis(1), 10_000))
        .extracting(FileStore.Tombstone::key)
        .contains(file.key());
  }

  @Test
  void deleteWhenNoExpiryGivenThenNothingRemembered() {
    StoredFile file = pending(T0);

    assertThat(store.delete(file.id(), Optional.empty())).isTrue();

    assertThat(remembered(file)).isEmpty();
  }

  /**
   * The row is gone, so there is no key to remember either; the rollback of a key remembered before
   * the change failed is what {@link #rejectWhenNoLongerPendingThenFalseAndNothingRemembered} shows
   * (the row is there).
   */
  @Test
  void deleteWhenRowAlreadyGoneThenFalse() {
    StoredFile file = pending(T0);
    store.delete(file.id(), Optional.empty());

    assertThat(store.delete(file.id(), Optional.of(SWEEPS))).isFalse();

    assertThat(remembered(file)).isEmpty();
  }

  @Test
  void rejectWhenPendingThenRejectedAndKeyRemembered() {
    StoredFile file = pending(T0);

    assertThat(
            store.reject(
                file.id(),
                Optional.of("application/pdf"),
                "bytes are a pdf",
                T0,
                Optional.of(SWEEPS)))
        .isTrue();

    StoredFile rejected = store.find(file.id()).orElseThrow();
    assertThat(rejected.status()).isEqualTo(FileStatus.REJECTED);
    assertThat(rejected.rejectReason()).contains("bytes are a pdf");
    assertThat(remembered(file)).containsExactly(file.key());
  }

  @Test
  void rejectWhenNoLongerPendingThenFalseAndNothingRemembered() {
    StoredFile file = pending(T0);
    store.finish(file.id(), FileStatus.READY, Optional.of("image/png"), Optional.empty(), T0);

    assertThat(store.reject(file.id(), Optional.empty(), "late", T0, Optional.of(SWEEPS)))
        .isFalse();

    assertThat(store.find(file.id()).orElseThrow().status()).isEqualTo(FileStatus.READY);
    assertThat(remembered(file)).isEmpty();
  }

  @Test
  void deleteWhenRejectedFileWasRememberedThenRememberedOnce() {
    StoredFile file = pending(T0);
    store.reject(file.id(), Optional.empty(), "wrong", T0, Optional.of(SWEEPS));

    assertThat(store.delete(file.id(), Optional.of(SWEEPS))).isTrue();

    assertThat(store.find(file.id())).isEmpty();
    assertThat(remembered(file)).containsExactly(file.key());
  }

  /**
   * A batch of keys whose delete always fails, due before the others: they go behind the keys due
   * now, so the second run reaches the others (a run stops after a batch that did not finish
   * whole). On a database of its own, so the other tests' keys take no place in the batches.
   */
  @Test
  void
      cleanupWhenTheEarliestKeysAlwaysFailThenTheLaterOnesAreSweptByTheSecondRunAndTheFailingKept() {
    try (HikariDataSource own = open()) {
      JdbcFileStore fresh = storeOn(own);
      ObjectStorage storage = org.mockito.Mockito.mock(ObjectStorage.class);
      List<String> failing = new java.util.ArrayList<>();
      List<String> later = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        StoredFile file = pending(fresh, T0);
        fresh.delete(file.id(), Optional.of(new FileStore.Sweeps(EXPIRES.plusSeconds(i), LAST)));
        (i < 3 ? failing : later).add(file.key());
      }
      for (String key : failing) {
        org.mockito.Mockito.doThrow(new StorageException("access denied", false, null))
            .when(storage)
            .delete(key);
      }
      dev.switchboard.testing.ManualClock clock =
          new dev.switchboard.testing.ManualClock(LAST.plusSeconds(1));
      FileService files =
          new FileService(
              storage,
              fresh,
              new UploadPolicy(java.util.Map.of("image/*", 1024L)),
              event -> {},
              clock);
      PendingUploadCleanup cleanup = new PendingUploadCleanup(files, storage, failing.size());

      cleanup.run();
      clock.advance(Duration.ofMinutes(15).plusSeconds(1));
      cleanup.run();

      List<String> left =
          fresh.tombstonesDue(Instant.parse("2100-01-01T00:00:00Z"), 100).stream()
              .map(FileStore.Tombstone::key)
              .toList();
      assertThat(left).containsExactlyInAnyOrderElementsOf(failing);
      for (String key : later) {
        org.mockito.Mockito.verify(storage).delete(key);
      }
    }
  }

  @Test
  void tombstonesDueWhenSeveralThenOldestFirstUpToTheLimitAndForgetRemovesThem() {
    Instant early = Instant.parse("2001-01-01T00:00:00Z");
    StoredFile second = pending(early);
    StoredFile first = pending(early);
    StoredFile third = pending(early);
    Instant last = early.plus(FileService.PENDING_RETENTION);
    store.delete(second.id(), Optional.of(new FileStore.Sweeps(early.plusSeconds(2), last)));
    store.delete(first.id(), Optional.of(new FileStore.Sweeps(early.plusSeconds(1), last)));
    store.delete(third.id(), Optional.of(new FileStore.Sweeps(early.plusSeconds(3), last)));

    assertThat(store.tombstonesDue(early.plusSeconds(3), 2))
        .extracting(FileStore.Tombstone::key)
        .containsExactly(first.key(), second.key());

    store.forgetTombstone(first.key());
    store.forgetTombstone(first.key());
    assertThat(store.tombstonesDue(early.plusSeconds(4), 10))
        .extracting(FileStore.Tombstone::key)
        .containsExactly(second.key(), third.key());
  }
}
