package dev.switchboard.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A request the client makes itself, straight to the store.
 *
 * @param url where to send it
 * @param method {@code PUT} for uploads, {@code GET} for downloads
 * @param headers headers the client must send exactly as given (they are signed)
 * @param expiresAt when the URL stops working
 */
public record PresignedRequest(
    URI url, String method, Map<String, String> headers, Instant expiresAt) {

  public PresignedRequest {
    headers = Map.copyOf(headers);
  }
}
