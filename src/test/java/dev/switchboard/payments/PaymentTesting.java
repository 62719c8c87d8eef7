package dev.switchboard.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Assertions and polling shared by the payments integration tests. */
final class PaymentTesting {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private PaymentTesting() {}

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** The error shape of DESIGN.md with a stable code. */
  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("message").asString()).isNotBlank();
    assertThat(body.path("requestId").asString()).isNotBlank();
  }

  /**
   * Three events as an earlier version stored them, before V95: two {@code unmatched} (customers
   * {@code cus_a}, {@code cus_b}) and one processed; run on a schema migrated to version 93.
   */
  static void eventsStoredBeforeV95(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
    for (String[] row :
        java.util.List.of(
            new String[] {"evt_w", "unmatched", "cus_a"},
            new String[] {"evt_p", "processed", "cus_a"},
            new String[] {"evt_o", "unmatched", "cus_b"})) {
      jdbc.sql(
              "INSERT INTO payment_events (provider, event_id, event_type, event_created,"
                  + " received_at, payload, status, customer_id) VALUES ('stripe', ?,"
                  + " 'invoice.paid', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '{}', ?, ?)")
          .params((Object[]) row)
          .update();
    }
  }
}
