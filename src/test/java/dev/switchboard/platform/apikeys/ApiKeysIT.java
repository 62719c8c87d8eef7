package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.RequestIds;
import dev.switchboard.testing.HttpTestClient;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Authentication, scope enforcement and {@code /api/keys} against the running server. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "SWITCHBOARD_ADMIN_API_KEY=" + ApiKeysIT.ADMIN_KEY)
@Import(ApiKeysIT.ScopedRoutes.class)
@ExtendWith(OutputCaptureExtension.class)
class ApiKeysIT {

  static final String ADMIN_KEY = "it-admin-key-0123456789-abcdefghijklmnop";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A route per enforcement rule: the class scope, and a method that overrides it. */
  @RestController
  @RequiresScope(Scopes.EMAIL_SEND)
  static class ScopedRoutes {
    @GetMapping("/test/scoped/email")
    Map<String, String> email(HttpServletRequest request) {
      return Map.of("caller", Caller.of(request).orElseThrow().id());
    }

    @GetMapping("/test/scoped/files")
    @RequiresScope(Scopes.FILES_WRITE)
    Map<String, String> files(HttpServletRequest request) {
      return Map.of("caller", Caller.of(request).orElseThrow().id());
    }
  }

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    // A new H2 database per run, so earlier runs' keys never show up in the lists compared here.
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/api-keys-" + UUID.randomUUID());
  }

  @LocalServerPort int port;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void scopedRouteWhenNoKeyThen401MissingApiKey() {
    HttpResponse<String> response = http.get("/test/scoped/email");
    assertError(response, 401, "missing_api_key");
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void scopedRouteWhenBearerIsNotAnApiKeyThenLeftForOthersAnd401MissingApiKey() {
    assertError(
        http.get("/test/scoped/email", "Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln"),
        401,
        "missing_api_key");
    assertThat(
            http.get("/actuator/health", "Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void anyRouteWhenWrongKeyThen401InvalidApiKey() {
    String unknown = new ApiKeyGenerator(new java.security.SecureRandom()).newSecret();
    for (String token : new String[] {unknown, "sk_short", "sk_" + "!".repeat(43)}) {
      HttpResponse<String> response =
          http.get("/test/scoped/email", "Authorization", "Bearer " + token);
      assertError(response, 401, "invalid_api_key");
      assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      // Rejected in the filter: even routes without a scope refuse a bad key instead of ignoring
      // it.
      assertError(
          http.get("/actuator/health", "Authorization", "Bearer " + token), 401, "invalid_api_key");
    }
  }

  @Test
  void scopedRouteWhenKeyRevokedThen401InvalidApiKey() {
    Created key = create("revoked-soon", "email:send");
    assertThat(http.get("/test/scoped/email", "Authorization", "Bearer " + key.secret).statusCode())
        .isEqualTo(200);
    HttpResponse<String> revoked = delete("/api/keys/" + key.id, ADMIN_KEY);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(json(revoked).get("revokedAt").isNull()).isFalse();
    assertError(
        http.get("/test/scoped/email", "Authorization", "Bearer " + key.secret),
        401,
        "invalid_api_key");
  }

  @Test
  void scopedRouteWhenKeyLacksScopeThen403InsufficientScopeNamingIt() {
    Created key = create("files-only", "files:write");
    HttpResponse<String> response =
        http.get("/test/scoped/email", "Authorization", "Bearer " + key.secret);
    assertError(response, 403, "insufficient_scope");
    assertThat(json(response).get("message").stringValue()).contains("email:send");
    assertError(
        http.get("/api/keys", "Authorization", "Bearer " + key.secret), 403, "insufficient_scope");
  }

  @Test
  void scopedRouteWhenKeyHasScopeThen200AsThatKey() {
    Created mail = create("mailer", "email:send");
    HttpResponse<String> ok =
        http.get("/test/scoped/email", "Authorization", "bearer " + mail.secret);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("caller").stringValue()).isEqualTo(mail.id);
    // The method's scope replaces the class's.
    assertError(
        http.get("/test/scoped/files", "Authorization", "Bearer " + mail.secret),
        403,
        "insufficient_scope");
    Created files = create("uploader", "files:write");
    assertThat(
            http.get("/test/scoped/files", "Authorization", "Bearer " + files.secret).statusCode())
        .isEqualTo(200);
  }

  @Test
  void scopedRouteWhenAdminEnvironmentKeyThenAcceptedEverywhere() {
    HttpResponse<String> email =
        http.get("/test/scoped/email", "Authorization", "Bearer " + ADMIN_KEY);
    assertThat(email.statusCode()).isEqualTo(200);
    assertThat(json(email).get("caller").stringValue()).isEqualTo("key_env_admin");
    assertThat(http.get("/test/scoped/files", "Authorization", "Bearer " + ADMIN_KEY).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/api/keys", "Authorization", "Bearer " + ADMIN_KEY).statusCode())
        .isEqualTo(200);
  }

  @Test
  void createWhenValidThen201WithSecretOnceAndListNeverShowsIt(CapturedOutput output) {
    HttpResponse<String> response =
        http.post(
            "/api/keys",
            "{\"name\":\"ci\",\"scopes\":[\"files:write\",\"email:send\"]}",
            "Authorization",
            "Bearer " + ADMIN_KEY);
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    JsonNode body = json(response);
    String id = body.get("id").stringValue();
    String secret = body.get("key").stringValue();
    assertThat(id).matches("^key_[0-9A-Za-z]{22}$");
    assertThat(secret).matches("^sk_[0-9A-Za-z]{43}$");
    assertThat(body.get("name").stringValue()).isEqualTo("ci");
    assertThat(body.get("scopes").toString()).isEqualTo("[\"email:send\",\"files:write\"]");
    assertThat(body.get("prefix").stringValue()).isEqualTo(secret.substring(0, 7));
    assertThat(body.get("createdAt").stringValue()).endsWith("Z");

    assertThat(http.get("/test/scoped/email", "Authorization", "Bearer " + secret).statusCode())
        .isEqualTo(200);
    HttpResponse<String> list = http.get("/api/keys", "Authorization", "Bearer " + ADMIN_KEY);
    assertThat(list.body())
        .contains(id)
        .doesNotContain(secret)
        .doesNotContain(ApiKeyHash.of(secret))
        .doesNotContain(secret.substring(7));
    JsonNode listed = find(json(list), id);
    assertThat(listed.get("lastUsedAt").isNull()).as("use was recorded").isFalse();
    assertThat(listed.get("revokedAt").isNull()).isTrue();
    assertThat(listed.has("key")).isFalse();
    assertThat(output.getAll()).doesNotContain(secret).doesNotContain(secret.substring(7));
  }

  @Test
  void revokeWhenUnknownIdThen404NotFound() {
    int before = count();
    assertError(delete("/api/keys/key_doesnotexist", ADMIN_KEY), 404, "not_found");
    assertThat(count()).isEqualTo(before);
  }

  Created create(String name, String scope) {
    HttpResponse<String> response =
        http.post(
            "/api/keys",
            "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}",
            "Authorization",
            "Bearer " + ADMIN_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = json(response);
    return new Created(body.get("id").stringValue(), body.get("key").stringValue());
  }

  record Created(String id, String secret) {}

  int count() {
    return json(http.get("/api/keys", "Authorization", "Bearer " + ADMIN_KEY)).get("keys").size();
  }

  HttpResponse<String> delete(String path, String key) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.base() + path)).DELETE(),
        "Authorization",
        "Bearer " + key);
  }

  static JsonNode find(JsonNode list, String id) {
    for (JsonNode key : list.get("keys")) {
      if (key.get("id").stringValue().equals(id)) {
        return key;
      }
    }
    throw new AssertionError("key " + id + " not listed");
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** The one error shape, with the request id the response header carries. */
  static JsonNode assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = json(response);
    assertThat(body.get("status").intValue()).isEqualTo(status);
    assertThat(body.get("code").stringValue()).isEqualTo(code);
    assertThat(body.get("message").stringValue()).isNotBlank();
    assertThat(body.get("requestId").stringValue())
        .isEqualTo(response.headers().firstValue(RequestIds.HEADER).orElseThrow());
    return body;
  }
}
