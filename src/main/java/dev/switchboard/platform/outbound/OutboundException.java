package dev.switchboard.platform.outbound;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An outbound call that did not succeed, after the retries the policy allowed. Adapters translate
 * it into their area's exception; the job worker reschedules a job that throws a retryable one
 * (after {@link #retryAfter()} when given) and buries a job that throws one that is not retryable.
 *
 * <p>Codes: {@code rate_limited} (429), {@code conflict} (409), {@code provider_unavailable} (5xx),
 * {@code rejected} (any other 4xx; not retryable), {@code unexpected_status} (other statuses),
 * {@code timeout}, {@code connect_failed}, {@code io_error}, {@code interrupted} (the calling
 * thread was interrupted; not retryable here, the job is retried later).
 *
 * <p>The message names the integration, method, host, status, attempts and provider request id;
 * never a path, query string, header or body. {@link #responseBody()} is for adapters that parse
 * the provider's error code and must not be logged.
 */
public final class OutboundException extends RuntimeException {

  private final String integrationId;
  private final int status;
  private final String code;
  private final boolean retryable;
  private final Duration retryAfter;
  private final String providerRequestId;
  private final int attempts;
  private final transient String responseBody;
  private final transient HttpHeaders responseHeaders;

  /**
   * Built by {@link OutboundHttp}; adapters build one themselves only when a provider reports a
   * failure inside a successful answer (a batch element that failed, a 200 with an error body).
   *
   * @param status the HTTP status, or 0 when no answer arrived
   * @param responseBody the answer's body, or null
   * @param responseHeaders the answer's headers, or null when no answer arrived; kept for providers
   *     whose delay is not in {@code Retry-After} (SendGrid's {@code X-RateLimit-Reset}, Resend's
   *     {@code ratelimit-reset})
   * @param cause the I/O failure, or null
   */
  public OutboundException(
      String integrationId,
      String method,
      String host,
      int status,
      String code,
      boolean retryable,
      Optional<Duration> retryAfter,
      Optional<String> providerRequestId,
      int attempts,
      String responseBody,
      HttpHeaders responseHeaders,
      Throwable cause) {
    super(message(integrationId, method, host, status, code, attempts, providerRequestId), cause);
    this.integrationId = Objects.requireNonNull(integrationId, "integrationId cannot be null");
    this.status = status;
    this.code = Objects.requireNonNull(code, "code cannot be null");
    this.retryable = retryable;
    this.retryAfter = retryAfter.orElse(null);
    this.providerRequestId = providerRequestId.orElse(null);
    this.attempts = attempts;
    this.responseBody = responseBody;
    this.responseHeaders = responseHeaders;
  }

  private static String message(
      String integrationId,
      String method,
      String host,
      int status,
      String code,
      int attempts,
      Optional<String> requestId) {
    String outcome = status > 0 ? "HTTP " + status : code;
    return integrationId
        + ": "
        + method
        + " "
        + host
        + " failed with "
        + outcome
        + " after "
        + attempts
        + (attempts == 1 ? " attempt" : " attempts")
        + requestId.map(id -> " (provider request id " + id + ")").orElse("");
  }

  /** The integration that made the call. */
  public String integrationId() {
    return integrationId;
  }

  /**
   * The HTTP status of the last answer; empty when no answer arrived (timeout, connection failure).
   */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /** A stable snake_case code, listed in the class comment. */
  public String code() {
    return code;
  }

  /** Whether trying again later may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The delay the provider asked for with {@code Retry-After}, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * The provider's id for the last request ({@code Request-Id}, {@code X-Request-Id}, …), for
   * support tickets.
   */
  public Optional<String> providerRequestId() {
    return Optional.ofNullable(providerRequestId);
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }

  /** The body of the last answer, for parsing the provider's error; never log it. */
  public Optional<String> responseBody() {
    return Optional.ofNullable(responseBody);
  }

  /**
   * The first value of a header of the last answer (name case-insensitive); empty without an
   * answer. Never log it.
   */
  public Optional<String> responseHeader(String name) {
    return responseHeaders == null ? Optional.empty() : responseHeaders.firstValue(name);
  }
}
