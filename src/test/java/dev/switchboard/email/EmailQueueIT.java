package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send queue against a scripted provider: rate limits, retries, permanent failures and
 * suppression.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmailQueueIT {

  static final RecordingMailSender PROVIDER = new RecordingMailSender("recording");

  @TestConfiguration
  static class Provider {
    @Bean
    @Primary
    EmailSenders recordingSenders(Clock clock) {
      return new EmailSenders(
          PROVIDER, Optional.empty(), new SenderCircuit(clock, 5, Duration.ofSeconds(30)));
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/email-queue-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "https://mail.switchboard.test");
    registry.add("EMAIL_FROM", () -> "Acme <no-reply@acme.test>");
  }

  @LocalServerPort int port;

  @Autowired EmailStore store;

  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void sendWhenProviderRateLimitsThenWaitsItsDelayAndSendsTheSameMessage() {
    String to = "limited@example.com";
    PROVIDER.script(
        to, SendResult.rateLimited(Optional.of(Duration.ofMillis(800)), "429 slow down"));

    String id = send(to);
    JsonNode message = awaitStatus(id, "sent");

    List<RecordingMailSender.Call> calls = PROVIDER.callsTo(to);
    assertThat(calls).hasSize(2);
    assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(calls.get(1).mail()).isEqualTo(calls.get(0).mail());
    assertThat(calls.get(0).mail().rfcMessageId()).isEqualTo("<" + id + "@mail.switchboard.test>");
    assertThat(calls.get(0).mail().idempotencyKey()).isEqualTo(id);
    assertThat(calls.get(0).mail().from()).isEqualTo("Acme <no-reply@acme.test>");
    // The rate-limited answer gave its attempt back: only the accepted send counts.
    assertThat(message.path("attempts").asInt()).isEqualTo(1);
    assertThat(message.path("providerMessageId").asString()).isEqualTo("recording-" + id);
    assertThat(message.has("html")).as("content shown for the outbox only").isFalse();
  }

  @Test
  void sendWhenProviderRateLimitsMoreTimesThanTheAttemptLimitThenStillSentNeverFailed() {
    String to = "throttled@example.com";
    SendResult[] limited = new SendResult[EmailSendJob.MAX_SEND_ATTEMPTS + 2];
    java.util.Arrays.fill(
        limited, SendResult.rateLimited(Optional.of(Duration.ofMillis(20)), "429 slow down"));
    PROVIDER.script(to, limited);

    String id = send(to);
    JsonNode message = awaitStatus(id, "sent");

    assertThat(PROVIDER.callsTo(to)).hasSize(EmailSendJob.MAX_SEND_ATTEMPTS + 3);
    assertThat(message.path("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void sendWhenProviderFailsRetryablyThenRetriedWithBackoffAndSent() {
    String to = "flaky@example.com";
    PROVIDER.script(to, SendResult.retryable("503 unavailable"));

    String id = send(to);
    JsonNode message = awaitStatus(id, "sent");

    assertThat(PROVIDER.callsTo(to)).hasSize(2);
    assertThat(message.path("lastError").asString()).contains("503 unavailable");
    assertThat(message.path("history").findValuesAsString("status"))
        .containsExactly("queued", "sending", "queued", "sending", "sent");
  }

  @Test
  void sendWhenProviderRefusesPermanentlyThenFailedAfterOneAttempt() throws Exception {
    String to = "rejected@example.com";
    PROVIDER.script(
        to, SendResult.permanent("400 invalid from address"), SendResult.accepted("never"));

    String id = send(to);
    JsonNode message = awaitStatus(id, "failed");
    Thread.sleep(1500);

    assertThat(PROVIDER.callsTo(to)).hasSize(1);
    assertThat(message.path("attempts").asInt()).isEqualTo(1);
    assertThat(message.path("lastError").asString()).contains("400 invalid from address");
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(EmailStatus.FAILED);
  }

  @Test
  void sendWhenProviderSuppressesRecipientThenSuppressedAndNextSendNotAttempted() {
    String to = "Gone@Example.com";
    PROVIDER.script(to, SendResult.suppressed("406 inactive recipient"));
    awaitStatus(send(to), "suppressed");

    String second = send("gone@example.com");
    JsonNode message = awaitStatus(second, "suppressed");

    assertThat(PROVIDER.callsTo(to)).hasSize(1);
    assertThat(PROVIDER.callsTo("gone@example.com")).isEmpty();
    assertThat(message.path("attempts").asInt()).isZero();
    assertThat(message.path("lastError").asString()).contains("suppression list");
    assertThat(store.suppression("gone@example.com")).contains("provider");
  }

  String send(String to) {
    HttpResponse<String> response =
        http()
            .post(
                "/api/email/send",
                "{\"template\":\"password-reset\",\"to\":\""
                    + to
                    + "\",\"variables\":{\"name\":\"Ann\",\"resetUrl\":\"https://app.test/reset\"}}");
    assertThat(response.statusCode()).isEqualTo(202);
    return json.readTree(response.body()).path("id").asString();
  }

  JsonNode awaitStatus(String id, String status) {
    Eventually.await(
        id + " " + status,
        Duration.ofSeconds(20),
        () ->
            json.readTree(http().get("/api/email/messages/" + id).body())
                .path("status")
                .asString()
                .equals(status));
    return json.readTree(http().get("/api/email/messages/" + id).body());
  }

  HttpTestClient http() {
    return new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }
}
