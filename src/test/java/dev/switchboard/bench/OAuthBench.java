package dev.switchboard.bench;

import dev.switchboard.testing.JarProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Complete OAuth sign-ins per second through the dev identity provider, against the no-op endpoint
 * in the same run: each sign-in is {@code GET /api/auth/login/google} (flow row), {@code POST
 * /dev/oauth/google/authorize} (code), {@code GET /api/auth/callback/google} (claim the flow, token
 * + userinfo calls back into the server, account lookup, one-time code) and {@code POST
 * /api/auth/exchange} (claim the code, open a session, sign an ES256 token), for 1,000 returning
 * users. Run by {@code bench/oauth.sh}; arguments: runs (3), seconds per measurement (10), client
 * threads (8).
 */
public final class OAuthBench {

  private static final String APP = "http://localhost:3000/signed-in";

  private OAuthBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    List<Map<String, Double>> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      results.add(run(seconds, threads));
      System.out.println("run " + run + ": " + results.get(results.size() - 1));
    }
    System.out.printf(
        "%nruns: %d, %d s each, %d client threads, %d cores, loopback%n",
        runs, seconds, threads, Runtime.getRuntime().availableProcessors());
    for (String figure :
        List.of(
            "ping requests/s",
            "sign-ins/s",
            "sign-in requests/s",
            "sign-in ms (mean)",
            "sign-ins per 100 pings")) {
      List<Double> values = results.stream().map(r -> r.get(figure)).toList();
      System.out.printf(
          "  %-24s median %.1f   [%s]%n",
          figure,
          EmailBench.median(values),
          values.stream().map(v -> String.format("%.1f", v)).collect(Collectors.joining(", ")));
    }
  }

  private static Map<String, Double> run(int seconds, int threads) throws Exception {
    try (JarProcess jar =
        JarProcess.start(
                "bench-oauth",
                Map.of(
                    "SWITCHBOARD_API_RATE_LIMIT",
                    "100000000/s",
                    "SWITCHBOARD_SIGN_IN_RATE_LIMIT",
                    "100000000/min"))
            .awaitReady(Duration.ofSeconds(240))) {
      String base = "http://127.0.0.1:" + jar.port();
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      AtomicInteger user = new AtomicInteger();
      measure(threads, 3, () -> signIn(http, base, user.incrementAndGet() % 1000));
      measure(threads, 3, () -> ping(http, base));
      double pings = measure(threads, seconds, () -> ping(http, base));
      double signIns =
          measure(threads, seconds, () -> signIn(http, base, user.incrementAndGet() % 1000));
      Map<String, Double> figures = new HashMap<>();
      figures.put("ping requests/s", pings);
      figures.put("sign-ins/s", signIns);
      figures.put("sign-in requests/s", signIns * 4);
      figures.put("sign-in ms (mean)", threads * 1000.0 / signIns);
      figures.put("sign-ins per 100 pings", 100 * signIns / pings);
      return figures;
    }
  }

  interface Step {
    void run() throws Exception;
  }

  /** Operations per second with {@code threads} clients looping for {@code seconds}. */
  private static double measure(int threads, int seconds, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  step.run();
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> client : clients) {
      client.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return done.get() / elapsed;
  }

  private static void ping(HttpClient http, String base) throws Exception {
    expect(
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/ping")).build(),
            HttpResponse.BodyHandlers.discarding()),
        204);
  }

  private static void signIn(HttpClient http, String base, int user) throws Exception {
    HttpResponse<Void> login =
        expect(
            http.send(
                HttpRequest.newBuilder(
                        URI.create(base + "/api/auth/login/google?redirect_to=" + APP))
                    .build(),
                HttpResponse.BodyHandlers.discarding()),
            302);
    Map<String, String> form = query(location(login));
    form.put("email", "user" + user + "@example.com");
    form.put("name", "User " + user);
    form.put("email_verified", "true");
    form.put("decision", "allow");
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<Void> authorized =
        expect(
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/dev/oauth/google/authorize"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding()),
            302);
    URI callback = location(authorized);
    HttpResponse<Void> back =
        expect(
            http.send(
                HttpRequest.newBuilder(
                        URI.create(base + callback.getRawPath() + "?" + callback.getRawQuery()))
                    .build(),
                HttpResponse.BodyHandlers.discarding()),
            302);
    String code = query(location(back)).get("code");
    if (code == null) {
      throw new IllegalStateException("sign-in failed: " + location(back));
    }
    expect(
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/auth/exchange"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.discarding()),
        200);
  }

  private static <T> HttpResponse<T> expect(HttpResponse<T> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.uri() + " answered " + response.statusCode());
    }
    return response;
  }

  private static URI location(HttpResponse<?> response) {
    return URI.create(response.headers().firstValue("Location").orElseThrow());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          pair.substring(0, eq),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
