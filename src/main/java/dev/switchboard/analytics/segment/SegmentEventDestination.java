package dev.switchboard.analytics.segment;

import dev.switchboard.analytics.Delivery;
import dev.switchboard.analytics.EventDestination;
import dev.switchboard.analytics.ForwardedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.json.Json;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Forwards to Segment through its HTTP Tracking API batch call,
 * https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#batch: HTTP Basic
 * with the write key as username and an empty password, body from {@link SegmentBatch}. One attempt
 * per call: the forwarder sends the batch again from its cursor.
 */
public final class SegmentEventDestination implements EventDestination {

  public static final String ID = "segment";
  public static final String INTEGRATION_ID = "analytics.segment";
  public static final URI DEFAULT_URL = URI.create("https://api.segment.io");

  private final ProviderCall segment;

  public SegmentEventDestination(Secret writeKey, URI baseUrl, OutboundHttp http) {
    this(writeKey, baseUrl, http, ProviderCall.DEFAULT_TIMEOUT);
  }

  /** For tests: a short timeout. */
  public SegmentEventDestination(
      Secret writeKey, URI baseUrl, OutboundHttp http, Duration timeout) {
    String basic =
        Base64.getEncoder()
            .encodeToString((writeKey.reveal() + ":").getBytes(StandardCharsets.UTF_8));
    this.segment =
        ProviderCall.to(INTEGRATION_ID, "Segment", baseUrl, http)
            .credentialHeader("Authorization", Secret.of("Basic " + basic))
            .timeout(timeout)
            .build();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<String> integrationNames() {
    return List.of("Segment.io", "Segment");
  }

  @Override
  public Delivery send(List<ForwardedEvent> events) {
    return segment.exchange(
        segment.post(SegmentBatch.PATH, SegmentBatch.body(events, Json.MAPPER)).build(),
        answer -> Delivery.accepted(),
        Delivery::of);
  }
}
