package dev.switchboard.analytics.segment;

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
 * Forwards to Segment through its HTTP Tracking API batch call,
 * https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#batch (request shape in
 * {@link SegmentBatch}). One attempt per call: the forwarder retries the batch from its cursor.
 */
public final class SegmentEventDestination implements EventDestination {

  public static final String ID = "segment";
  public static final String INTEGRATION_ID = "analytics.segment";
  public static final URI DEFAULT_URL = URI.create("https://api.segment.io");
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Secret writeKey;
  private final URI baseUrl;
  private final OutboundHttp http;
  private final Duration timeout;
  private final JsonMapper json = JsonMapper.builder().build();

  public SegmentEventDestination(Secret writeKey, URI baseUrl, OutboundHttp http) {
    this(writeKey, baseUrl, http, REQUEST_TIMEOUT);
  }

  /** For tests: a short timeout. */
  public SegmentEventDestination(Secret writeKey, URI baseUrl, OutboundHttp http, Duration timeout) {
    this.writeKey = Objects.requireNonNull(writeKey, "writeKey cannot be null");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl cannot be null");
    this.http = Objects.requireNonNull(http, "http cannot be null");
    this.timeout = timeout;
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
  public void send(List<ForwardedEvent> events) {
    http.send(INTEGRATION_ID, SegmentBatch.request(baseUrl, writeKey, events, timeout, json), RetryPolicy.noRetry());
  }
}
