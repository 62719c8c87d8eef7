package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The local reporter on the machine's PostgreSQL: grouping, listing, paging, scrubbing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(FailingRoutes.class)
@ExtendWith(OutputCaptureExtension.class)
class JdbcErrorReporterIT {

  static final String SEGMENT_KEY = "seg_local_it_5f4e3d2c1b0a9988";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/errors-local");
    registry.add("SEGMENT_WRITE_KEY", () -> SEGMENT_KEY);
  }

  @LocalServerPort int port;

  @Autowired JsonMapper json;

  @Autowired JdbcClient jdbc;

  @Autowired ErrorReporter reporter;

  @Autowired
  @Qualifier("errorsIntegration")
  Integration integration;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    jdbc.sql("DELETE FROM error_groups").update();
  }

  @Test
  void reportWhenSameFailureTwiceAndAnotherOnceThenTwoGroupsNewestFirstWithCounts(
      CapturedOutput output) {
    HttpResponse<String> first = http.get("/test/errors/secret?token=query-token-value");
    HttpResponse<String> second = http.get("/test/errors/secret");
    assertGenericServerError(first);
    assertGenericServerError(second);

    JsonNode afterTwo = list("");
    assertThat(afterTwo.get("provider").asString()).isEqualTo("local");
    assertThat(afterTwo.get("total").asLong()).isEqualTo(1);
    JsonNode group = afterTwo.get("groups").get(0);
    assertThat(group.get("count").asLong()).isEqualTo(2);
    assertThat(group.get("exceptionType").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(group.get("message").asString()).isEqualTo("Segment rejected write key ****");
    assertThat(group.get("lastRequestId").asString()).isEqualTo(requestId(second));
    assertThat(group.get("lastMethod").asString()).isEqualTo("GET");
    assertThat(group.get("lastPath").asString()).isEqualTo("/test/errors/secret");
    assertThat(group.get("fingerprint").asString()).matches("^[0-9a-f]{64}$");
    assertThat(group.get("firstSeen").asString())
        .isLessThanOrEqualTo(group.get("lastSeen").asString());
    JsonNode crumb = group.get("lastBreadcrumbs").get(0);
    assertThat(crumb.get("category").asString()).isEqualTo("http.segment");
    assertThat(crumb.get("message").asString()).isEqualTo("POST /v1/batch with key **** → 401");
    assertThat(crumb.get("data").get("authorization").asString()).isEqualTo("Basic ****");

    HttpResponse<String> other = http.get("/test/errors/other");
    assertThat(other.statusCode()).isEqualTo(500);

    JsonNode afterThree = list("");
    assertThat(afterThree.get("total").asLong()).isEqualTo(2);
    assertThat(afterThree.get("groups")).hasSize(2);
    assertThat(afterThree.get("groups").get(0).get("exceptionType").asString())
        .isEqualTo("java.lang.UnsupportedOperationException");
    assertThat(afterThree.get("groups").get(0).get("count").asLong()).isEqualTo(1);
    assertThat(afterThree.get("groups").get(1).get("count").asLong()).isEqualTo(2);

    JsonNode secondPage = list("?limit=1&offset=1");
    assertThat(secondPage.get("groups")).hasSize(1);
    assertThat(secondPage.get("groups").get(0).get("exceptionType").asString())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(secondPage.get("limit").asInt()).isEqualTo(1);
    assertThat(secondPage.get("offset").asInt()).isEqualTo(1);

    reporter.flush(Duration.ofSeconds(10));
    List<String> stored =
        jdbc.sql(
                "SELECT message || ' ' || COALESCE(last_breadcrumbs, '') || ' ' || last_path "
                    + "FROM error_groups")
            .query(String.class)
            .list();
    assertThat(stored)
        .hasSize(2)
        .allSatisfy(row -> assertThat(row).doesNotContain(SEGMENT_KEY, "query-token-value"));
    assertThat(output.getAll())
        .contains("Unhandled error on GET /test/errors/secret")
        .doesNotContain(SEGMENT_KEY);
  }

  @Test
  void reportWhenClientErrorThenNothingIsRecorded() {
    HttpResponse<String> notFound = http.get("/api/no-such-route");
    HttpResponse<String> badPaging = http.get("/api/errors?limit=0");

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(badPaging.statusCode()).isEqualTo(400);
    assertThat(list("").get("total").asLong()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|limit",
        "limit=201|limit",
        "limit=abc|limit",
        "limit=|limit",
        "limit=1.5|limit",
        "limit=-1|limit",
        "limit=99999999999|limit",
        "limit=1&limit=2|limit",
        "offset=-1|offset",
        "offset=x|offset",
        "offset=1000001|offset",
        "offset=|offset"
      })
  void listWhenPagingIsInvalidThenBadRequestNamingTheFieldAndNothingChanges(
      String query, String field) {
    http.get("/test/errors/other");
    reporter.flush(Duration.ofSeconds(10));
    long before =
        jdbc.sql("SELECT COALESCE(SUM(occurrences), 0) FROM error_groups")
            .query(Long.class)
            .single();

    HttpResponse<String> response = http.get("/api/errors?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("code").asString()).isEqualTo("validation_failed");
    assertThat(body.get("field").asString()).isEqualTo(field);
    assertThat(body.get("requestId").asString()).isEqualTo(requestId(response));
    assertThat(
            jdbc.sql("SELECT COALESCE(SUM(occurrences), 0) FROM error_groups")
                .query(Long.class)
                .single())
        .isEqualTo(before);
  }

  @Test
  void integrationWhenNoDsnThenLocalDevProviderThatIsUp() throws Exception {
    assertThat(integration.id()).isEqualTo("errors");
    assertThat(integration.area()).isEqualTo("monitoring");
    assertThat(integration.provider()).isEqualTo("local");
    assertThat(integration.mode()).isEqualTo(Integration.Mode.EMBEDDED);
    assertThat(integration.configured()).isFalse();
    assertThat(integration.maskedConfig())
        .containsEntry("SENTRY_DSN", "(not set)")
        .containsEntry("SENTRY_ENVIRONMENT", "development")
        .containsEntry("SENTRY_TRACES_SAMPLE_RATE", "0.1");
    assertThat(integration.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
  }

  private JsonNode list(String query) {
    reporter.flush(Duration.ofSeconds(10)); // reports are written in the background
    HttpResponse<String> response = http.get("/api/errors" + query);
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private void assertGenericServerError(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode body = json.readTree(response.body());
    assertThat(body.get("code").asString()).isEqualTo("internal_error");
    assertThat(body.get("message").asString()).startsWith("Something went wrong on our side");
    assertThat(body.get("requestId").asString()).isEqualTo(requestId(response));
    assertThat(response.body()).doesNotContain(SEGMENT_KEY);
  }

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("X-Request-Id").orElseThrow();
  }
}
