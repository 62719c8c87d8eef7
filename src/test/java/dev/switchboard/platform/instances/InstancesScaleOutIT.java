package dev.switchboard.platform.instances;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.monitoring.HealthMonitor;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several instances on one PostgreSQL schema with a short heartbeat: each lists all of them on the
 * map, one cut off from the database is flagged stale by the others (and live again when it
 * returns), one shut down shows as stopped, and the settings that break across instances (local
 * storage on different data dirs, different public URLs) are logged at startup and degrade their
 * box.
 */
@ExtendWith(OutputCaptureExtension.class)
class InstancesScaleOutIT {

  static final String SECRET = "instances-scale-out-secret-0123456789-abcdef";
  static final String URL = "http://sb.example.test";

  final JsonMapper json = JsonMapper.builder().build();
  final List<ConfigurableApplicationContext> instances = new ArrayList<>();
  final String database = PostgresTestDatabase.freshUrl();
  final String dir = "target/it-data/instances-" + UUID.randomUUID();
  TcpProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.restore();
    }
    instances.forEach(ConfigurableApplicationContext::close);
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void mapWhenThreeInstancesShareADatabaseThenEachListsAllThreeAndAStoppedOneAsStopped() {
    ConfigurableApplicationContext a = start(database, "shared", URL);
    ConfigurableApplicationContext b = start(database, "shared", URL);
    ConfigurableApplicationContext c = start(database, "shared", URL);
    // Each reads the others' rows at its own heartbeat: b started before c, so it learns of c then.
    Eventually.await(
        "a and b see three live", Duration.ofSeconds(60), () -> live(a) == 3 && live(b) == 3);
    String idC = id(c);

    b.getBean(HealthMonitor.class).checkNow("instances").join();
    JsonNode map = integrations(b);
    JsonNode listed = map.path("instances");
    assertThat(listed.size()).isEqualTo(3);
    assertThat(ids(listed)).containsExactly(id(a), id(b), idC);
    for (JsonNode i : listed) {
      assertThat(i.path("state").asString()).isEqualTo("live");
      assertThat(i.path("version").asString()).isNotBlank();
      assertThat(i.path("host").asString()).isNotBlank();
      assertThat(i.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(i.path("publicUrl").asString()).isEqualTo(URL);
      assertThat(i.path("database").asString()).isEqualTo("postgresql");
      assertThat(i.path("storage").asString()).isEqualTo("local");
      assertThat(i.path("startedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(i.path("lastHeartbeat").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(i.path("heartbeatIntervalMs").asLong()).isEqualTo(300);
      assertThat(i.path("stoppedAt").isNull()).isTrue();
      assertThat(i.path("self").asBoolean()).isEqualTo(i.path("id").asString().equals(id(b)));
    }
    JsonNode box = box(map, "instances");
    assertThat(box.path("area").asString()).isEqualTo("platform");
    assertThat(box.path("health").path("status").asString()).isEqualTo("up");
    assertThat(box.path("health").path("detail").asString()).isEqualTo("3 live; this is " + id(b));
    assertThat(a.getBean(HealthMonitor.class).checkNow("storage").join().status())
        .as("one data dir on one machine: local storage is shared")
        .isEqualTo(HealthStatus.UP);

    c.close();
    instances.remove(c);
    Eventually.await("a sees c stopped", Duration.ofSeconds(60), () -> live(a) == 2);
    JsonNode after = integrations(a).path("instances");
    JsonNode stopped = after.get(2);
    assertThat(stopped.path("id").asString()).isEqualTo(idC);
    assertThat(stopped.path("state").asString()).isEqualTo("stopped");
    assertThat(stopped.path("stoppedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(a.getBean(HealthMonitor.class).checkNow("instances").join().status())
        .as("a clean stop is not a problem")
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void instanceWhenItStopsReportingThenTheOthersFlagItStaleUntilItReturns(CapturedOutput output) {
    proxy = TcpProxy.toPostgres();
    ConfigurableApplicationContext a = start(database, "shared", URL);
    ConfigurableApplicationContext b = start(viaProxy(database, proxy.port()), "shared", URL);
    Eventually.await("a sees b", Duration.ofSeconds(60), () -> live(a) == 2);

    proxy.cut();
    Eventually.await(
        "a flags b stale",
        Duration.ofSeconds(60),
        () -> state(integrations(a), id(b)).equals("stale"));
    var health = a.getBean(HealthMonitor.class).checkNow("instances").join();
    assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.detail())
        .startsWith(id(b) + " on ")
        .contains("stopped reporting: last heartbeat", "expected every 300ms");
    assertThat(box(integrations(a), "instances").path("health").path("status").asString())
        .isEqualTo("degraded");
    assertThat(output.getOut())
        .contains("Integration instances (postgresql) is degraded (was up): " + id(b));

    proxy.restore();
    Eventually.await(
        "b reports again",
        Duration.ofSeconds(60),
        () -> state(integrations(a), id(b)).equals("live"));
    assertThat(a.getBean(HealthMonitor.class).checkNow("instances").join().status())
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void localStorageWhenInstancesUseDifferentDataDirsThenStartupWarnsAndStorageIsDegraded(
      CapturedOutput output) {
    ConfigurableApplicationContext a = start(database, "a", URL);
    ConfigurableApplicationContext b = start(database, "b", URL);

    String warning =
        "Integration storage (local) is degraded (was unknown): STORAGE_PROVIDER=local on 2 of 2"
            + " live instances: an upload stays on the machine that took it; set"
            + " STORAGE_PROVIDER=s3 or r2 with S3_BUCKET and AWS keys on every instance";
    Eventually.await(
        "the warning", Duration.ofSeconds(60), () -> output.getOut().contains(warning));
    assertThat(line(output, warning)).contains(" WARN ");
    JsonNode storage = box(integrations(b), "storage");
    assertThat(storage.path("health").path("status").asString()).isEqualTo("degraded");
    assertThat(storage.path("health").path("detail").asString())
        .startsWith("STORAGE_PROVIDER=local on 2 of 2 live instances");
    Eventually.await(
        "a's next heartbeat reads b's row", Duration.ofSeconds(60), () -> live(a) == 2);
    var first = a.getBean(HealthMonitor.class).checkNow("storage").join();
    assertThat(first.status())
        .as("the instance that started first sees it at its next check")
        .isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void publicUrlWhenInstancesDifferThenStartupWarnsAndTheirTokensAreRefusedByEachOther(
      CapturedOutput output) {
    ConfigurableApplicationContext a = start(database, "shared", URL);
    ConfigurableApplicationContext b = start(database, "shared", "http://other.example.test");

    String warning =
        "Integration instances (postgresql) is degraded (was unknown): SWITCHBOARD_PUBLIC_URL"
            + " differs: 2 values across 2 live instances, so a token issued by one is 401 on the"
            + " others (issuer); set the same value on every instance";
    Eventually.await(
        "the warning", Duration.ofSeconds(60), () -> output.getOut().contains(warning));
    assertThat(line(output, warning)).contains(" WARN ");
    JsonNode box = box(integrations(b), "instances");
    assertThat(box.path("health").path("status").asString()).isEqualTo("degraded");
    assertThat(box.path("health").path("detail").asString())
        .startsWith("SWITCHBOARD_PUBLIC_URL differs: 2 values across 2 live instances");
    List<String> urls = new ArrayList<>();
    integrations(b).path("instances").forEach(i -> urls.add(i.path("publicUrl").asString()));
    assertThat(urls).containsExactly(URL, "http://other.example.test");
    Eventually.await(
        "a's next heartbeat reads b's row", Duration.ofSeconds(60), () -> live(a) == 2);
    assertThat(a.getBean(HealthMonitor.class).checkNow("instances").join().status())
        .isEqualTo(HealthStatus.DEGRADED);

    HttpTestClient httpA = client(a);
    httpA.post(
        "/api/auth/register", "{\"email\":\"iss@example.com\",\"password\":\"a long password 1\"}");
    String token =
        json.readTree(
                httpA
                    .post(
                        "/api/auth/login",
                        "{\"email\":\"iss@example.com\",\"password\":\"a long password 1\"}")
                    .body())
            .path("accessToken")
            .asString();
    assertThat(httpA.get("/api/auth/me", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
    assertThat(client(b).get("/api/auth/me", "Authorization", "Bearer " + token).statusCode())
        .as("the issuer differs")
        .isEqualTo(401);
  }

  ConfigurableApplicationContext start(String databaseUrl, String dataDir, String publicUrl) {
    Map<String, Object> env = new HashMap<>();
    env.put("DATABASE_URL", databaseUrl);
    env.put("SWITCHBOARD_DATA_DIR", dir + "/" + dataDir);
    env.put("SWITCHBOARD_AUTH_KEY_SECRET", SECRET);
    env.put("SWITCHBOARD_ADMIN_API_KEY", TestKeys.ADMIN);
    env.put("SWITCHBOARD_PUBLIC_URL", publicUrl);
    env.put("SWITCHBOARD_HEARTBEAT_INTERVAL", "300ms");
    env.put("PORT", "0");
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(Switchboard.class).properties(env).run();
    instances.add(app);
    return app;
  }

  /** The one log line that contains {@code text}. */
  static String line(CapturedOutput output, String text) {
    List<String> lines = output.getOut().lines().filter(l -> l.contains(text)).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  static String viaProxy(String databaseUrl, int port) {
    return databaseUrl.replace(":" + PostgresTestDatabase.PORT + "/", ":" + port + "/");
  }

  static String id(ConfigurableApplicationContext app) {
    return app.getBean(InstanceRegistry.class).id();
  }

  static long live(ConfigurableApplicationContext app) {
    return app.getBean(InstanceRegistry.class).roster().live().size();
  }

  static HttpTestClient client(ConfigurableApplicationContext app) {
    return new HttpTestClient(
        Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
  }

  JsonNode integrations(ConfigurableApplicationContext app) {
    var response =
        client(app).get("/api/integrations", "Authorization", "Bearer " + TestKeys.ADMIN);
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  static JsonNode box(JsonNode map, String id) {
    for (JsonNode i : map.path("integrations")) {
      if (i.path("id").asString().equals(id)) {
        return i;
      }
    }
    throw new AssertionError("no box " + id + " on the map");
  }

  static List<String> ids(JsonNode instances) {
    List<String> ids = new ArrayList<>();
    instances.forEach(i -> ids.add(i.path("id").asString()));
    return ids;
  }

  static String state(JsonNode map, String id) {
    for (JsonNode i : map.path("instances")) {
      if (i.path("id").asString().equals(id)) {
        return i.path("state").asString();
      }
    }
    return "absent";
  }
}
