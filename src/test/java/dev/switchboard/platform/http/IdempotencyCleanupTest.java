package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyCleanupTest {

  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

  /** Records the cutoffs it is asked to delete before; fails when told to. */
  static final class RecordingStore implements IdempotencyStore {
    final List<Instant> cutoffs = new ArrayList<>();
    boolean failing;

    @Override
    public IdempotencyClaim claim(String callerId, String key, String requestHash, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean complete(
        String callerId, String key, String token, StoredResponse response, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int renew(java.util.Collection<String> tokens, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void release(String callerId, String key, String token) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int deleteCreatedBefore(Instant cutoff) {
      if (failing) {
        throw new IllegalStateException("database away");
      }
      cutoffs.add(cutoff);
      return 7;
    }
  }

  private final RecordingStore store = new RecordingStore();
  private final IdempotencyCleanup cleanup =
      new IdempotencyCleanup(store, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void deleteExpiredThenDeletesKeysFirstUsedOver24HoursAgo() {
    assertThat(cleanup.deleteExpired()).isEqualTo(7);
    assertThat(store.cutoffs).containsExactly(Instant.parse("2026-03-01T12:00:00Z"));
  }

  @Test
  void deleteExpiredWhenDatabaseFailsThenReportsNothingDeletedAndDoesNotThrow() {
    store.failing = true;

    assertThat(cleanup.deleteExpired()).isZero();
    assertThat(store.cutoffs).isEmpty();
  }
}
