package dev.switchboard.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Several instances of the packaged jar as an operator runs them when one box is not enough: one
 * PostgreSQL schema, the machine's Redis, s3proxy as the S3 server (it checks signatures), the same
 * {@code SWITCHBOARD_AUTH_KEY_SECRET} and public URL everywhere, and nginx in front, round-robin
 * with passive health checks. The instances start in parallel. Requests through {@link #lb()} land
 * on the instances in turn; {@link #direct(int)} reaches one instance for certainty.
 */
public final class ScaleOutBed implements AutoCloseable {

  public static final String AUTH_KEY_SECRET = "scale-out-bed-auth-key-secret-0123456789";
  public static final String ANALYTICS_KEY = "wk_scale_out_bed_0123456789";
  public static final String STRIPE_SECRET = "whsec_scale_out_bed_0123456789abcdef";

  /** Small heaps and a fast start: three JVMs share two cores with the build. */
  static final List<String> JVM =
      List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final S3ProxyProcess s3;
  private final NginxProcess nginx;
  private final List<JarProcess> instances;
  private final String databaseUrl;

  private ScaleOutBed(
      S3ProxyProcess s3, NginxProcess nginx, List<JarProcess> instances, String databaseUrl) {
    this.s3 = s3;
    this.nginx = nginx;
    this.instances = instances;
    this.databaseUrl = databaseUrl;
  }

  /**
   * Starts {@code count} instances with the shared settings plus {@code extra} (provider URLs of
   * the test's own fake servers, limits), then nginx in front of them.
   */
  public static ScaleOutBed start(int count, Map<String, String> extra) throws Exception {
    S3ProxyProcess s3 = S3ProxyProcess.start();
    String database = PostgresTestDatabase.freshUrl();
    int lbPort = JarProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", database);
    env.put("REDIS_URL", TestRedis.URL);
    env.put("STORAGE_PROVIDER", "s3");
    env.put("S3_BUCKET", S3ProxyProcess.BUCKET);
    env.put("S3_REGION", S3ProxyProcess.REGION);
    env.put("S3_ENDPOINT", s3.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", S3ProxyProcess.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyProcess.SECRET_KEY);
    env.put("SWITCHBOARD_AUTH_KEY_SECRET", AUTH_KEY_SECRET);
    env.put("SWITCHBOARD_ADMIN_API_KEY", TestKeys.ADMIN);
    // One issuer for every instance: tokens name the public URL, which is the load balancer.
    env.put("SWITCHBOARD_PUBLIC_URL", "http://127.0.0.1:" + lbPort);
    env.put("ANALYTICS_KEY", ANALYTICS_KEY);
    env.put("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET);
    env.put("SWITCHBOARD_SHUTDOWN_GRACE", "10s");
    env.putAll(extra);
    // All instances start at once on the empty schema, as after an upgrade: Flyway's lock lets one
    // migrate while the others wait (ScaleOutIT checks each migration was applied once).
    List<JarProcess> instances = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        instances.add(JarProcess.start("scaleout-" + (char) ('a' + i), env, JVM));
      }
      List<CompletableFuture<Void>> ready = new ArrayList<>();
      for (JarProcess instance : instances) {
        ready.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    instance.awaitReady(Duration.ofSeconds(180));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
      NginxProcess nginx =
          NginxProcess.start(lbPort, instances.stream().map(JarProcess::port).toList());
      return new ScaleOutBed(s3, nginx, instances, database);
    } catch (Exception | Error e) {
      for (JarProcess instance : instances) {
        instance.close();
      }
      s3.close();
      throw e;
    }
  }

  /** A client for the load balancer. */
  public HttpTestClient lb() {
    return new HttpTestClient(nginx.port());
  }

  /** A client for instance {@code i} alone, bypassing nginx. */
  public HttpTestClient direct(int i) {
    return new HttpTestClient(instances.get(i).port());
  }

  public int size() {
    return instances.size();
  }

  public JarProcess instance(int i) {
    return instances.get(i);
  }

  public NginxProcess nginx() {
    return nginx;
  }

  /** The shared schema, for counting what the instances did. */
  public String databaseUrl() {
    return databaseUrl;
  }

  /** A JDBC URL for {@link #databaseUrl()}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + databaseUrl.substring(databaseUrl.indexOf('@') + 1);
  }

  /**
   * SIGTERM to instance {@code i}, then the same jar again on the same port, ready.
   *
   * @return the exit code of the stopped process
   */
  public int restart(int i, Duration grace) throws Exception {
    JarProcess old = instances.get(i);
    int exit = old.terminate(grace.plusSeconds(10));
    if (exit == -1) {
      throw new AssertionError("instance " + i + " did not exit:\n" + old.output());
    }
    JarProcess fresh = old.restart();
    instances.set(i, fresh);
    fresh.awaitReady(Duration.ofSeconds(180));
    return exit;
  }

  @Override
  public void close() throws Exception {
    nginx.close();
    for (JarProcess instance : instances) {
      instance.close();
    }
    s3.close();
  }

  /** The first exception text of each instance's log, for a failing assertion's message. */
  public String outputs() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < instances.size(); i++) {
      String out = instances.get(i).output();
      all.append("--- instance ").append(i).append(" (tail)\n");
      all.append(out, Math.max(0, out.length() - 4000), out.length()).append('\n');
    }
    return all.toString();
  }
}
