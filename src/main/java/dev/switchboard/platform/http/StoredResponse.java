package dev.switchboard.platform.http;

/**
 * The response of a request made with an {@code Idempotency-Key}, kept to be replayed to retries.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}, or {@code null} when there was none
 * @param body the body bytes exactly as first sent
 */
public record StoredResponse(int status, String contentType, byte[] body) {

  public StoredResponse {
    body = body == null ? new byte[0] : body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
