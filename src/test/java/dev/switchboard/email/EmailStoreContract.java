package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.NewJob;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import dev.switchboard.platform.webhooks.WebhookVerifiers;
import dev.switchboard.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What the email tables, the delivery-event intake and its job must do on every database; one
 * subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmailStoreContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final RenderedEmail CONTENT = new RenderedEmail("Hi", "text", "<p>html</p>");

  final ManualClock clock = new ManualClock(T0);
  HikariDataSource dataSource;
  JdbcEmailStore store;
  DeliveryEventJob job;
  final List<NewJob> queued = new ArrayList<>();

  abstract Map<String, String> environment();

  @BeforeAll
  void migrate() {
    DatabaseConfig db = SwitchboardConfig.load(environment()::get).core().database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    if (!db.username().isEmpty()) {
      dataSource.setUsername(db.username());
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    store = new JdbcEmailStore(JdbcClient.create(dataSource), new JdbcTemplate(dataSource));
    job =
        new DeliveryEventJob(
            store,
            new JobCommits(GroupCommits.of(new DataSourceTransactionManager(dataSource))),
            clock);
  }

  @AfterAll
  void close() {
    dataSource.close();
  }

  /** The job that applies a stored delivery event, as the queue hands it to the handler. */
  static Job eventJob(String provider, String eventId) {
    return new Job(
        "job_" + eventId,
        DeliveryEventJob.TYPE,
        "{\"provider\":\"" + provider + "\",\"id\":\"" + eventId + "\"}",
        Optional.empty(),
        1,
        12,
        Instant.EPOCH);
  }

  String queued(String recipient) {
    String id = EmailIds.message();
    store.insertMessages(
        List.of(
            new NewMessage(id, Optional.empty(), "welcome", Optional.of("fr"), recipient, CONTENT)),
        T0);
    return id;
  }

  static DeliveryEvent event(
      String eventId, String messageId, DeliveryEvent.Type type, String recipient) {
    return new DeliveryEvent(
        "sendgrid",
        eventId,
        Optional.ofNullable(messageId),
        Optional.empty(),
        type,
        recipient,
        T0,
        "250 ok");
  }

  /** Stores an event and runs its job, as a webhook and the worker would; false for a repeat. */
  boolean record(DeliveryEvent event) {
    if (!store.insertEvent(event, T0)) {
      return false;
    }
    assertThat(job.apply(eventJob(event.provider(), event.eventId()))).isTrue();
    return true;
  }

  /** Accepts a body that says "ok" as the two events given; refuses anything else. */
  record FakeVerifier(List<DeliveryEvent> events) implements WebhookVerifier<List<DeliveryEvent>> {
    @Override
    public String provider() {
      return "sendgrid";
    }

    @Override
    public List<DeliveryEvent> verify(Map<String, String> headers, byte[] body) {
      if (!new String(body, StandardCharsets.UTF_8).equals("ok")) {
        throw new ApiException(400, "invalid_signature", "The signature does not match.");
      }
      return events;
    }
  }

  DeliveryEventIngest ingest(List<DeliveryEvent> events) {
    return new DeliveryEventIngest(
        new WebhookVerifiers<>(List.of(new FakeVerifier(events)), p -> p + " is not configured"),
        store,
        queued::addAll,
        GroupCommits.of(new DataSourceTransactionManager(dataSource)),
        clock);
  }

  static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

  @Test
  void receiveWhenVerifiedTwiceThenStoredAndQueuedOnceAndRepeatsCountedAsDuplicates() {
    String id = queued("ida@example.com");
    store.markSent(id, "sendgrid", Optional.empty(), T0);
    DeliveryEvent delivered = event("ev-i1", id, DeliveryEvent.Type.DELIVERED, "ida@example.com");
    DeliveryEvent opened = event("ev-i2", id, DeliveryEvent.Type.OPENED, "ida@example.com");
    DeliveryEventIngest ingest = ingest(List.of(delivered, opened, delivered));
    queued.clear();

    assertThat(ingest.receive("sendgrid", Map.of(), OK))
        .isEqualTo(new DeliveryEventIngest.Received(3, 1));
    assertThat(ingest.receive("sendgrid", Map.of(), OK))
        .isEqualTo(new DeliveryEventIngest.Received(3, 3));

    assertThat(queued)
        .extracting(NewJob::type, NewJob::payloadJson)
        .containsExactly(
            tuple(DeliveryEventJob.TYPE, "{\"provider\":\"sendgrid\",\"id\":\"ev-i1\"}"),
            tuple(DeliveryEventJob.TYPE, "{\"provider\":\"sendgrid\",\"id\":\"ev-i2\"}"));
    // Stored, not applied: the job does that.
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.SENT);
    assertThat(job.apply(eventJob("sendgrid", "ev-i1"))).isTrue();
    assertThat(job.apply(eventJob("sendgrid", "ev-i1"))).isFalse();
    assertThat(job.apply(eventJob("sendgrid", "ev-i2"))).isTrue();
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.DELIVERED);
    assertThat(store.history(id))
        .extracting(HistoryEntry::status)
        .containsExactly(
            EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.DELIVERED);
  }

  @Test
  void receiveWhenSignatureBadOrProviderNotConfiguredThenRefusedAndNothingStored() {
    DeliveryEvent bounce = event("ev-x1", null, DeliveryEvent.Type.HARD_BOUNCE, "jo@example.com");
    DeliveryEventIngest ingest = ingest(List.of(bounce));
    queued.clear();

    assertThatThrownBy(
            () -> ingest.receive("sendgrid", Map.of(), "forged".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    assertThatThrownBy(() -> ingest.receive("sendgrid", Map.of(), null))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    assertThatThrownBy(() -> ingest.receive("resend", Map.of(), OK))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("webhook_not_configured");
            });

    assertThat(queued).isEmpty();
    assertThat(job.apply(eventJob("sendgrid", "ev-x1"))).isFalse();
    assertThat(store.suppression("jo@example.com")).isEmpty();
  }

  @Test
  void receiveWhenOnlySkippedEventsThenNothingStored() {
    queued.clear();

    assertThat(ingest(List.of()).receive("sendgrid", Map.of(), OK))
        .isEqualTo(new DeliveryEventIngest.Received(0, 0));
    assertThat(queued).isEmpty();
  }

  @Test
  void insertMessagesWhenStoredThenFoundQueuedWithContentAndHistory() {
    String id = queued("ann@example.com");

    StoredMessage message = store.find(id).orElseThrow();

    assertThat(message.status()).isEqualTo(EmailStatus.QUEUED);
    assertThat(message.content()).isEqualTo(CONTENT);
    assertThat(message.locale()).contains("fr");
    assertThat(message.createdAt()).isEqualTo(T0);
    assertThat(store.history(id))
        .extracting(HistoryEntry::status)
        .containsExactly(EmailStatus.QUEUED);
    assertThat(store.find("msg_unknown")).isEmpty();
  }

  @Test
  void startAttemptWhenSentThenAttemptsCountedAndSecondStartRefused() {
    String id = queued("bob@example.com");

    assertThat(store.startAttempt(id, "outbox", T0)).isTrue();
    assertThat(store.requeue(id, "outbox: 503", T0)).isTrue();
    assertThat(store.startAttempt(id, "outbox", T0)).isTrue();
    assertThat(store.markSent(id, "outbox", Optional.of("p-1"), T0)).isTrue();

    StoredMessage message = store.find(id).orElseThrow();
    assertThat(message.attempts()).isEqualTo(2);
    assertThat(message.status()).isEqualTo(EmailStatus.SENT);
    assertThat(message.lastError()).contains("outbox: 503");
    assertThat(store.startAttempt(id, "outbox", T0)).isFalse();
    assertThat(store.findByProviderMessageId("outbox", "p-1")).map(StoredMessage::id).contains(id);
    assertThat(store.history(id))
        .extracting(HistoryEntry::status)
        .containsExactly(
            EmailStatus.QUEUED,
            EmailStatus.SENDING,
            EmailStatus.QUEUED,
            EmailStatus.SENDING,
            EmailStatus.SENT);
  }

  @Test
  void markSentWhenDeliveryEventArrivedFirstThenStaysDelivered() {
    String id = queued("carl@example.com");
    store.startAttempt(id, "sendgrid", T0);

    assertThat(record(event("ev-early", id, DeliveryEvent.Type.DELIVERED, "carl@example.com")))
        .isTrue();
    assertThat(store.markSent(id, "sendgrid", Optional.of("sg-1"), T0)).isFalse();

    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.DELIVERED);
  }

  @Test
  void recordWhenDuplicateEventThenFalseAndOneStatusChange() {
    String id = queued("dee@example.com");
    store.markSent(id, "sendgrid", Optional.empty(), T0);

    assertThat(record(event("ev-dup", id, DeliveryEvent.Type.DELIVERED, "dee@example.com")))
        .isTrue();
    assertThat(record(event("ev-dup", id, DeliveryEvent.Type.DELIVERED, "dee@example.com")))
        .isFalse();

    assertThat(store.history(id))
        .extracting(HistoryEntry::status)
        .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED);
  }

  @Test
  void recordWhenLateDeferredAfterDeliveredThenNoRegression() {
    String id = queued("eve@example.com");
    store.markSent(id, "sendgrid", Optional.empty(), T0);
    record(event("ev-d1", id, DeliveryEvent.Type.DEFERRED, "eve@example.com"));
    record(event("ev-d2", id, DeliveryEvent.Type.DELIVERED, "eve@example.com"));

    assertThat(record(event("ev-d3", id, DeliveryEvent.Type.DEFERRED, "eve@example.com"))).isTrue();

    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.DELIVERED);
    assertThat(store.history(id))
        .extracting(HistoryEntry::status)
        .containsExactly(
            EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DEFERRED, EmailStatus.DELIVERED);
  }

  @Test
  void recordWhenHardBounceByProviderIdThenBouncedAndSuppressedCaseInsensitively() {
    String id = queued("Fay@Example.com");
    store.markSent(id, "sendgrid", Optional.of("sg-bounce-1"), T0);
    DeliveryEvent bounce =
        new DeliveryEvent(
            "sendgrid",
            "ev-b1",
            Optional.empty(),
            Optional.of("sg-bounce-1"),
            DeliveryEvent.Type.HARD_BOUNCE,
            "Fay@Example.com",
            T0,
            "550 no such user");

    assertThat(record(bounce)).isTrue();

    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.BOUNCED);
    assertThat(store.suppression("fay@example.COM")).contains("hard_bounce");
    assertThat(store.history(id).get(2).detail()).contains("550 no such user");
  }

  @Test
  void recordWhenOpenedOrSoftBounceThenNoSuppression() {
    String id = queued("gus@example.com");
    store.markSent(id, "sendgrid", Optional.empty(), T0);

    record(event("ev-o1", id, DeliveryEvent.Type.OPENED, "gus@example.com"));
    record(event("ev-s1", id, DeliveryEvent.Type.SOFT_BOUNCE, "gus@example.com"));

    assertThat(store.suppression("gus@example.com")).isEmpty();
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.DEFERRED);
    assertThat(store.history(id)).hasSize(4);
  }

  @Test
  void recordWhenUnknownMessageThenStoredOnceAndRecipientStillSuppressed() {
    DeliveryEvent complaint =
        event("ev-u1", null, DeliveryEvent.Type.COMPLAINED, "hal@example.com");

    assertThat(record(complaint)).isTrue();
    assertThat(record(complaint)).isFalse();
    assertThat(store.suppression("hal@example.com")).contains("complained");
  }

  @Test
  void insertMessagesWhenTenThousandInOneBatchThenFastAndCounted() {
    String batchId = EmailIds.batch();
    List<NewMessage> messages = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      messages.add(
          new NewMessage(
              EmailIds.message(),
              Optional.of(batchId),
              "welcome",
              Optional.empty(),
              "user" + i + "@example.com",
              CONTENT));
    }
    long start = System.nanoTime();
    store.insertBatch(batchId, "welcome", messages.size(), T0);
    store.insertMessages(messages, T0);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println(
        getClass().getSimpleName() + ": stored 10,000 messages in " + took.toMillis() + " ms");

    store.finish(messages.get(0).id(), EmailStatus.FAILED, "bad", T0);
    BatchProgress batch = store.batch(batchId).orElseThrow();
    assertThat(batch.total()).isEqualTo(10_000);
    assertThat(batch.counts())
        .containsEntry(EmailStatus.QUEUED, 9_999L)
        .containsEntry(EmailStatus.FAILED, 1L);
    assertThat(store.batch("bat_unknown")).isEmpty();
    assertThat(store.queueDepth()).isGreaterThanOrEqualTo(9_999);
  }
}
