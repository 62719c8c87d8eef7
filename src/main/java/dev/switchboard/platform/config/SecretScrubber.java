package dev.switchboard.platform.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces every configured secret value found in a string with {@code ****}. Error reports, log
 * lines and anything else built from exception messages pass through it, because libraries happily
 * put the key they were given into their messages ({@code "invalid api key sk_live_…"}).
 *
 * <p>The secrets are every {@link Secret} in the loaded {@link SwitchboardConfig}, found by walking
 * its record tree ({@code Secret}, {@code Optional}, lists, maps and nested records), so a new
 * setting is covered the day it is added. For URL secrets ({@code REDIS_URL}, {@code SENTRY_DSN})
 * the password (or lone token) of the user info is added as well, since a driver's message may
 * quote it without the URL. Values shorter than {@value #MIN_LENGTH} characters are ignored:
 * replacing {@code "dev"} everywhere would mangle messages without protecting anything.
 */
public final class SecretScrubber {

  public static final String MASK = "****";
  static final int MIN_LENGTH = 8;

  private final Pattern pattern;
  private final int count;

  public SecretScrubber(SwitchboardConfig config) {
    this(collect(config));
  }

  private SecretScrubber(Collection<String> values) {
    Set<String> kept =
        values.stream()
            .filter(v -> v != null && v.length() >= MIN_LENGTH)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    this.count = kept.size();
    // Longest first, so a secret that contains another is masked whole, not left with a readable
    // tail.
    this.pattern =
        kept.isEmpty()
            ? null
            : Pattern.compile(
                kept.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|")));
  }

  /**
   * A scrubber for exactly these values (tests, or secrets that do not come from the
   * configuration).
   */
  public static SecretScrubber of(Collection<String> values) {
    return new SecretScrubber(values);
  }

  /**
   * Returns {@code text} with every secret replaced by {@value #MASK}; {@code null} stays {@code
   * null}.
   */
  public String scrub(String text) {
    if (text == null || pattern == null) {
      return text;
    }
    return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
  }

  /**
   * How many distinct values are scrubbed; for the startup log and tests, never the values
   * themselves.
   */
  public int size() {
    return count;
  }

  static Set<String> collect(Object root) {
    Set<String> values = new LinkedHashSet<>();
    walk(root, values);
    return values;
  }

  private static void walk(Object node, Set<String> out) {
    if (node == null) {
      return;
    }
    if (node instanceof Secret secret) {
      String value = secret.reveal();
      out.add(value);
      userInfoParts(value).forEach(out::add);
    } else if (node instanceof Optional<?> optional) {
      optional.ifPresent(v -> walk(v, out));
    } else if (node instanceof Collection<?> collection) {
      collection.forEach(v -> walk(v, out));
    } else if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> walk(v, out));
    } else if (node instanceof Record record) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        walk(read(component, record), out);
      }
    }
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read configuration component " + component.getName(), e);
    }
  }

  private static Set<String> userInfoParts(String value) {
    if (!value.contains("://")) {
      return Set.of();
    }
    try {
      String userInfo = new URI(value).getRawUserInfo();
      if (userInfo == null) {
        return Set.of();
      }
      // user:password → the password only (user names are often ordinary words); a lone token → the
      // token.
      int colon = userInfo.indexOf(':');
      String part = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
      return new LinkedHashSet<>(List.of(part, URLDecoder.decode(part, StandardCharsets.UTF_8)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Set.of();
    }
  }
}
