package dev.switchboard.analytics.posthog;

import dev.switchboard.analytics.Delivery;
import dev.switchboard.analytics.EventDestination;
import dev.switchboard.analytics.ForwardedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.json.Json;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Forwards to PostHog (cloud or self-hosted, at {@code POSTHOG_HOST}) through its batch capture
 * endpoint, https://posthog.com/docs/api/post-only-endpoints: the project key goes in the body, not
 * a header (body from {@link PostHogBatch}). One attempt per call: the forwarder sends the batch
 * again from its cursor.
 */
public final class PostHogEventDestination implements EventDestination {

  public static final String ID = "posthog";
  public static final String INTEGRATION_ID = "analytics.posthog";

  private final Secret apiKey;
  private final ProviderCall posthog;

  public PostHogEventDestination(Secret apiKey, URI host, OutboundHttp http) {
    this(apiKey, host, http, ProviderCall.DEFAULT_TIMEOUT);
  }

  /** For tests: a short timeout. */
  public PostHogEventDestination(Secret apiKey, URI host, OutboundHttp http, Duration timeout) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey cannot be null");
    this.posthog = ProviderCall.to(INTEGRATION_ID, "PostHog", host, http).timeout(timeout).build();
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
  public Delivery send(List<ForwardedEvent> events) {
    return posthog.exchange(
        posthog.post(PostHogBatch.PATH, PostHogBatch.body(apiKey, events, Json.MAPPER)).build(),
        answer -> Delivery.accepted(),
        Delivery::of);
  }
}
