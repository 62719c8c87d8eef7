package dev.switchboard.analytics;

import dev.switchboard.platform.outbound.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends the events after a destination's cursor, in id order, in batches, and moves the cursor
 * after each accepted batch. Holding the destination's lease in the database makes one instance at
 * a time do this; the cursor being in the database makes an outage cost nothing but time: the same
 * batch is sent again until the provider takes it.
 *
 * <p>A retryable failure (429, 5xx, timeout, no connection) and a rejected key (401, 403) leave the
 * cursor where it is and end the run with {@link ForwardOutcome.Kind#FAILING}: the job waits for
 * {@code Retry-After}, else an exponential backoff up to {@link #MAX_BACKOFF}, and tries again. Any
 * other 4xx refuses the batch's content; the batch is then sent event by event so that one bad
 * event is counted failed and the others still arrive.
 */
public final class EventForwarder {

  /** How long a lease lasts without renewal; longer than any single call. */
  static final Duration LEASE = Duration.ofSeconds(60);

  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), MAX_BACKOFF);

  private final AnalyticsEventStore events;
  private final JdbcForwardingStore store;
  private final Clock clock;
  private final Duration settle;
  private final Duration budget;
  private final RandomGenerator random;
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * @param settle events younger than this are left for the next run: with several instances, ids
   *     can commit a few milliseconds out of order, and a reader must not pass an id that is still
   *     being written
   * @param budget how long one run may keep sending before it hands back its thread
   */
  public EventForwarder(
      AnalyticsEventStore events,
      JdbcForwardingStore store,
      Clock clock,
      Duration settle,
      Duration budget,
      RandomGenerator random) {
    this.events = events;
    this.store = store;
    this.clock = clock;
    this.settle = settle;
    this.budget = budget;
    this.random = random;
  }

  /**
   * Whether the destination has events old enough to send after its cursor; cheap, for the
   * scheduler.
   */
  public boolean hasWork(EventDestination destination, long cursor) {
    return !events.after(cursor, clock.instant().minus(settle), 1).isEmpty();
  }

  /**
   * Forwards until caught up, the time budget is spent, or the provider fails.
   *
   * @param owner this instance's id, for the lease
   */
  public ForwardOutcome forward(EventDestination destination, String owner) {
    String id = destination.id();
    Instant started = clock.instant();
    if (!store.lease(id, owner, started.plus(LEASE), started)) {
      return ForwardOutcome.of(ForwardOutcome.Kind.BUSY, "another instance is forwarding " + id);
    }
    try {
      long cursor = store.state(id).orElseThrow().cursor();
      while (Duration.between(started, clock.instant()).compareTo(budget) < 0) {
        List<AnalyticsEvent> page =
            events.after(cursor, clock.instant().minus(settle), destination.maxBatchEvents());
        if (page.isEmpty()) {
          return ForwardOutcome.of(ForwardOutcome.Kind.CAUGHT_UP, "caught up");
        }
        Step step = cut(destination, page);
        int forwarded = 0;
        int failed = 0;
        if (!step.batch.isEmpty()) {
          Delivery delivery = destination.send(step.batch);
          switch (delivery.kind()) {
            case ACCEPTED -> forwarded = step.batch.size();
            case RETRY_LATER -> {
              return failing(id, owner, delivery);
            }
            case REFUSED -> {
              // The provider refused the content of the batch: find the event(s) it refuses.
              int[] counts = new int[2];
              ForwardOutcome outage = oneByOne(destination, owner, step, counts);
              if (outage != null) {
                return outage;
              }
              forwarded = counts[0];
              failed = counts[1];
            }
          }
        }
        Instant now = clock.instant();
        if (!store.advance(
            id,
            owner,
            step.last,
            forwarded,
            failed,
            step.skipped,
            forwarded > 0 || failed > 0,
            now,
            now.plus(LEASE))) {
          return ForwardOutcome.of(ForwardOutcome.Kind.BUSY, "lease on " + id + " lost");
        }
        cursor = step.last;
      }
      return ForwardOutcome.of(ForwardOutcome.Kind.MORE, "time budget spent");
    } finally {
      store.release(id, owner);
    }
  }

  /**
   * Sends each event of a refused batch alone; the cursor follows each one so a later outage
   * resends nothing.
   */
  private ForwardOutcome oneByOne(
      EventDestination destination, String owner, Step step, int[] counts) {
    for (ForwardedEvent event : step.batch) {
      Delivery delivery = destination.send(List.of(event));
      if (delivery.kind() == Delivery.Kind.RETRY_LATER) {
        Instant now = clock.instant();
        store.advance(
            destination.id(),
            owner,
            event.seq() - 1,
            counts[0],
            counts[1],
            0,
            counts[0] > 0,
            now,
            now.plus(LEASE));
        return failing(destination.id(), owner, delivery);
      }
      counts[delivery.kind() == Delivery.Kind.ACCEPTED ? 0 : 1]++;
    }
    return null;
  }

  private ForwardOutcome failing(String id, String owner, Delivery delivery) {
    int failures = store.failure(id, owner, delivery.summary(), clock.instant());
    Duration wait = delivery.retryAfter().orElseGet(() -> BACKOFF.delay(failures, random));
    return new ForwardOutcome(ForwardOutcome.Kind.FAILING, Optional.of(wait), delivery.summary());
  }

  private Step cut(EventDestination destination, List<AnalyticsEvent> page) {
    List<ForwardedEvent> batch = new ArrayList<>();
    int bytes = 0;
    int skipped = 0;
    long last = 0;
    for (AnalyticsEvent event : page) {
      int size = event.payloadJson().getBytes(StandardCharsets.UTF_8).length;
      if (!batch.isEmpty() && bytes + size > destination.maxBatchBytes()) {
        break;
      }
      last = event.id();
      ObjectNode message = parse(event.payloadJson());
      if (message == null || !wanted(destination, message.path("integrations"))) {
        skipped++;
        continue;
      }
      batch.add(new ForwardedEvent(event.id(), message, size));
      bytes += size;
    }
    return new Step(batch, skipped, last);
  }

  /**
   * Segment's rule for the {@code integrations} object: a destination named there gets the event
   * when its value is not {@code false}; one not named gets it unless {@code "All": false}.
   */
  static boolean wanted(EventDestination destination, JsonNode integrations) {
    if (!integrations.isObject()) {
      return true;
    }
    for (Map.Entry<String, JsonNode> entry : integrations.properties()) {
      for (String name : destination.integrationNames()) {
        if (name.equalsIgnoreCase(entry.getKey())) {
          return !entry.getValue().isBoolean() || entry.getValue().asBoolean();
        }
      }
    }
    JsonNode all = integrations.path("All");
    return !(all.isBoolean() && !all.asBoolean());
  }

  private ObjectNode parse(String payload) {
    try {
      JsonNode node = json.readTree(payload);
      return node instanceof ObjectNode object ? object : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private record Step(List<ForwardedEvent> batch, int skipped, long last) {}
}
