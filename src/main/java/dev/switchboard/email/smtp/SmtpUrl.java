package dev.switchboard.email.smtp;

import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code SMTP_URL} taken apart: {@code smtp://user:pass@host:port} (STARTTLS when offered, default
 * port 587) or {@code smtps://user:pass@host:port} (TLS from the first byte, default port 465).
 * User and password are percent-decoded, so a password with {@code @} or {@code :} is written
 * {@code %40} / {@code %3A}. Without user info nothing is authenticated (a local relay on port 25).
 *
 * @param implicitTls true for {@code smtps://}
 * @param password never printed: it stays a {@link Secret}
 */
record SmtpUrl(
    boolean implicitTls, String host, int port, Optional<String> user, Optional<Secret> password) {

  static final int SUBMISSION_PORT = 587;
  static final int SMTPS_PORT = 465;
  private static final String EXPECTED =
      "SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465";

  /**
   * Parses the configured URL. Messages never quote the URL, since it holds the password.
   *
   * @throws IllegalArgumentException when the scheme is not smtp/smtps or the host is missing
   */
  static SmtpUrl parse(Secret url) {
    URI uri;
    try {
      uri = new URI(url.reveal());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(EXPECTED);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
      throw new IllegalArgumentException(
          EXPECTED + " (scheme " + scheme + " is not smtp or smtps)");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException(EXPECTED + " (no host)");
    }
    boolean tls = scheme.equals("smtps");
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? SMTPS_PORT : SUBMISSION_PORT;
    Optional<String> user = Optional.empty();
    Optional<Secret> password = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user =
          Optional.of(decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo))
              .filter(u -> !u.isEmpty());
      password =
          colon >= 0
              ? Optional.of(Secret.of(decode(userInfo.substring(colon + 1))))
              : Optional.empty();
    }
    String host =
        uri.getHost().startsWith("[")
            ? uri.getHost().substring(1, uri.getHost().length() - 1)
            : uri.getHost();
    return new SmtpUrl(tls, host, port, user, password);
  }

  /** The Jakarta Mail protocol name, which is also the prefix of its session properties. */
  String protocol() {
    return implicitTls ? "smtps" : "smtp";
  }

  /** Scheme, host and port: safe to show on the integration map and in health details. */
  String display() {
    return protocol() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String decode(String raw) {
    try {
      // URLDecoder is a form decoder: keep a literal '+' instead of turning it into a space.
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the input, which may be the password.
      throw new IllegalArgumentException(EXPECTED + " (bad %-escape in the user info)");
    }
  }

  @Override
  public String toString() {
    return display();
  }
}
