package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * One request and what must come back, for table-driven API tests (after PocketBase's {@code
 * tests.ApiScenario}): list the scenarios, then run each against the test's server.
 *
 * <pre>{@code
 * @ParameterizedTest(name = "{0}")
 * @MethodSource
 * void presign(ApiScenario scenario) {
 *   scenario.run(http);
 * }
 *
 * static List<ApiScenario> presign() {
 *   return List.of(
 *       ApiScenario.post("no caller", "/api/files/presign", BODY).expectError(401, "unauthenticated"),
 *       ApiScenario.post("key without scope", "/api/files/presign", BODY).asKey("key_noscope")
 *           .expectError(403, "insufficient_scope"),
 *       ApiScenario.post("user", "/api/files/presign", BODY).asUser("usr_1").expectStatus(200));
 * }
 * }</pre>
 *
 * <p>{@link #asKey} and {@link #asUser} need {@link TestCallers} imported; {@link #header} sends
 * anything else ({@code Authorization}, {@code Idempotency-Key}). An expected error is checked
 * against the JSON error shape: status, stable {@code code}, and a request id.
 */
public final class ApiScenario {

  private final String name;
  private final String method;
  private final String url;
  private final String body;
  private final List<String> headers = new ArrayList<>();
  private int expectedStatus = 200;
  private String expectedCode;
  private final List<Consumer<HttpResponse<String>>> checks = new ArrayList<>();

  private ApiScenario(String name, String method, String url, String body) {
    this.name = name;
    this.method = method;
    this.url = url;
    this.body = body;
  }

  public static ApiScenario get(String name, String url) {
    return new ApiScenario(name, "GET", url, null);
  }

  public static ApiScenario post(String name, String url, String jsonBody) {
    return new ApiScenario(name, "POST", url, jsonBody);
  }

  public static ApiScenario delete(String name, String url) {
    return new ApiScenario(name, "DELETE", url, null);
  }

  /** Any method, with an optional JSON body. */
  public static ApiScenario request(String name, String method, String url, String jsonBody) {
    return new ApiScenario(name, method, url, jsonBody);
  }

  /** Sends the request as the API key {@code keyId} (through {@link TestCallers}). */
  public ApiScenario asKey(String keyId) {
    return header(HeaderCallerFilter.HEADER, keyId);
  }

  /** Sends the request as the signed-in account {@code accountId} (through {@link TestCallers}). */
  public ApiScenario asUser(String accountId) {
    return header(HeaderCallerFilter.USER_HEADER, accountId);
  }

  public ApiScenario header(String headerName, String value) {
    headers.add(headerName);
    headers.add(value);
    return this;
  }

  /** The status that must come back (200 unless set). */
  public ApiScenario expectStatus(int status) {
    this.expectedStatus = status;
    return this;
  }

  /** An error in the JSON error shape with this status and code. */
  public ApiScenario expectError(int status, String code) {
    this.expectedStatus = status;
    this.expectedCode = code;
    return this;
  }

  /** A further check of the answer (its body, a header). */
  public ApiScenario expect(Consumer<HttpResponse<String>> check) {
    checks.add(check);
    return this;
  }

  /** Sends the request and checks the answer; returns it for checks of side effects. */
  public HttpResponse<String> run(HttpTestClient http) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(http.base() + url)).method(method, publisher);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request, headers.toArray(String[]::new));
    assertThat(response.statusCode())
        .as("%s: status (body %s)", name, response.body())
        .isEqualTo(expectedStatus);
    if (expectedCode != null) {
      JsonNode error = Json.tree(response.body());
      assertThat(error.path("code").asString(""))
          .as("%s: error code", name)
          .isEqualTo(expectedCode);
      assertThat(error.path("status").asInt())
          .as("%s: status in the body", name)
          .isEqualTo(expectedStatus);
      assertThat(error.path("requestId").asString("")).as("%s: request id", name).isNotBlank();
    }
    checks.forEach(check -> check.accept(response));
    return response;
  }

  @Override
  public String toString() {
    return name;
  }
}
