package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.MailArrivals;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.TestRedis;
import dev.switchboard.testing.WelcomeBulk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the jar on one PostgreSQL and one Redis: every queued message is sent once, by
 * one of them, and together they keep to the one configured rate. Each instance gets its own public
 * host, so the Message-ID shows which instance sent a message.
 */
class EmailScaleOutIT {

  static final int COUNT = 200;
  static final int RATE = 40;

  @Test
  void bulkWhenTwoInstancesShareDatabaseAndRedisThenEachMessageOnceAtTheGlobalRate()
      throws Exception {
    String database = PostgresTestDatabase.freshUrl();
    try (MailArrivals smtp = MailArrivals.start()) {
      Map<String, String> common =
          Map.of(
              "DATABASE_URL",
              database,
              "REDIS_URL",
              TestRedis.URL,
              "EMAIL_PROVIDER",
              "smtp",
              "SMTP_URL",
              smtp.smtpUrl(),
              // A rate of its own: the Redis bucket key includes the rate, so no other test shares
              // this bucket.
              "EMAIL_RATE_LIMIT",
              RATE + "/s",
              "SWITCHBOARD_ADMIN_API_KEY",
              TestKeys.ADMIN,
              // One secret for both, as deployment.md asks: an instance that cannot open the stored
              // signing keys refuses to start.
              "SWITCHBOARD_AUTH_KEY_SECRET",
              "email-scale-out-auth-key-secret-0123456789");
      try (JarProcess a = JarProcess.start("scale-a", with(common, "http://a.switchboard.test"));
          JarProcess b = JarProcess.start("scale-b", with(common, "http://b.switchboard.test"))) {
        a.awaitReady(Duration.ofSeconds(180));
        b.awaitReady(Duration.ofSeconds(180));
        WelcomeBulk bulk =
            new WelcomeBulk(new HttpTestClient(a.port()).authorized(TestKeys.ADMIN), COUNT);
        long posted = System.nanoTime();
        String batch = bulk.post();
        bulk.awaitAllSent(batch, Duration.ofSeconds(60), Duration.ofMillis(200));

        List<MailArrivals.Arrival> arrivals = smtp.arrivals();
        assertThat(arrivals).hasSize(COUNT);
        assertThat(MailArrivals.byRecipient(arrivals).keySet())
            .isEqualTo(WelcomeBulk.recipients(COUNT));
        Map<String, Long> byInstance =
            arrivals.stream()
                .collect(
                    Collectors.groupingBy(
                        arrival ->
                            arrival
                                .messageId()
                                .replaceAll(".*@([ab])\\.switchboard\\.test>$", "$1"),
                        Collectors.counting()));
        assertThat(byInstance).as("both instances sent mail").containsOnlyKeys("a", "b");

        // The shared bucket hands out one permit every 1/RATE s (it holds one), so the last of
        // COUNT permits is taken at least (COUNT - 1)/RATE s after the first, which is after the
        // post; a mail arrives after its permit. Two instances with their own buckets would be
        // done in about half that. Measured from the post rather than from the first arrival: a
        // first mail that arrives late (a fresh JVM loading the mail classes on a loaded machine)
        // would otherwise shorten the span and read as a rate above the limit.
        double seconds = (arrivals.get(COUNT - 1).nanos() - posted) / 1e9;
        double floor = (COUNT - 1) / (double) RATE - 0.1;
        assertThat(seconds)
            .as(
                "seconds from the post to the last of %d arrivals at %d/s across both instances"
                    + " (at least %.2f with one shared bucket)%s",
                COUNT, RATE, floor, fallbacks(a, b))
            .isGreaterThanOrEqualTo(floor);
      }
    }
  }

  /**
   * Names the instances that decided limits in their own memory (Redis answered too late), which
   * would explain a rate above the shared limit.
   */
  private static String fallbacks(JarProcess... instances) throws java.io.IOException {
    StringBuilder found = new StringBuilder();
    for (JarProcess instance : instances) {
      if (instance.output().contains("Rate limits fall back to this instance's memory")) {
        found.append(found.length() == 0 ? "; fell back to memory limits: " : ", ");
        found.append(instance.port());
      }
    }
    return found.toString();
  }

  private static Map<String, String> with(Map<String, String> common, String publicUrl) {
    Map<String, String> env = new java.util.HashMap<>(common);
    env.put("SWITCHBOARD_PUBLIC_URL", publicUrl);
    return env;
  }
}
