package dev.switchboard.platform.http;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a URL supplied by a caller ({@code redirect_to}, a checkout's success URL) may
 * receive a browser redirect. An http(s) target must match {@code SWITCHBOARD_PUBLIC_URL} or an
 * allowlisted origin exactly by scheme, host and port; paths and queries may follow. In development
 * any loopback host on any port is accepted. A custom scheme (mobile apps) must be listed.
 * Everything is parsed strictly: user info, backslashes, percent-encoded or non-ASCII hosts,
 * control characters and scheme-relative URLs are refused rather than normalised, because browsers
 * and parsers disagree about them and that disagreement is how open redirects are made.
 */
public class RedirectTargets {

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  private final URI publicUrl;
  private final List<URI> allowlist;
  private final boolean development;

  /** The one Spring uses: the config records are not beans of their own, the whole config is. */
  public RedirectTargets(SwitchboardConfig config) {
    this(config.core());
  }

  public RedirectTargets(CoreConfig core) {
    this(core.publicUrl(), core.redirectAllowlist(), !core.production());
  }

  RedirectTargets(URI publicUrl, List<URI> allowlist, boolean development) {
    this.publicUrl = publicUrl;
    this.allowlist = List.copyOf(allowlist);
    this.development = development;
  }

  /**
   * The target as a URI when it is allowed.
   *
   * @param field the request field or parameter it came from, named in the error
   * @throws ApiException 400 {@code redirect_not_allowed} otherwise (also when it is missing or
   *     malformed)
   */
  public URI check(String raw, String field) {
    URI target = parse(raw).orElseThrow(() -> notAllowed(field));
    if (!allowed(target)) {
      throw notAllowed(field);
    }
    return target;
  }

  /** Whether the target is allowed; never throws. */
  public boolean allows(String raw) {
    return parse(raw).map(this::allowed).orElse(false);
  }

  private boolean allowed(URI target) {
    String scheme = target.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      if (development && LOOPBACK.contains(target.getHost().toLowerCase(Locale.ROOT))) {
        return true;
      }
      return sameOrigin(target, publicUrl)
          || allowlist.stream().anyMatch(origin -> sameOrigin(target, origin));
    }
    return allowlist.stream().anyMatch(entry -> sameCustomScheme(target, entry));
  }

  private static Optional<URI> parse(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 2048) {
      return Optional.empty();
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return Optional.empty();
      }
    }
    try {
      URI uri = new URI(raw);
      if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawUserInfo() != null) {
        return Optional.empty();
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      boolean web = scheme.equals("http") || scheme.equals("https");
      if (web && (uri.getHost() == null || uri.getRawAuthority().contains("%"))) {
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static boolean sameOrigin(URI target, URI origin) {
    String scheme = origin.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https"))
        && target.getScheme().equalsIgnoreCase(scheme)
        && target.getHost().equalsIgnoreCase(origin.getHost())
        && port(target) == port(origin);
  }

  private static boolean sameCustomScheme(URI target, URI entry) {
    if (!target.getScheme().equalsIgnoreCase(entry.getScheme())) {
      return false;
    }
    String listedAuthority = entry.getRawAuthority();
    return listedAuthority == null
        || listedAuthority.isEmpty()
        || listedAuthority.equalsIgnoreCase(target.getRawAuthority());
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static ApiException notAllowed(String field) {
    return new ApiException(
        400,
        "redirect_not_allowed",
        "'"
            + field
            + "' is not an allowed redirect target; add its origin to SWITCHBOARD_REDIRECT_ALLOWLIST",
        false,
        field,
        Map.of());
  }
}
