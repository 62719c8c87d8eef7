package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import dev.switchboard.testing.PostgresTestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Starts the packaged jar with a secret in every variable that takes one, uses the API and the
 * dashboard, and checks that no secret value appears in anything it printed or answered.
 */
class SecretLeakIT {

  static final String ADMIN_KEY = "sk_leakcheck_admin_0123456789abcdefXYZ";

  @Test
  void runWhenEverySecretSetThenNoneAppearsInLogsResponsesOrDashboard() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("SWITCHBOARD_ADMIN_API_KEY", ADMIN_KEY);
    secrets.put("db password", "LeakDbPassw0rd77");
    secrets.put("redis password", "LeakRedisPassw0rd88");
    secrets.put("GOOGLE_CLIENT_SECRET", "GOCSPX-LeakGoogleSecret123456");
    secrets.put("GITHUB_CLIENT_SECRET", "LeakGithubSecret0123456789abcdef01234567");
    secrets.put("SENDGRID_API_KEY", "SG.LeakSendgridKey.0123456789abcdefghij");
    secrets.put("POSTMARK_SERVER_TOKEN", "LeakPostmark-0000-1111-2222-333344445555");
    secrets.put("RESEND_API_KEY", "re_LeakResendKey0123456789");
    secrets.put("smtp password", "LeakSmtpPassw0rd99");
    secrets.put("STRIPE_SECRET_KEY", "sk_test_51LeakStripeSecretKey0123456789");
    secrets.put("STRIPE_WEBHOOK_SECRET", "whsec_LeakStripeWebhookSecret0123");
    secrets.put("PAYPAL_CLIENT_SECRET", "LeakPaypalSecret0123456789");
    secrets.put("AWS_SECRET_ACCESS_KEY", "LeakAwsSecretAccessKey0123456789abcdefgh");
    secrets.put("ANALYTICS_KEY", "LeakAnalyticsWriteKey0123");
    secrets.put("SEGMENT_WRITE_KEY", "LeakSegmentWriteKey0123");
    secrets.put("POSTHOG_API_KEY", "phc_LeakPosthogKey0123456789");
    secrets.put("sentry key", "LeakSentryPublicKey0123");
    secrets.put("PAGERDUTY_ROUTING_KEY", "LeakPagerdutyRoutingKey012345678");
    secrets.put("slack token", "LeakSlackWebhookToken0123");

    String database =
        PostgresTestDatabase.freshUrl()
            .replace(
                "postgresql://postgres@",
                "postgresql://postgres:" + secrets.get("db password") + "@");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", database); // trust auth: the password is sent and ignored
    env.put("REDIS_URL", "redis://:" + secrets.get("redis password") + "@127.0.0.1:6379");
    env.put("SWITCHBOARD_ADMIN_API_KEY", ADMIN_KEY);
    env.put("GOOGLE_CLIENT_ID", "leak-check.apps.googleusercontent.com");
    env.put("GOOGLE_CLIENT_SECRET", secrets.get("GOOGLE_CLIENT_SECRET"));
    env.put("GITHUB_CLIENT_ID", "Iv1.leakcheck");
    env.put("GITHUB_CLIENT_SECRET", secrets.get("GITHUB_CLIENT_SECRET"));
    env.put("EMAIL_PROVIDER", "sendgrid");
    env.put("SENDGRID_API_KEY", secrets.get("SENDGRID_API_KEY"));
    // Every provider endpoint points at a closed local port: this test must never reach out of the
    // machine.
    env.put("SENDGRID_API_URL", "http://127.0.0.1:9");
    env.put("POSTMARK_API_URL", "http://127.0.0.1:9");
    env.put("RESEND_API_URL", "http://127.0.0.1:9");
    env.put("POSTMARK_SERVER_TOKEN", secrets.get("POSTMARK_SERVER_TOKEN"));
    env.put("RESEND_API_KEY", secrets.get("RESEND_API_KEY"));
    env.put("SMTP_URL", "smtp://mailer:" + secrets.get("smtp password") + "@127.0.0.1:2525");
    env.put("STRIPE_SECRET_KEY", secrets.get("STRIPE_SECRET_KEY"));
    env.put("STRIPE_WEBHOOK_SECRET", secrets.get("STRIPE_WEBHOOK_SECRET"));
    env.put("PAYPAL_CLIENT_ID", "leak-check-paypal");
    env.put("PAYPAL_CLIENT_SECRET", secrets.get("PAYPAL_CLIENT_SECRET"));
    env.put("PAYPAL_WEBHOOK_ID", "WH-LEAKCHECK");
    env.put("S3_BUCKET", "leak-check");
    env.put("S3_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIALEAKCHECK");
    env.put("AWS_SECRET_ACCESS_KEY", secrets.get("AWS_SECRET_ACCESS_KEY"));
    env.put("STORAGE_PROVIDER", "s3");
    env.put("S3_ENDPOINT", "http://127.0.0.1:9");
    env.put("ANALYTICS_KEY", secrets.get("ANALYTICS_KEY"));
    env.put("SEGMENT_WRITE_KEY", secrets.get("SEGMENT_WRITE_KEY"));
    env.put("POSTHOG_API_KEY", secrets.get("POSTHOG_API_KEY"));
    env.put("SENTRY_DSN", "http://" + secrets.get("sentry key") + "@127.0.0.1:9/1");
    env.put("PAGERDUTY_ROUTING_KEY", secrets.get("PAGERDUTY_ROUTING_KEY"));
    env.put(
        "SLACK_WEBHOOK_URL",
        "https://127.0.0.1:9/services/T000/B000/" + secrets.get("slack token"));

    List<String> answers = new ArrayList<>();
    try (JarProcess app =
        JarProcess.start("secret-leak", env).awaitReady(Duration.ofSeconds(180))) {
      HttpTestClient http = new HttpTestClient(app.port());
      String auth = "Bearer " + ADMIN_KEY;
      for (String path :
          List.of(
              "/api/integrations",
              "/api/health",
              "/api/errors",
              "/api/keys",
              "/api/nope",
              "/actuator/health",
              "/actuator/prometheus")) {
        HttpResponse<String> response = http.get(path, "Authorization", auth);
        answers.add(
            path
                + " "
                + response.statusCode()
                + " "
                + response.headers().map()
                + "\n"
                + response.body());
      }
      HttpResponse<String> integrations = http.get("/api/integrations", "Authorization", auth);
      assertThat(integrations.statusCode()).isEqualTo(200);
      assertThat(integrations.body()).contains("\"database\"").contains("\"errors\"");
      answers.add(
          http.post(
                  "/api/keys",
                  "{\"name\":\"" + ADMIN_KEY + "\",\"scopes\":[\"nope\"]}",
                  "Authorization",
                  auth)
              .body());
      answers.add(
          http.get("/api/integrations", "Authorization", "Bearer " + ADMIN_KEY + "x").body());

      HttpResponse<String> signIn =
          http.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("key=" + ADMIN_KEY)));
      assertThat(signIn.statusCode()).isEqualTo(303);
      String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      for (String page : List.of("/admin", "/admin/errors")) {
        HttpResponse<String> html = http.get(page, "Cookie", cookie);
        assertThat(html.statusCode()).as(page).isEqualTo(200);
        answers.add(html.body());
      }
      app.close();
      String everything = app.output() + "\n" + String.join("\n", answers);
      assertThat(everything).contains("Switchboard ready");
      secrets.forEach(
          (name, value) -> assertThat(everything).as(name + " leaked").doesNotContain(value));
    }
  }
}
