package dev.switchboard.bench;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.MailArrivals;
import dev.switchboard.testing.MailArrivals.Arrival;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.WelcomeBulk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The email pipeline of the packaged jar, in one run so the figures compare like with like:
 *
 * <ol>
 *   <li>SMTP pacing: {@code EMAIL_PROVIDER=smtp} to GreenMail in this JVM at {@code
 *       EMAIL_RATE_LIMIT}, a bulk of 1,000; the arrivals' rate, its ratio to the limit, the most in
 *       any one second, duplicates, Message-IDs;
 *   <li>our overhead: the outbox provider with a limit that never binds, a bulk of 10,000 (after a
 *       1,000 warm-up); the POST alone (render + store + enqueue) and POST to all {@code sent} (+
 *       dequeue + send + mark sent).
 * </ol>
 *
 * Run by {@code bench/email.sh}; arguments: runs (3), SMTP rate (100/s), overhead bulk size
 * (10000).
 */
public final class EmailBench {

  private static final int SMTP_MESSAGES = 1000;

  /**
   * Often enough to time the end to a few ms per 10,000 messages, rarely enough not to load the
   * server.
   */
  private static final Duration POLL = Duration.ofMillis(50);

  private EmailBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Rate rate = Rate.parse(args.length > 1 ? args[1] : "100/s");
    int bulkSize = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    List<Map<String, Double>> pacing = new ArrayList<>();
    List<Map<String, Double>> overhead = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      pacing.add(pacing(rate));
      System.out.println("run " + run + " pacing:   " + pacing.get(pacing.size() - 1));
      overhead.add(overhead(bulkSize));
      System.out.println("run " + run + " overhead: " + overhead.get(overhead.size() - 1));
    }
    System.out.printf(
        "%nruns: %d, %d cores, loopback%n", runs, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "SMTP pacing, EMAIL_RATE_LIMIT=%s, bulk of %d to GreenMail:%n", rate, SMTP_MESSAGES);
    print(pacing, "received", "%.0f");
    print(pacing, "duplicates", "%.0f");
    print(pacing, "distinct Message-IDs", "%.0f");
    print(pacing, "first to last arrival (s)", "%.3f");
    print(pacing, "achieved rate (/s)", "%.2f");
    print(pacing, "ratio to the limit", "%.4f");
    print(pacing, "most in any 1 s", "%.0f");
    print(pacing, "202 to first arrival (ms)", "%.0f");
    System.out.printf(
        "Overhead, outbox provider, EMAIL_RATE_LIMIT=1000000/s, bulk of %d:%n", bulkSize);
    print(overhead, "POST (ms)", "%.0f");
    print(overhead, "POST per message (us)", "%.1f");
    print(overhead, "POST to all sent (ms)", "%.0f");
    print(overhead, "per message, POST to sent (us)", "%.1f");
    print(overhead, "messages/s, POST to sent", "%.0f");
  }

  private static Map<String, Double> pacing(Rate rate) throws Exception {
    try (MailArrivals smtp = MailArrivals.start();
        JarProcess jar =
            JarProcess.start(
                    "bench-email-smtp",
                    Map.of(
                        "EMAIL_PROVIDER",
                        "smtp",
                        "SMTP_URL",
                        smtp.smtpUrl(),
                        "EMAIL_RATE_LIMIT",
                        rate.toString(),
                        "SWITCHBOARD_ADMIN_API_KEY",
                        TestKeys.ADMIN))
                .awaitReady(Duration.ofSeconds(60))) {
      WelcomeBulk bulk =
          new WelcomeBulk(new HttpTestClient(jar.port()).authorized(TestKeys.ADMIN), SMTP_MESSAGES);
      String batchId = bulk.post();
      long posted = System.nanoTime();
      Duration expected = Duration.ofNanos((long) (SMTP_MESSAGES / rate.perSecond() * 1e9));
      bulk.awaitAllSent(batchId, expected.multipliedBy(3).plusSeconds(30), Duration.ofMillis(250));
      List<Arrival> arrivals = smtp.arrivals();
      long first = arrivals.get(0).nanos();
      long last = arrivals.get(arrivals.size() - 1).nanos();
      double span = (last - first) / 1e9;
      // n arrivals are n - 1 intervals: a sender exactly at the limit spaces them 1/rate apart.
      double achieved = (arrivals.size() - 1) / span;
      Map<String, Double> figures = new HashMap<>();
      figures.put("received", (double) arrivals.size());
      figures.put(
          "duplicates", (double) (arrivals.size() - MailArrivals.byRecipient(arrivals).size()));
      figures.put(
          "distinct Message-IDs",
          (double) arrivals.stream().map(Arrival::messageId).collect(Collectors.toSet()).size());
      figures.put("first to last arrival (s)", span);
      figures.put("achieved rate (/s)", achieved);
      figures.put("ratio to the limit", achieved / rate.perSecond());
      figures.put("most in any 1 s", (double) mostInOneSecond(arrivals));
      figures.put("202 to first arrival (ms)", (first - posted) / 1e6);
      return figures;
    }
  }

  /**
   * The largest number of arrivals inside any window of one second: a burst shows here, not in the
   * average.
   */
  static int mostInOneSecond(List<Arrival> arrivals) {
    int most = 0;
    int start = 0;
    for (int end = 0; end < arrivals.size(); end++) {
      while (arrivals.get(end).nanos() - arrivals.get(start).nanos() >= 1_000_000_000L) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }

  private static Map<String, Double> overhead(int bulkSize) throws Exception {
    try (JarProcess jar =
        JarProcess.start(
                "bench-email-outbox",
                Map.of(
                    "EMAIL_RATE_LIMIT",
                    "1000000/s",
                    "SWITCHBOARD_API_RATE_LIMIT",
                    "1000000/s",
                    "SWITCHBOARD_ADMIN_API_KEY",
                    TestKeys.ADMIN))
            .awaitReady(Duration.ofSeconds(60))) {
      HttpTestClient http = new HttpTestClient(jar.port()).authorized(TestKeys.ADMIN);
      WelcomeBulk warmUp = new WelcomeBulk(http, 1000);
      warmUp.awaitAllSent(warmUp.post(), Duration.ofSeconds(60), POLL);
      WelcomeBulk bulk = new WelcomeBulk(http, bulkSize);
      long start = System.nanoTime();
      String batchId = bulk.post();
      long posted = System.nanoTime();
      bulk.awaitAllSent(batchId, Duration.ofMinutes(5), POLL);
      long done = System.nanoTime();
      Map<String, Double> figures = new HashMap<>();
      figures.put("POST (ms)", (posted - start) / 1e6);
      figures.put("POST per message (us)", (posted - start) / 1e3 / bulkSize);
      figures.put("POST to all sent (ms)", (done - start) / 1e6);
      figures.put("per message, POST to sent (us)", (done - start) / 1e3 / bulkSize);
      figures.put("messages/s, POST to sent", bulkSize / ((done - start) / 1e9));
      return figures;
    }
  }

  private static void print(List<Map<String, Double>> runs, String figure, String format) {
    List<Double> values = runs.stream().map(r -> r.get(figure)).toList();
    System.out.printf(
        "  %-32s median " + format + "   [%s]%n",
        figure,
        median(values),
        values.stream().map(v -> String.format(format, v)).collect(Collectors.joining(", ")));
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
