package dev.switchboard.email;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.JobHandler;
import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.NewJob;
import dev.switchboard.platform.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Applies one stored delivery event ({@code email.delivery_event}, payload {@code
 * {"provider","id"}}): moves the matching message forward (never back), adds the event to its
 * history, suppresses the recipient on hard bounces, complaints, unsubscribes and drops, and marks
 * the event applied, all in one transaction with the job's completion. Events applied at the same
 * time share that transaction ({@link JobCommits}): one commit for a group of events instead of two
 * per event. A second run of the job (its lease expired mid-run) finds the event applied and
 * changes nothing.
 */
public final class DeliveryEventJob implements JobHandler {

  public static final String TYPE = "email.delivery_event";

  private final EmailStore store;
  private final JobCommits.Lane<Boolean> lane;
  private final Clock clock;

  public DeliveryEventJob(EmailStore store, JobCommits commits, Clock clock) {
    this.store = store;
    this.lane = commits.lane(TYPE);
    this.clock = clock;
  }

  /** The job that applies a stored event, one per {@code (provider, eventId)}. */
  static NewJob job(DeliveryEvent event) {
    String payload =
        Json.MAPPER
            .createObjectNode()
            .put("provider", event.provider())
            .put("id", event.eventId())
            .toString();
    String key = TYPE + ":" + event.provider() + ":" + event.eventId();
    return new NewJob(
        TYPE,
        payload,
        JobOptions.defaults()
            .dedupeKey(
                key.length() > JobOptions.MAX_DEDUPE_KEY_LENGTH
                    ? key.substring(0, JobOptions.MAX_DEDUPE_KEY_LENGTH)
                    : key));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    apply(job);
  }

  /**
   * Applies the stored event a job names.
   *
   * @return false when it is unknown or was applied before; nothing changes then
   */
  boolean apply(Job job) {
    JsonNode payload = Json.MAPPER.readTree(job.payload());
    String provider = payload.path("provider").asString();
    String eventId = payload.path("id").asString();
    Boolean applied =
        lane.run(
            job,
            () -> {
              Optional<DeliveryEvent> event = store.unappliedEvent(provider, eventId);
              event.ifPresent(e -> apply(e, clock.instant()));
              return event.isPresent();
            });
    return Boolean.TRUE.equals(applied);
  }

  private void apply(DeliveryEvent event, Instant now) {
    Optional<StoredMessage> message =
        event
            .messageId()
            .flatMap(store::find)
            .or(
                () ->
                    event
                        .providerMessageId()
                        .flatMap(p -> store.findByProviderMessageId(event.provider(), p)));
    String detail =
        event.provider()
            + " "
            + event.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (event.detail() == null || event.detail().isBlank() ? "" : ": " + event.detail());
    message.ifPresent(
        m -> {
          Optional<EmailStatus> next = status(event.type());
          if (next.isPresent()) {
            store.advance(m.id(), next.get(), detail, now);
          } else {
            store.note(m.id(), detail, now);
          }
        });
    if (event.type().suppresses() && event.recipient() != null && !event.recipient().isBlank()) {
      store.suppress(event.recipient(), event.type().name().toLowerCase(Locale.ROOT), detail, now);
    }
    store.markEventApplied(event.provider(), event.eventId(), message.map(StoredMessage::id), now);
  }

  /** The status an event moves a message to; empty for events that only add a history note. */
  static Optional<EmailStatus> status(DeliveryEvent.Type type) {
    return switch (type) {
      case DELIVERED -> Optional.of(EmailStatus.DELIVERED);
      case DEFERRED, SOFT_BOUNCE -> Optional.of(EmailStatus.DEFERRED);
      case HARD_BOUNCE -> Optional.of(EmailStatus.BOUNCED);
      case COMPLAINED -> Optional.of(EmailStatus.COMPLAINED);
      case DROPPED -> Optional.of(EmailStatus.SUPPRESSED);
      case UNSUBSCRIBED, OPENED, CLICKED -> Optional.empty();
    };
  }
}
