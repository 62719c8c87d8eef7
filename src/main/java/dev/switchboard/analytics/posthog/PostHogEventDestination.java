package dev.switchboard.analytics.posthog;

import dev.switchboard.analytics.EventDestination;
import dev.switchboard.analytics.ForwardedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forwards to PostHog (cloud or self-hosted, at {@code POSTHOG_HOST}) through its batch capture endpoint,
 * https://posthog.com/docs/api/post-only-endpoints (request shape in {@link PostHogBatch}). One attempt per call:
 * the forwarder retries the batch from its cursor.
 */
public final class PostHogEventDestination implements EventDestination {

  public static final String ID = "posthog";
  public static final String INTEGRATION_ID = "analytics.posthog";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Secret apiKey;
  private final URI host;
  private final OutboundHttp http;
  private final Duration timeout;
  private final JsonMapper json = JsonMapper.builder().build();

  public PostHogEventDestination(Secret apiKey, URI host, OutboundHttp http) {
    this(apiKey, host, http, REQUEST_TIMEOUT);
  }

  /** For tests: a short timeout. */
  public PostHogEventDestination(Secret apiKey, URI host, OutboundHttp http, Duration timeout) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey cannot be null");
    this.host = Objects.requireNonNull(host, "host cannot be null");
    this.http = Objects.requireNonNull(http, "http cannot be null");
    this.timeout = timeout;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<String> integrationNames() {
    return List.of("PostHog");
  }

  @Override
  public void send(List<ForwardedEvent> events) {
    http.send(INTEGRATION_ID, PostHogBatch.request(host, apiKey, events, timeout, json), RetryPolicy.noRetry());
  }
}
