package dev.switchboard.payments.paypal;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PayPal REST over plain HTTP ({@link OutboundHttp}: timeouts and the one retry loop): an OAuth2
 * client-credentials token, cached until shortly before it expires, then JSON calls with {@code
 * Authorization: Bearer}. Each attempt (retries included) takes a permit from the shared {@code
 * PAYMENT_RATE_LIMIT} bucket first.
 *
 * @see <a href="https://developer.paypal.com/api/rest/authentication/">PayPal REST
 *     authentication</a>
 */
final class PayPalApi {

  static final String INTEGRATION = "payments.paypal";
  static final String BUCKET = "payments:paypal";

  private final String clientId;
  private final Secret clientSecret;
  private final URI base;
  private final OutboundHttp http;
  private final RateLimiter limiter;
  private final Rate rate;
  private final Clock clock;
  private final JsonMapper json;
  private String token;
  private Instant tokenExpires = Instant.MIN;

  PayPalApi(
      String clientId,
      Secret clientSecret,
      URI base,
      OutboundHttp http,
      RateLimiter limiter,
      Rate rate,
      Clock clock,
      JsonMapper json) {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.http = http;
    this.limiter = limiter;
    this.rate = rate;
    this.clock = clock;
    this.json = json;
  }

  JsonMapper json() {
    return json;
  }

  /** A fresh or cached access token. */
  synchronized String token() {
    if (token != null && clock.instant().isBefore(tokenExpires)) {
      return token;
    }
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (clientId + ":" + clientSecret.reveal()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/oauth2/token"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build();
    JsonNode answer = json.readTree(send(request).body());
    String value = answer.path("access_token").asString("");
    if (value.isBlank()) {
      throw new ApiException(
          502, "provider_rejected", "PayPal answered the token request without a token.");
    }
    long seconds = answer.path("expires_in").asLong(300);
    token = value;
    tokenExpires = clock.instant().plus(Duration.ofSeconds(Math.max(0, seconds - 60)));
    return token;
  }

  /** POSTs JSON (sent as given, byte for byte) and returns the parsed answer. */
  JsonNode post(String path, String body, Optional<String> requestId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    requestId.ifPresent(id -> request.header("PayPal-Request-Id", id));
    return json.readTree(send(request.build()).body());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(INTEGRATION, request, this::takePermit);
    } catch (OutboundException e) {
      throw translate(e);
    }
  }

  /**
   * Every attempt, retries included, is one request against PayPal's limits, so each takes its own
   * permit.
   */
  private void takePermit(int attempt) {
    try {
      if (!limiter.acquire(BUCKET, rate, Duration.ofSeconds(10))) {
        throw new ApiException(
            503,
            "provider_rate_limited",
            "PAYMENT_RATE_LIMIT reached; try again shortly.",
            true,
            null,
            Map.of("Retry-After", "5"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(
          503, "provider_unavailable", "Interrupted while waiting to call PayPal.");
    }
  }

  /** PayPal's answer after the retries, as our error shape; 5xx messages stay generic. */
  static ApiException translate(OutboundException e) {
    String debug = e.providerRequestId().map(id -> " (PayPal debug id " + id + ")").orElse("");
    if (e.status().orElse(0) == 429) {
      return new ApiException(
          503,
          "provider_rate_limited",
          "PayPal is rate limiting requests" + debug + ".",
          true,
          null,
          Map.of("Retry-After", "5"));
    }
    if (e.retryable()) {
      return new ApiException(
          502,
          "provider_unavailable",
          "PayPal could not be reached or failed" + debug + ".",
          true,
          null,
          Map.of("Retry-After", "30"));
    }
    return new ApiException(
        502, "provider_rejected", "PayPal refused the request (" + e.code() + ")" + debug + ".");
  }
}
