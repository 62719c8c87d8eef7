package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.jobs.JobWorkerSettings;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.MailArrivals;
import dev.switchboard.testing.MailArrivals.Arrival;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.WelcomeBulk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL in the middle of a 1,000-message bulk send over SMTP, then a restart on the same H2 data
 * dir: every message arrives, and the only duplicates are messages whose attempt the kill cut off,
 * each copy with the same Message-ID so the receiving side can drop it.
 */
class EmailCrashSafetyIT {

  static final int MESSAGES = 1000;
  static final int KILL_AFTER = 300;

  /**
   * Far longer than one SMTP send plus its commit (a few ms), short of the 3 s the batch had been
   * sending.
   */
  static final Duration IN_FLIGHT = Duration.ofSeconds(1);

  @Test
  void bulkSendWhenKilledMidwayAndRestartedThenEveryRecipientArrivesAndDuplicatesAreOnlyInFlight()
      throws Exception {
    try (MailArrivals smtp = MailArrivals.start()) {
      Map<String, String> env =
          Map.of(
              "EMAIL_PROVIDER",
              "smtp",
              "SMTP_URL",
              smtp.smtpUrl(),
              "SWITCHBOARD_ADMIN_API_KEY",
              TestKeys.ADMIN,
              "EMAIL_RATE_LIMIT",
              "100/s",
              // The killed process's claimed jobs come back after the lease; 5 s instead of 5 min
              // keeps the test short.
              "SWITCHBOARD_JOB_LEASE",
              "5s");
      JarProcess first = JarProcess.start("email-crash", env).awaitReady(Duration.ofSeconds(180));
      WelcomeBulk bulk =
          new WelcomeBulk(new HttpTestClient(first.port()).authorized(TestKeys.ADMIN), MESSAGES);
      String batchId = bulk.post();

      awaitArrivals(smtp, KILL_AFTER, first);
      first.kill();
      long killedAt = System.nanoTime();
      int atKill = smtp.count();
      assertThat(atKill)
          .as("killed in the middle of the batch")
          .isBetween(KILL_AFTER, MESSAGES - 1);

      try (JarProcess second = first.restart().awaitReady(Duration.ofSeconds(180))) {
        bulk.awaitAllSent(batchId, Duration.ofSeconds(45), Duration.ofMillis(250));

        List<Arrival> arrivals = smtp.arrivals();
        Map<String, List<Arrival>> byRecipient = MailArrivals.byRecipient(arrivals);
        assertThat(byRecipient.keySet())
            .as("every recipient received")
            .containsExactlyInAnyOrderElementsOf(WelcomeBulk.recipients(MESSAGES));
        byRecipient.forEach(
            (recipient, copies) ->
                assertThat(copies)
                    .extracting(Arrival::messageId)
                    .as("copies to %s carry one Message-ID", recipient)
                    .containsOnly(copies.get(0).messageId()));
        assertThat(arrivals.stream().map(Arrival::messageId).collect(Collectors.toSet()))
            .as("one Message-ID per message")
            .hasSize(MESSAGES);

        Map<String, List<Arrival>> duplicated =
            byRecipient.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        int threads = JobWorkerSettings.defaults().threads();
        assertThat(duplicated.keySet())
            .as("at most one in-flight message per worker thread")
            .hasSizeLessThanOrEqualTo(threads);
        assertThat(arrivals)
            .hasSize(MESSAGES + duplicated.values().stream().mapToInt(c -> c.size() - 1).sum());
        duplicated.forEach(
            (recipient, copies) -> {
              assertThat(copies)
                  .as("%s: sent once before the kill, once after", recipient)
                  .hasSize(2);
              assertThat(copies.get(0).index()).isLessThan(atKill);
              assertThat(copies.get(1).index()).isGreaterThanOrEqualTo(atKill);
              // In flight: accepted by the SMTP server just before the kill, its outcome not yet
              // durable.
              assertThat(Duration.ofNanos(killedAt - copies.get(0).nanos()))
                  .as("%s sent before the kill", recipient)
                  .isLessThan(IN_FLIGHT);
            });
        System.out.println(
            "Crash test: "
                + atKill
                + " of "
                + MESSAGES
                + " arrived before SIGKILL, "
                + arrivals.size()
                + " deliveries in all, duplicated recipients "
                + Set.copyOf(duplicated.keySet()));
      }
    }
  }

  private static void awaitArrivals(MailArrivals smtp, int count, JarProcess process)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (smtp.count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + smtp.count() + " arrived:\n" + process.output());
      }
      Thread.sleep(5);
    }
  }

  /** {@code <msg_abc@host>} → {@code msg_abc}. */
  private static String ourId(String rfcMessageId) {
    return rfcMessageId.substring(1, rfcMessageId.indexOf('@'));
  }
}
