package dev.switchboard.bench;

import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.PostgresTestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verified webhook ingest of the packaged jar against its own no-op endpoint, in one run so the ratio compares like
 * with like: {@code POST /api/webhooks/stripe} with a freshly signed event of a new id per request (HMAC check on the
 * raw bytes, dedupe insert, job enqueue, commit, 200) versus {@code GET /api/ping}, both driven by the same client
 * with the same concurrency, alternating phases. On H2 (file) and PostgreSQL. The stored events are processed by the
 * job worker at the same time (an event type we acknowledge and ignore), as they would be in production.
 * Run by {@code bench/payments.sh}; arguments: runs (3), seconds per phase (8), concurrent clients (16).
 */
public final class PaymentWebhookBench {

  private static final String SECRET = "whsec_benchmark_secret_0123456789";
  private static final AtomicLong IDS = new AtomicLong();

  private PaymentWebhookBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
    for (String db : List.of("h2", "postgresql")) {
      for (int run = 1; run <= runs; run++) {
        Map<String, Double> r = run(db, Duration.ofSeconds(seconds), clients);
        results.computeIfAbsent(db, k -> new ArrayList<>()).add(r);
        System.out.println(db + " run " + run + ": " + r);
      }
    }
    System.out.printf("%nruns: %d, %d s per phase (x2, alternating), %d concurrent clients, %d cores, loopback%n", runs,
        seconds, clients, Runtime.getRuntime().availableProcessors());
    for (var e : results.entrySet()) {
      System.out.println("database: " + e.getKey());
      for (String key : e.getValue().get(0).keySet()) {
        double[] values = e.getValue().stream().mapToDouble(m -> m.get(key)).sorted().toArray();
        System.out.printf("  %-34s median %10.2f   %s%n", key, values[values.length / 2], Arrays.toString(values));
      }
    }
  }

  static Map<String, Double> run(String db, Duration phase, int clients) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SWITCHBOARD_API_RATE_LIMIT", "100000000/s");
    env.put("STRIPE_WEBHOOK_SECRET", SECRET);
    if (db.equals("postgresql")) {
      env.put("DATABASE_URL", PostgresTestDatabase.freshUrl());
    }
    ExecutorService io = Executors.newFixedThreadPool(4);
    try (JarProcess jar = JarProcess.start("bench-webhooks-" + db, env).awaitReady(Duration.ofSeconds(300))) {
      String base = "http://127.0.0.1:" + jar.port();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
      phase(http, base, false, Duration.ofSeconds(3), clients);
      phase(http, base, true, Duration.ofSeconds(3), clients);
      List<double[]> ping = new ArrayList<>();
      List<double[]> hook = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ping.add(phase(http, base, false, phase, clients));
        hook.add(phase(http, base, true, phase, clients));
      }
      Map<String, Double> r = new LinkedHashMap<>();
      r.put("GET /api/ping (req/s)", mean(ping, 0));
      r.put("GET /api/ping p50 (ms)", mean(ping, 1));
      r.put("GET /api/ping p99 (ms)", mean(ping, 2));
      r.put("POST /api/webhooks/stripe (req/s)", mean(hook, 0));
      r.put("webhook p50 (ms)", mean(hook, 1));
      r.put("webhook p99 (ms)", mean(hook, 2));
      r.put("ratio webhook : ping", r.get("POST /api/webhooks/stripe (req/s)") / r.get("GET /api/ping (req/s)"));
      r.put("non-2xx answers", mean(ping, 3) + mean(hook, 3));
      return r;
    } finally {
      io.shutdownNow();
    }
  }

  private static double mean(List<double[]> phases, int index) {
    return phases.stream().mapToDouble(p -> p[index]).average().orElse(0);
  }

  /** {req/s, p50 ms, p99 ms, non-2xx} of {@code clients} loops sending back to back for {@code length}. */
  static double[] phase(HttpClient http, String base, boolean webhook, Duration length, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + length.toNanos();
    long start = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        long[] latencies = new long[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
          HttpRequest request = webhook ? webhookRequest(base) : HttpRequest.newBuilder(URI.create(base + "/api/ping"))
              .GET().build();
          long t0 = System.nanoTime();
          HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
          long took = System.nanoTime() - t0;
          if (response.statusCode() / 100 != 2) {
            errors.incrementAndGet();
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = took;
        }
        return Arrays.copyOf(latencies, n);
      }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      all.add(f.get());
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new double[] {merged.length / elapsed, merged[(int) (merged.length * 0.50)] / 1e6,
        merged[Math.min(merged.length - 1, (int) (merged.length * 0.99))] / 1e6, errors.get()};
  }

  private static HttpRequest webhookRequest(String base) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String id = "evt_bench_" + System.nanoTime() + "_" + IDS.incrementAndGet();
    String body = "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":" + now
        + ",\"livemode\":false,\"type\":\"customer.updated\",\"data\":{\"object\":{\"id\":\"cus_bench\","
        + "\"object\":\"customer\",\"email\":\"bench@example.com\"}}}";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = HexFormat.of().formatHex(mac.doFinal((now + "." + body).getBytes(StandardCharsets.UTF_8)));
    return HttpRequest.newBuilder(URI.create(base + "/api/webhooks/stripe"))
        .header("Content-Type", "application/json").header("Stripe-Signature", "t=" + now + ",v1=" + signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
