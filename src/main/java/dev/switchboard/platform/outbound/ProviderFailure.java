package dev.switchboard.platform.outbound;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Why a {@link ProviderCall} did not succeed, classified once for every adapter. An adapter maps
 * the {@link #kind()} to its own result, reading the provider's error body with {@link #json()}
 * where the provider gives more detail.
 */
public final class ProviderFailure {

  /** What went wrong. */
  public enum Kind {
    /**
     * No answer: timeout, connection refused, I/O error. Retryable (except when the thread was
     * interrupted).
     */
    UNREACHABLE,
    /** HTTP 429. Retryable, after {@link #retryAfter()} when the provider said. */
    RATE_LIMITED,
    /** HTTP 5xx. Retryable. */
    UNAVAILABLE,
    /**
     * HTTP 409: retryable by the shared policy; adapters whose provider means "never" map it
     * themselves.
     */
    CONFLICT,
    /** Any other 4xx: the request is wrong or not allowed; sending it again cannot help. */
    REJECTED,
    /** A 1xx or 3xx answer: the base URL is probably wrong. Permanent. */
    UNEXPECTED_STATUS,
    /** A 2xx whose body the adapter could not read. Permanent: the provider did act. */
    MALFORMED_ANSWER
  }

  private static final int MAX_DETAIL = 300;

  private final String provider;
  private final Kind kind;
  private final int status;
  private final String code;
  private final boolean retryable;
  private final Optional<Duration> retryAfter;
  private final String reason;
  private final OutboundException cause;
  private final List<Secret> credentials;

  private ProviderFailure(
      String provider,
      Kind kind,
      int status,
      String code,
      boolean retryable,
      Optional<Duration> retryAfter,
      String reason,
      OutboundException cause,
      List<Secret> credentials) {
    this.provider = provider;
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.reason = reason;
    this.cause = cause;
    this.credentials = credentials;
  }

  static ProviderFailure of(String provider, OutboundException e, List<Secret> credentials) {
    if (e.status().isEmpty()) {
      return new ProviderFailure(
          provider,
          Kind.UNREACHABLE,
          0,
          e.code(),
          e.retryable(),
          Optional.empty(),
          null,
          e,
          credentials);
    }
    int status = e.status().getAsInt();
    Kind kind =
        status == 429
            ? Kind.RATE_LIMITED
            : status >= 500
                ? Kind.UNAVAILABLE
                : status == 409
                    ? Kind.CONFLICT
                    : status >= 400 ? Kind.REJECTED : Kind.UNEXPECTED_STATUS;
    boolean retryable =
        kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE || kind == Kind.CONFLICT;
    return new ProviderFailure(
        provider, kind, status, e.code(), retryable, e.retryAfter(), null, e, credentials);
  }

  static ProviderFailure unexpectedStatus(String provider, int status, List<Secret> credentials) {
    return new ProviderFailure(
        provider,
        Kind.UNEXPECTED_STATUS,
        status,
        "unexpected_status",
        false,
        Optional.empty(),
        null,
        null,
        credentials);
  }

  static ProviderFailure malformed(
      String provider, int status, String why, List<Secret> credentials) {
    return new ProviderFailure(
        provider,
        Kind.MALFORMED_ANSWER,
        status,
        "malformed_answer",
        false,
        Optional.empty(),
        why,
        null,
        credentials);
  }

  public Kind kind() {
    return kind;
  }

  /** The provider's display name. */
  public String provider() {
    return provider;
  }

  /** The HTTP status; empty for {@link Kind#UNREACHABLE}. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /**
   * A stable snake_case code: {@link OutboundException#code()} for failed calls ({@code timeout},
   * {@code connect_failed}, {@code rate_limited}, …), {@code unexpected_status} or {@code
   * malformed_answer}.
   */
  public String code() {
    return code;
  }

  /** Whether trying again later may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The delay the provider asked for with {@code Retry-After}, when the failure is retryable. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  /** The first value of a header of the failed answer (name case-insensitive). Never log it. */
  public Optional<String> header(String name) {
    return cause == null ? Optional.empty() : cause.responseHeader(name);
  }

  /**
   * The failed answer's body as JSON, or a missing node. Never log it; pass text through {@link
   * #detail}.
   */
  public JsonNode json() {
    return cause == null ? MissingNode.getInstance() : Json.tree(cause.responseBody().orElse(""));
  }

  /** The underlying exception of a failed call (for logs: its message holds no secret), if any. */
  public Optional<OutboundException> cause() {
    return Optional.ofNullable(cause);
  }

  /**
   * One line for humans without provider text: {@code SendGrid answered HTTP 400}, {@code SendGrid
   * not reached: timeout}, {@code SendGrid answered unreadably (HTTP 200): the answer is not JSON}.
   */
  public String summary() {
    return switch (kind) {
      case UNREACHABLE -> provider + " not reached: " + code;
      case MALFORMED_ANSWER -> provider + " answered unreadably (HTTP " + status + "): " + reason;
      default -> provider + " answered HTTP " + status;
    };
  }

  /**
   * A provider's error text made safe for a stored detail: {@code ": text"}, with this call's
   * credentials masked (providers echo keys back) and cut to 300 characters; empty when there is no
   * text.
   */
  public String detail(String text) {
    return detail(text, credentials);
  }

  static String detail(String text, List<Secret> credentials) {
    if (text == null || text.isBlank()) {
      return "";
    }
    String masked = text;
    for (Secret credential : credentials) {
      masked = masked.replace(credential.reveal(), "****");
    }
    return ": " + (masked.length() > MAX_DETAIL ? masked.substring(0, MAX_DETAIL) + "…" : masked);
  }

  /**
   * The health a failed authenticated read means: no answer or another status is down, rejected
   * credentials are down, 429 is degraded (the provider is up and busy).
   */
  public HealthResult health() {
    if (status == 0) {
      return HealthResult.down(provider + " unreachable: " + code);
    }
    return switch (status) {
      case 401, 403 -> HealthResult.down("credentials rejected (HTTP " + status + ")");
      case 429 -> HealthResult.degraded("rate limited (HTTP 429)");
      default -> HealthResult.down(provider + " answered HTTP " + status);
    };
  }

  @Override
  public String toString() {
    return summary();
  }
}
