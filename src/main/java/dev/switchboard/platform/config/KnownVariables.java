package dev.switchboard.platform.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every environment variable Switchboard reads, in one list, so a misspelled one ({@code
 * EMAIL_PROVDER}) is reported at startup with the name it was probably meant to be instead of
 * passing silently. The list is the core's names plus each area's {@link ConfigArea#variables()}:
 * add a variable there when the area's record reads it; {@code KnownVariablesTest} fails for any
 * variable the loaders read that is missing from this list.
 */
public final class KnownVariables {

  /** The core's variables; each area's come from its {@link ConfigArea#variables()}. */
  private static final List<String> CORE =
      List.of(
          "SWITCHBOARD_ENV",
          "SWITCHBOARD_PUBLIC_URL",
          "PORT",
          "SWITCHBOARD_DATA_DIR",
          "DATABASE_URL",
          "REDIS_URL",
          "SWITCHBOARD_ADMIN_EMAILS",
          "SWITCHBOARD_REDIRECT_ALLOWLIST",
          "SWITCHBOARD_ADMIN_API_KEY",
          "SWITCHBOARD_API_RATE_LIMIT",
          "SWITCHBOARD_HEALTH_INTERVAL",
          "SWITCHBOARD_JOB_LEASE",
          "SWITCHBOARD_JOB_THREADS",
          "SWITCHBOARD_JOB_BATCH",
          "DATABASE_POOL_SIZE",
          "SWITCHBOARD_HEARTBEAT_INTERVAL",
          "SWITCHBOARD_SHUTDOWN_GRACE",
          "SWITCHBOARD_NATIVE_CRYPTO");

  /** Every name: the core's, then each registered area's, in the areas' order. */
  static final List<String> NAMES =
      Stream.concat(
              CORE.stream(),
              SwitchboardConfig.AREAS.stream().flatMap(area -> area.variables().stream()))
          .toList();

  /**
   * Prefixes that mark a variable as meant for us: the core's and each area's. {@code AWS_} and
   * {@code GITHUB_} are shared with other tools (the AWS CLI's {@code AWS_PROFILE}, CI's {@code
   * GITHUB_SHA}), so for them only near misses of our names warn.
   */
  static final List<String> PREFIXES =
      Stream.concat(
              Stream.of("SWITCHBOARD_", "DATABASE_", "REDIS_"),
              SwitchboardConfig.AREAS.stream().flatMap(area -> area.prefixes().stream()))
          .toList();

  private static final Set<String> SHARED_PREFIXES =
      Set.of("AWS_", "GITHUB_", "GOOGLE_", "DATABASE_", "REDIS_");
  private static final int MAX_DISTANCE = 3;

  private KnownVariables() {}

  /**
   * Whether {@code name} (or the variable a {@code NAME_FILE} stands for) is one Switchboard reads.
   */
  public static boolean known(String name) {
    return NAMES.contains(name)
        || (name.endsWith("_FILE") && NAMES.contains(name.substring(0, name.length() - 5)));
  }

  /** Our name closest to {@code name} by edit distance, if one is close enough to be a typo. */
  public static Optional<String> closest(String name) {
    String base = name.endsWith("_FILE") ? name.substring(0, name.length() - 5) : name;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : NAMES) {
      int d = distance(base, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.min(MAX_DISTANCE, Math.max(1, base.length() / 4));
    if (bestDistance > allowed) {
      // A name cut short by a word (STRIPE_SECRET for STRIPE_SECRET_KEY) is far in edits but
      // plainly meant.
      best =
          NAMES.stream()
              .filter(n -> n.startsWith(base + "_"))
              .min(Comparator.comparingInt(String::length))
              .orElse(null);
    }
    return best != null && (bestDistance <= allowed || best.startsWith(base + "_"))
        ? Optional.of(best + (base.equals(name) ? "" : "_FILE"))
        : Optional.empty();
  }

  /**
   * One warning per set variable that looks like ours but is not, e.g. {@code EMAIL_PROVDER is not
   * a Switchboard variable; did you mean EMAIL_PROVIDER?}. Values are never quoted.
   */
  public static List<String> unknown(Collection<String> setNames) {
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(setNames)) {
      if (!name.equals(name.toUpperCase(Locale.ROOT)) || known(name)) {
        continue;
      }
      Optional<String> prefix = PREFIXES.stream().filter(name::startsWith).findFirst();
      if (prefix.isEmpty()) {
        continue;
      }
      Optional<String> guess = closest(name);
      if (guess.isPresent()) {
        warnings.add(
            name
                + " is not a Switchboard variable and is ignored; did you mean "
                + guess.get()
                + "?");
      } else if (!SHARED_PREFIXES.contains(prefix.get())) {
        warnings.add(
            name
                + " is not a Switchboard variable and is ignored (docs/configuration.md lists them all)");
      }
    }
    return warnings;
  }

  /** Levenshtein distance, with a swap of two neighbouring characters counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
