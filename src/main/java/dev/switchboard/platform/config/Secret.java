package dev.switchboard.platform.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured secret. It never prints: {@link #toString()} is {@code ****}, and {@link #masked()}
 * shows at most a well-known prefix and the last four characters of long values ({@code
 * sk_test_…1234}), which is what the integration map and the dashboard display. Read the value with
 * {@link #reveal()} only where it is sent.
 */
public final class Secret {

  private static final Pattern KNOWN_PREFIX = Pattern.compile("^([a-z]{2,8}_(?:(?:test|live)_)?)");
  private static final int MIN_LENGTH_TO_SHOW_TAIL = 20;

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value cannot be null");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The raw value, for the one place that sends it to its provider. */
  public String reveal() {
    return value;
  }

  /** A display form that cannot be used to recover the secret. */
  public String masked() {
    if (value.length() < MIN_LENGTH_TO_SHOW_TAIL) {
      return "****";
    }
    Matcher prefix = KNOWN_PREFIX.matcher(value);
    String head = prefix.find() ? prefix.group(1) : "";
    return head + "…" + value.substring(value.length() - 4);
  }

  /**
   * For secrets that are URLs ({@code REDIS_URL}, {@code SLACK_WEBHOOK_URL}, {@code SENTRY_DSN}):
   * scheme, host and port only, since credentials may sit in the user info or the path.
   */
  public String maskedUrl() {
    try {
      URI uri = new URI(value);
      String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
      boolean hasPath = uri.getRawPath() != null && uri.getRawPath().length() > 1;
      return uri.getScheme()
          + "://"
          + (uri.getRawUserInfo() != null ? "****@" : "")
          + uri.getHost()
          + port
          + (hasPath ? "/…" : "");
    } catch (URISyntaxException | RuntimeException e) {
      return "****";
    }
  }

  /** Constant-time comparison with a presented value. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "****";
  }
}
