package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.webhooks.WebhookVerifier;
import dev.switchboard.testing.HttpTestClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * No webhook secret set: every provider's webhook URL is refused, and no verifier exists to be
 * fooled.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/email-webhooks-off",
      "RESEND_WEBHOOK_SECRET= "
    })
class EmailWebhooksNotConfiguredIT {

  @LocalServerPort int port;

  @Autowired ObjectProvider<WebhookVerifier<List<DeliveryEvent>>> verifiers;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  @Test
  void webhookWhenProviderHasNoSecretThenWebhookNotConfigured() {
    for (String provider : List.of("sendgrid", "postmark", "resend")) {
      EmailWebhooksIT.assertErrorShape(
          http.post("/api/webhooks/email/" + provider, "[]"), 404, "webhook_not_configured");
    }
    assertThat(verifiers.stream()).isEmpty();
  }

  @Test
  void webhookWhenProviderUnknownThenNotFound() {
    EmailWebhooksIT.assertErrorShape(
        http.post("/api/webhooks/email/unknown", "[]"), 404, "not_found");
  }
}
