package dev.switchboard.analytics;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.platform.jobs.JobHandler;
import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@link EventForwarder#forward} for one destination. A failing provider defers the job (a
 * wait, not a spent attempt), so an outage of any length ends with the destination caught up, never
 * with a dead job.
 *
 * <p>Jobs are enqueued with the dedupe key {@code analytics.forward:<destination>:<cursor>}:
 * however many instances ask, there is one job per destination and cursor position, and it is freed
 * for the next one by moving the cursor.
 */
public final class ForwardJob implements JobHandler {

  public static final String TYPE = "analytics.forward";

  /**
   * Attempts that failed for other reasons than the provider (database trouble); deferrals do not
   * count.
   */
  static final int MAX_ATTEMPTS = 500;

  private final Map<String, EventDestination> destinations;
  private final EventForwarder forwarder;
  private final JdbcForwardingStore store;
  private final JobQueue queue;
  private final String owner;
  private final JsonMapper json = JsonMapper.builder().build();

  public ForwardJob(
      Map<String, EventDestination> destinations,
      EventForwarder forwarder,
      JdbcForwardingStore store,
      JobQueue queue,
      String owner) {
    this.destinations = destinations;
    this.forwarder = forwarder;
    this.store = store;
    this.queue = queue;
    this.owner = owner;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    String id = json.readTree(job.payload()).path("destination").asString("");
    EventDestination destination = destinations.get(id);
    if (destination == null) {
      throw JobFailure.permanent("analytics destination " + id + " is not configured");
    }
    ForwardOutcome outcome = forwarder.forward(destination, owner);
    switch (outcome.kind()) {
      case FAILING ->
          throw JobFailure.defer(
              outcome.detail(),
              outcome
                  .retryIn()
                  .filter(d -> d.compareTo(Duration.ofSeconds(1)) > 0)
                  .orElse(Duration.ofSeconds(1)));
      case MORE -> enqueue(destination);
      case CAUGHT_UP, BUSY -> {}
    }
  }

  /**
   * Asks for a run from the destination's current cursor; a no-op when one is already queued for
   * it.
   */
  void enqueue(EventDestination destination) {
    long cursor = store.state(destination.id()).orElseThrow().cursor();
    queue.enqueue(
        TYPE,
        json.writeValueAsString(Map.of("destination", destination.id())),
        JobOptions.defaults()
            .dedupeKey(TYPE + ":" + destination.id() + ":" + cursor)
            .maxAttempts(MAX_ATTEMPTS));
  }
}
