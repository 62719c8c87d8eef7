package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import java.util.Objects;

/**
 * An extra inbound limit for one path prefix, declared by an area as a bean (file presign at {@code
 * STORAGE_RATE_LIMIT}, login attempts). The filter applies it per caller in addition to the
 * API-wide limit.
 *
 * @param name a short stable id, part of the bucket key ({@code files.presign}); rules with the
 *     same name share buckets
 * @param pathPrefix requests whose path starts with it are counted, e.g. {@code
 *     /api/files/presign}; a {@code *} stands for one path segment, e.g. {@code /api/files/*}{@code
 *     /complete}
 * @param rate how many requests each caller may make
 * @param replacesApiLimit true when this limit applies instead of the API-wide one rather than in
 *     addition: for paths whose traffic is not an app's API calls, such as provider webhooks
 *     arriving in bursts from a few addresses
 */
public record RateLimitRule(String name, String pathPrefix, Rate rate, boolean replacesApiLimit) {

  /** A limit applied in addition to the API-wide one. */
  public RateLimitRule(String name, String pathPrefix, Rate rate) {
    this(name, pathPrefix, rate, false);
  }

  public RateLimitRule {
    Objects.requireNonNull(rate, "rate cannot be null");
    if (name == null || !name.matches("^[a-z0-9][a-z0-9._-]{0,63}$")) {
      throw new IllegalArgumentException("name must be a short lowercase id like files.presign");
    }
    if (pathPrefix == null || !pathPrefix.startsWith("/")) {
      throw new IllegalArgumentException("pathPrefix must start with /");
    }
  }

  /**
   * Whether the path starts with the prefix, each {@code *} matching one non-empty segment. Runs
   * for every rule on every API request, so it walks the prefix in place instead of splitting it.
   */
  boolean appliesTo(String path) {
    int star = pathPrefix.indexOf('*');
    if (star < 0) {
      return path.startsWith(pathPrefix);
    }
    int from = 0;
    int at = 0;
    while (true) {
      int end = star < 0 ? pathPrefix.length() : star;
      if (!path.regionMatches(at, pathPrefix, from, end - from)) {
        return false;
      }
      at += end - from;
      if (star < 0) {
        return true;
      }
      int slash = path.indexOf('/', at);
      boolean nextPartEmpty = star + 1 == pathPrefix.length() || pathPrefix.charAt(star + 1) == '*';
      if (slash == at || slash < 0 && !nextPartEmpty) {
        return false;
      }
      at = slash < 0 ? path.length() : slash;
      from = star + 1;
      star = pathPrefix.indexOf('*', from);
    }
  }
}
