package dev.switchboard.email;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.outbound.OutboundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * What the HTTP mail providers' adapters read from an answer the same way: JSON that may be missing or broken, the
 * health of an authenticated call that failed, and a provider's error text made safe for a message's history.
 */
public final class ProviderAnswers {

  static final int MAX_DETAIL = 300;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ProviderAnswers() {}

  /** The body as JSON, or a missing node when it is empty or not JSON (never throws). */
  public static JsonNode parse(String body) {
    try {
      return JSON.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      return MissingNode.getInstance();
    }
  }

  /** The JSON body of a failed answer, or a missing node. */
  public static JsonNode body(OutboundException e) {
    return parse(e.responseBody().orElse(""));
  }

  /**
   * The health a failed authenticated read means: not reachable or another answer is down, rejected credentials are
   * down, 429 is degraded (the provider is up and busy).
   */
  public static HealthResult health(String provider, OutboundException e) {
    if (e.status().isEmpty()) {
      return HealthResult.down(provider + " unreachable: " + e.code());
    }
    int status = e.status().getAsInt();
    return switch (status) {
      case 401, 403 -> HealthResult.down("credentials rejected (HTTP " + status + ")");
      case 429 -> HealthResult.degraded("rate limited (HTTP 429)");
      default -> HealthResult.down(provider + " answered HTTP " + status);
    };
  }

  /**
   * A provider's error text for a detail: {@code ": text"}, with the credential masked (providers echo keys back) and
   * cut to {@value #MAX_DETAIL} characters; empty when there is no text.
   */
  public static String detail(String text, Secret credential) {
    if (text == null || text.isBlank()) {
      return "";
    }
    String masked = text.replace(credential.reveal(), "****");
    return ": " + (masked.length() > MAX_DETAIL ? masked.substring(0, MAX_DETAIL) + "…" : masked);
  }
}
