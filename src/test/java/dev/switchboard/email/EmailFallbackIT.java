package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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
 * The fallback provider takes retryable traffic while the primary's circuit is open, never
 * permanent failures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmailFallbackIT {

  static final RecordingMailSender PRIMARY = new RecordingMailSender("primary");
  static final RecordingMailSender FALLBACK = new RecordingMailSender("fallback");

  @TestConfiguration
  static class Providers {
    @Bean
    @Primary
    EmailSenders fallbackSenders(Clock clock) {
      return new EmailSenders(
          PRIMARY, Optional.of(FALLBACK), new SenderCircuit(clock, 2, Duration.ofHours(1)));
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/email-fallback-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
  }

  @LocalServerPort int port;

  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void sendWhenPrimaryCircuitOpensThenFallbackSendsButPermanentFailuresNeverFallBack() {
    PRIMARY.script("bad@example.com", SendResult.permanent("400 invalid recipient domain"));
    awaitStatus(send("bad@example.com"), "failed");
    assertThat(FALLBACK.callsTo("bad@example.com")).isEmpty();

    PRIMARY.always(SendResult.retryable("503 unavailable"));
    String first = send("one@example.com");
    String second = send("two@example.com");
    Eventually.await(
        "two primary failures", Duration.ofSeconds(10), () -> PRIMARY.calls().size() >= 3);

    String third = send("three@example.com");
    JsonNode viaFallback = awaitStatus(third, "sent");

    assertThat(viaFallback.path("provider").asString()).isEqualTo("fallback");
    assertThat(viaFallback.path("attempts").asInt()).isEqualTo(1);
    assertThat(PRIMARY.callsTo("three@example.com")).isEmpty();
    assertThat(awaitStatus(first, "sent").path("provider").asString()).isEqualTo("fallback");
    assertThat(awaitStatus(second, "sent").path("provider").asString()).isEqualTo("fallback");
    assertThat(FALLBACK.callsTo("bad@example.com")).isEmpty();
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
        Duration.ofSeconds(30),
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
