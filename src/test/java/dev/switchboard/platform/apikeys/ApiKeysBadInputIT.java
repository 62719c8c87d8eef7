package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Each bad {@code POST /api/keys} body answers the error shape with its field, and creates no key.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_ADMIN_API_KEY=" + ApiKeysIT.ADMIN_KEY,
      // twenty cases of three calls each with one key: more than the default 50/s in a burst
      "SWITCHBOARD_API_RATE_LIMIT=10000/s"
    })
class ApiKeysBadInputIT {

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/api-keys-bad-input-" + UUID.randomUUID());
  }

  @LocalServerPort int port;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      missing name            | {"scopes":["email:send"]}                          | validation_failed | name   | name is required
      null name               | {"name":null,"scopes":["email:send"]}              | validation_failed | name   | name is required
      empty name              | {"name":"","scopes":["email:send"]}                | validation_failed | name   | name is required
      blank name              | {"name":"   ","scopes":["email:send"]}             | validation_failed | name   | name is required
      overlong name           | {"name":"NAME101","scopes":["email:send"]}         | validation_failed | name   | at most 100
      control char in name    | {"name":"a\\u0007b","scopes":["email:send"]}       | validation_failed | name   | control characters
      number as name          | {"name":123,"scopes":["email:send"]}               | validation_failed | name   | must be a string
      array as name           | {"name":["ci"],"scopes":["email:send"]}            | validation_failed | name   | must be a string
      missing scopes          | {"name":"ci"}                                      | validation_failed | scopes | at least one
      null scopes             | {"name":"ci","scopes":null}                        | validation_failed | scopes | at least one
      empty scopes            | {"name":"ci","scopes":[]}                          | validation_failed | scopes | at least one
      unknown scope           | {"name":"ci","scopes":["email:send","email:read"]} | validation_failed | scopes | allowed scopes are email:send, files:write, payments:write, analytics:read, admin
      string as scopes        | {"name":"ci","scopes":"email:send"}                | validation_failed | scopes | array of strings
      number in scopes        | {"name":"ci","scopes":[1]}                         | validation_failed | scopes | array of strings
      empty object            | {}                                                 | validation_failed | name   | name is required
      array body              | []                                                 | validation_failed | -      | JSON object
      string body             | "ci"                                               | validation_failed | -      | JSON object
      not json                | name=ci&scopes=admin                               | malformed_json    | -      | not valid JSON
      truncated json          | {"name":"ci",                                      | malformed_json    | -      | not valid JSON
      """)
  void createWhenBadInputThen400WithFieldAndNoKeyCreated(
      String title, String body, String code, String field, String message) {
    HttpTestClient http = new HttpTestClient(port);
    int before = count(http);
    HttpResponse<String> response =
        http.post(
            "/api/keys",
            body.replace("NAME101", "n".repeat(101)),
            "Authorization",
            "Bearer " + ApiKeysIT.ADMIN_KEY);
    JsonNode error = ApiKeysIT.assertError(response, 400, code);
    if (field == null) {
      assertThat(error.has("field")).isFalse();
    } else {
      assertThat(error.get("field").stringValue()).isEqualTo(field);
    }
    assertThat(error.get("message").stringValue()).contains(message);
    assertThat(response.body()).doesNotContain("sk_");
    assertThat(count(http)).isEqualTo(before);
  }

  @Test
  void createWhenBodyEmptyThen400MalformedJsonAndNoKeyCreated() {
    HttpTestClient http = new HttpTestClient(port);
    int before = count(http);
    ApiKeysIT.assertError(
        http.post("/api/keys", "", "Authorization", "Bearer " + ApiKeysIT.ADMIN_KEY),
        400,
        "malformed_json");
    assertThat(count(http)).isEqualTo(before);
  }

  static int count(HttpTestClient http) {
    HttpResponse<String> list =
        http.get("/api/keys", "Authorization", "Bearer " + ApiKeysIT.ADMIN_KEY);
    assertThat(list.statusCode()).isEqualTo(200);
    return ApiKeysIT.json(list).get("keys").size();
  }
}
