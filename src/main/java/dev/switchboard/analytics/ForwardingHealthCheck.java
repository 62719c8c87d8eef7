package dev.switchboard.analytics;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.time.Duration;

/**
 * A destination's box on the integration map, from the forwarding state alone (Segment and PostHog
 * have no cheap authenticated read): up while batches are accepted, degraded while calls fail, down
 * after {@link #DOWN_AFTER} of failures or when the key is refused. The detail is the backlog:
 * pending, forwarded, failed.
 */
public final class ForwardingHealthCheck implements HealthCheck {

  static final Duration DOWN_AFTER = Duration.ofMinutes(15);

  private final String destination;
  private final JdbcForwardingStore store;
  private final Clock clock;

  public ForwardingHealthCheck(String destination, JdbcForwardingStore store, Clock clock) {
    this.destination = destination;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public HealthResult check() {
    DestinationState state = store.state(destination).orElse(null);
    if (state == null) {
      return HealthResult.up("not started yet");
    }
    String backlog =
        "pending "
            + store.pending(state.cursor())
            + ", forwarded "
            + state.forwarded()
            + ", failed "
            + state.failed()
            + (state.skipped() > 0 ? ", skipped " + state.skipped() : "");
    if (state.failingSince().isEmpty()) {
      return HealthResult.up(backlog);
    }
    String error = state.lastError().orElse("failing");
    boolean refusedKey = error.contains("HTTP 401") || error.contains("HTTP 403");
    if (refusedKey
        || Duration.between(state.failingSince().get(), clock.instant()).compareTo(DOWN_AFTER)
            > 0) {
      return HealthResult.down(backlog + "; " + error);
    }
    return HealthResult.degraded(backlog + "; retrying: " + error);
  }
}
