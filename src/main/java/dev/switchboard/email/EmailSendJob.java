package dev.switchboard.email;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.db.OutageRetry;
import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobFailure;
import dev.switchboard.platform.jobs.JobHandler;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one stored message: checks the suppression list, waits briefly for a permit of the
 * provider's token bucket (or puts itself back in the queue, so excess waits there and is never
 * dropped), hands the stored bytes to the provider with a stable Message-ID and idempotency key,
 * and records the outcome.
 */
public final class EmailSendJob implements JobHandler {

  public static final String TYPE = "email.send";

  /** Provider attempts before a message is failed. */
  public static final int MAX_SEND_ATTEMPTS = 10;

  /**
   * Tries at recording an accepted message as sent before the job stops rather than risk a second
   * copy.
   */
  static final int RECORD_ATTEMPTS = 3;

  /** How long recording a sent message rides out a database that cannot be reached. */
  static final Duration RECORD_OUTAGE = Duration.ofMinutes(1);

  /**
   * Job runs that failed; waits for a permit and rate-limited answers are deferrals and do not
   * count.
   */
  public static final int MAX_JOB_ATTEMPTS = 500;

  /** How long one run waits for a permit before it gives its thread back and runs again later. */
  static final Duration PERMIT_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(EmailSendJob.class);

  private final EmailStore store;
  private final EmailSenders senders;
  private final RateLimiter limiter;
  private final Rate rate;
  private final Rate spacing;
  private final String from;
  private final String messageIdHost;
  private final EmailMetrics metrics;
  private final Clock clock;
  private final JsonMapper json;

  public EmailSendJob(
      EmailStore store,
      EmailSenders senders,
      RateLimiter limiter,
      Rate rate,
      String from,
      String messageIdHost,
      EmailMetrics metrics,
      Clock clock,
      JsonMapper json) {
    this.store = store;
    this.senders = senders;
    this.limiter = limiter;
    this.rate = rate;
    this.spacing = evenlySpaced(rate);
    this.from = from;
    this.messageIdHost = messageIdHost;
    this.metrics = metrics;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) throws InterruptedException {
    String id = json.readTree(job.payload()).path("messageId").asString("");
    Optional<StoredMessage> found = store.find(id);
    if (found.isEmpty()
        || !(found.get().status() == EmailStatus.QUEUED
            || found.get().status() == EmailStatus.SENDING)) {
      // Already finished by an earlier run whose job outcome was lost, or never stored: nothing to
      // send.
      return;
    }
    StoredMessage message = found.get();
    Optional<String> suppressed = store.suppression(message.recipient());
    if (suppressed.isPresent()) {
      finish(
          message,
          "none",
          EmailStatus.SUPPRESSED,
          "recipient is on the suppression list (" + suppressed.get() + ")");
      return;
    }
    MailSender sender = senders.choose();
    if (!limiter.acquire("email:" + sender.id(), spacing, PERMIT_WAIT)) {
      // Excess waits in the queue; waiting is not a failure and never uses up the message's
      // attempts.
      throw JobFailure.defer("waiting for a send permit of " + rate, permitRetry());
    }
    if (!store.startAttempt(id, sender.id(), clock.instant())) {
      return;
    }
    int attempt = message.attempts() + 1;
    SendResult result = send(sender, mail(message));
    senders.record(sender, result);
    switch (result.kind()) {
      case ACCEPTED -> {
        recordSent(id, sender, result);
        metrics.sent(sender.id());
      }
      case SUPPRESSED -> {
        store.suppress(
            message.recipient(), "provider", sender.id() + ": " + result.detail(), clock.instant());
        finish(
            message,
            sender.id(),
            EmailStatus.SUPPRESSED,
            sender.id() + " refused the recipient: " + result.detail());
      }
      case PERMANENT ->
          finish(message, sender.id(), EmailStatus.FAILED, sender.id() + ": " + result.detail());
      case RATE_LIMITED -> holdBack(message, sender, result);
      case RETRYABLE -> retry(job, message, sender, attempt, result);
    }
  }

  /**
   * The provider has the message: recording that must not fail into a retry, which would send it
   * again. While the database cannot be reached (a restart, a failover) the write is tried again
   * every second for up to {@link #RECORD_OUTAGE}, as the worker does with a job's outcome (the job
   * keeps its lease meanwhile); any other failure is tried {@link #RECORD_ATTEMPTS} times. If the
   * write still fails, the job stops (dead, visible) with the message left in {@code sending}
   * rather than risking a second copy.
   */
  private void recordSent(String id, MailSender sender, SendResult result)
      throws InterruptedException {
    long outageEnds = System.nanoTime() + RECORD_OUTAGE.toNanos();
    for (int failures = 1; ; failures++) {
      try {
        OutageRetry.call(
            () -> store.markSent(id, sender.id(), result.providerMessageId(), clock.instant()),
            Duration.ofSeconds(1),
            Duration.ofNanos(outageEnds - System.nanoTime()));
        return;
      } catch (RuntimeException e) {
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped while the database was unavailable");
        }
        if (failures >= RECORD_ATTEMPTS) {
          log.error(
              "Message {} was accepted by {} but could not be recorded as sent",
              id,
              sender.id(),
              e);
          throw JobFailure.permanent(
              "accepted by "
                  + sender.id()
                  + " but not recorded as sent; not retried to avoid a duplicate");
        }
        Thread.sleep(200L * failures);
      }
    }
  }

  /**
   * A rate-limited answer: wait as long as the provider asked (or a few seconds), without counting
   * an attempt.
   */
  private void holdBack(StoredMessage message, MailSender sender, SendResult result) {
    String reason = sender.id() + ": " + result.detail();
    metrics.attemptFailed(reason);
    store.holdBack(message.id(), reason, clock.instant());
    Duration delay =
        result
            .retryAfter()
            .orElseGet(
                () -> Duration.ofMillis(2_000 + ThreadLocalRandom.current().nextLong(3_000)));
    throw JobFailure.defer(reason, delay);
  }

  private void retry(
      Job job, StoredMessage message, MailSender sender, int attempt, SendResult result) {
    String error = sender.id() + ": " + result.detail();
    if (attempt >= MAX_SEND_ATTEMPTS || job.lastAttempt()) {
      finish(
          message,
          sender.id(),
          EmailStatus.FAILED,
          "gave up after " + attempt + " attempts; last: " + error);
      return;
    }
    metrics.attemptFailed(error);
    store.requeue(message.id(), error, clock.instant());
    // Retryable failures take the queue's backoff with jitter.
    throw JobFailure.retryable(error, Optional.empty());
  }

  private SendResult send(MailSender sender, OutgoingMail mail) {
    long start = System.nanoTime();
    try {
      return sender.send(mail);
    } catch (RuntimeException e) {
      // The port promises not to throw; if an adapter does anyway, treat it like a network failure.
      log.warn(
          "Mail sender {} threw instead of answering: {}", sender.id(), e.getClass().getName());
      return SendResult.retryable("unexpected " + e.getClass().getSimpleName());
    } finally {
      metrics.latency(sender.id(), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private OutgoingMail mail(StoredMessage message) {
    return new OutgoingMail(
        message.id(),
        message.id(),
        "<" + message.id() + "@" + messageIdHost + ">",
        from,
        message.recipient(),
        message.content().subject(),
        message.content().text(),
        message.content().html(),
        message.template(),
        Map.of());
  }

  private void finish(StoredMessage message, String provider, EmailStatus status, String reason) {
    if (store.finish(message.id(), status, reason, clock.instant())) {
      metrics.failed(provider, status, reason);
    }
  }

  /**
   * The configured rate as one permit every {@code period / permits}, with no burst. A bucket
   * holding a whole period's permits lets an idle queue send them at once and the next period's as
   * they refill: 174 mails in one second at {@code 100/s} (measured), which a provider counting per
   * second answers with 429.
   */
  static Rate evenlySpaced(Rate rate) {
    return new Rate(1, Duration.ofNanos(Math.max(1, rate.period().toNanos() / rate.permits())));
  }

  /**
   * About one permit's worth of time, at least a second: when the queue runs again a permit is
   * likely free.
   */
  private Duration permitRetry() {
    Duration perPermit = rate.period().dividedBy(rate.permits());
    return perPermit.compareTo(Duration.ofSeconds(1)) > 0 ? perPermit : Duration.ofSeconds(1);
  }
}
