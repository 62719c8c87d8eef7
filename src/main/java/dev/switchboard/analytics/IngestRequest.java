package dev.switchboard.analytics;

/**
 * One request to {@code /v1/*}, as the routes read it.
 *
 * @param type the path's call: {@code track}, {@code page}, …, or {@code batch}
 * @param body the decoded (gunzipped) body
 * @param basicKey the write key from {@code Authorization: Basic}, or null
 * @param clientAddress the client address after the trusted-proxy rules; truncated before it is
 *     stored
 * @param userAgent the request's {@code User-Agent}, or null
 */
public record IngestRequest(
    String type, byte[] body, String basicKey, String clientAddress, String userAgent) {}
