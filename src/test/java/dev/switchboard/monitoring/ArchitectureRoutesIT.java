package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The generated architecture document over HTTP, and the status table and readiness checklist on
 * the map page.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/architecture",
      TestKeys.ADMIN_PROPERTY,
      "STRIPE_SECRET_KEY=sk_test_51HxSecretStripeKeyValue9876",
      "STRIPE_WEBHOOK_SECRET=whsec_SigningSecretValueAbcdEfgh12345678",
      "STRIPE_API_BASE=http://127.0.0.1:9",
      "EMAIL_PROVDER=sendgrid"
    })
class ArchitectureRoutesIT {

  @LocalServerPort int port;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void architectureWhenAdminKeyThenMarkdownOfEverySectionWithSecretsMasked() {
    HttpResponse<String> response =
        http.get("/api/integrations/architecture.md", "Authorization", "Bearer " + TestKeys.ADMIN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/markdown"));
    assertThat(response.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    for (String chapter : ArchitectureDocumentTest.CHAPTERS) {
      assertThat(response.body()).contains(chapter + "\n");
    }
    assertThat(response.body())
        .contains("| Mode | Test |", "sk_test_…9876", "http://localhost:8080/api/webhooks/stripe")
        .contains("| unknown variable | `EMAIL_PROVDER` |")
        .doesNotContain("51HxSecretStripeKeyValue")
        .doesNotContain("SigningSecretValue")
        .doesNotContain(TestKeys.ADMIN);
  }

  @Test
  void architectureWhenNoKeyThen401AndWhenKeyWithoutAdminScopeThen403() {
    HttpResponse<String> missing = http.get("/api/integrations/architecture.md");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body())
        .contains("\"code\":\"missing_api_key\"")
        .doesNotContain("Integration Architecture");

    HttpResponse<String> created =
        http.post(
            "/api/keys",
            "{\"name\":\"mailer\",\"scopes\":[\"email:send\"]}",
            "Authorization",
            "Bearer " + TestKeys.ADMIN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = created.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    HttpResponse<String> wrongScope =
        http.get("/api/integrations/architecture.md", "Authorization", "Bearer " + key);
    assertThat(wrongScope.statusCode()).isEqualTo(403);
    assertThat(wrongScope.body())
        .contains("\"code\":\"insufficient_scope\"")
        .doesNotContain("Integration Architecture");

    HttpResponse<String> post =
        http.post(
            "/api/integrations/architecture.md", "{}", "Authorization", "Bearer " + TestKeys.ADMIN);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.body()).contains("\"code\":\"method_not_allowed\"");
  }

  @Test
  void integrationsWhenH2AndLocalFilesThenEmbeddedNotDev() {
    String body = http.get("/api/integrations", "Authorization", "Bearer " + TestKeys.ADMIN).body();

    assertThat(body)
        .containsPattern(
            "\\{\"id\":\"database\",\"area\":\"platform\",\"provider\":\"h2\",\"mode\":\"embedded\"")
        .containsPattern(
            "\\{\"id\":\"storage\",\"area\":\"storage\",\"provider\":\"local\",\"mode\":\"embedded\"")
        .containsPattern(
            "\\{\"id\":\"email\",\"area\":\"email\",\"provider\":\"outbox\",\"mode\":\"dev\"");
  }

  @Test
  void mapPageWhenSignedInThenStatusTableAndReadinessChecklist() {
    HttpResponse<String> signIn =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "key=" + URLEncoder.encode(TestKeys.ADMIN, StandardCharsets.UTF_8))));
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

    HttpResponse<String> page = http.get("/admin", "Cookie", cookie);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains(
            "id=\"status-table\"",
            "<tr data-integration=\"database\"><td>database</td><td>h2</td><td>embedded</td>")
        .contains(
            "<tr data-integration=\"payments.stripe\"><td>payments.stripe</td><td>stripe</td><td>test</td>")
        .contains(
            "id=\"readiness-checklist\"",
            "data-kind=\"unknown variable\"",
            "did you mean EMAIL_PROVIDER?")
        .contains("data-kind=\"embedded\"", "one instance only")
        .doesNotContain("51HxSecretStripeKeyValue");
  }
}
