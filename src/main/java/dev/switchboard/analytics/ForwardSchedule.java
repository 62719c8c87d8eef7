package dev.switchboard.analytics;

import java.time.Clock;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every second, asks for a forwarding job for each destination that has events after its cursor.
 * Ingest never waits for forwarding: it only appends; this poll (one indexed read per destination)
 * notices the new rows.
 */
public final class ForwardSchedule {

  private static final Logger log = LoggerFactory.getLogger(ForwardSchedule.class);

  private final Collection<EventDestination> destinations;
  private final EventForwarder forwarder;
  private final JdbcForwardingStore store;
  private final ForwardJob job;
  private final AnalyticsEventStore events;
  private final Clock clock;

  public ForwardSchedule(
      Collection<EventDestination> destinations,
      EventForwarder forwarder,
      JdbcForwardingStore store,
      ForwardJob job,
      AnalyticsEventStore events,
      Clock clock) {
    this.destinations = destinations;
    this.forwarder = forwarder;
    this.store = store;
    this.job = job;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Creates each destination's row on first start. A destination added to a running installation
   * starts at the beginning of the stored events, so history is sent too (Segment and PostHog
   * dedupe on the message id).
   */
  public void start() {
    for (EventDestination destination : destinations) {
      store.ensure(destination.id(), 0, clock.instant());
    }
  }

  @Scheduled(initialDelayString = "PT2S", fixedDelayString = "PT1S")
  public void tick() {
    for (EventDestination destination : destinations) {
      try {
        long cursor = store.state(destination.id()).orElseThrow().cursor();
        if (forwarder.hasWork(destination, cursor)) {
          job.enqueue(destination);
        }
      } catch (RuntimeException e) {
        log.warn(
            "Analytics forwarding poll for {} failed: {}",
            destination.id(),
            e.getClass().getName());
      }
    }
  }
}
