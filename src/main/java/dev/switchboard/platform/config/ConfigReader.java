package dev.switchboard.platform.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads environment variables (or {@code NAME_FILE}, a path whose content is the value) and
 * collects every problem instead of stopping at the first, so one failed start lists everything to
 * fix. Each method returns a usable fallback after recording a problem, so loading always runs to
 * the end.
 */
public final class ConfigReader {

  private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})(ms|s|m|h|d)$");

  private final Function<String, String> env;
  private final List<String> problems = new ArrayList<>();

  public ConfigReader(Function<String, String> env) {
    this.env = env;
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public void problem(String variable, String message) {
    problems.add(variable + ": " + message);
  }

  /**
   * The trimmed value of {@code name} or of the file named by {@code name_FILE}; empty when neither
   * is set.
   */
  public Optional<String> string(String name) {
    String direct = blankToNull(env.apply(name));
    String file = blankToNull(env.apply(name + "_FILE"));
    if (direct != null && file != null) {
      problem(name, "set either " + name + " or " + name + "_FILE, not both");
      return Optional.of(direct);
    }
    if (file != null) {
      try {
        return Optional.ofNullable(
            blankToNull(Files.readString(Path.of(file), StandardCharsets.UTF_8)));
      } catch (IOException | RuntimeException e) {
        problem(
            name + "_FILE",
            "cannot read file '" + file + "' (" + e.getClass().getSimpleName() + ")");
        return Optional.empty();
      }
    }
    return Optional.ofNullable(direct);
  }

  public String string(String name, String fallback) {
    return string(name).orElse(fallback);
  }

  public Optional<Secret> secret(String name) {
    return string(name).map(Secret::of);
  }

  /**
   * A secret that must be at least {@code minLength} characters; the value itself is never quoted
   * in the problem.
   */
  public Optional<Secret> secret(String name, int minLength) {
    Optional<Secret> secret = secret(name);
    if (secret.isPresent() && secret.get().reveal().length() < minLength) {
      problem(name, "must be at least " + minLength + " characters long");
      return Optional.empty();
    }
    return secret;
  }

  /** A lowercase id from {@code allowed}; unknown ids name every allowed value. */
  public String oneOf(String name, List<String> allowed, String fallback, String noun) {
    Optional<String> raw = string(name).map(v -> v.toLowerCase(Locale.ROOT));
    if (raw.isEmpty()) {
      return fallback;
    }
    if (!allowed.contains(raw.get())) {
      problem(
          name,
          "unknown "
              + noun
              + " '"
              + printable(raw.get())
              + "'; expected one of "
              + String.join(", ", allowed));
      return fallback;
    }
    return raw.get();
  }

  public int port(String name, int fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(raw.get());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      problem(name, "'" + printable(raw.get()) + "' is not a port number (0-65535)");
      return fallback;
    }
  }

  /**
   * A whole number from {@code min} to {@code max}; {@code fallback} when unset or out of range
   * (then a problem is recorded).
   */
  public int count(String name, int fallback, int min, int max) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String value = raw.get().trim();
    if (value.matches("^[0-9]{1,9}$")) {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    }
    problem(name, "expected a whole number from " + min + " to " + max);
    return fallback;
  }

  public double fraction(String name, double fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(raw.get());
      if (!(value >= 0 && value <= 1)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      problem(name, "'" + printable(raw.get()) + "' is not a number between 0 and 1");
      return fallback;
    }
  }

  public Rate rate(String name, String fallback) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return Rate.parse(fallback);
    }
    try {
      return Rate.parse(raw.get());
    } catch (IllegalArgumentException e) {
      problem(name, "'" + printable(raw.get()) + "' is not a rate; " + e.getMessage());
      return Rate.parse(fallback);
    }
  }

  /**
   * A positive duration like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code 400d}.
   */
  public Duration duration(String name, String fallback) {
    return parseDuration(name, string(name, fallback), fallback);
  }

  /**
   * {@link #duration} between {@code min} and {@code max} (both included, written as durations);
   * outside them a problem saying the bounds and {@code why}, and the fallback.
   */
  public Duration duration(String name, String fallback, String min, String max, String why) {
    Duration value = duration(name, fallback);
    if (value.compareTo(parseDuration(name, min, min)) < 0
        || value.compareTo(parseDuration(name, max, max)) > 0) {
      problem(name, "must be between " + min + " and " + max + "; " + why);
      return parseDuration(name, fallback, fallback);
    }
    return value;
  }

  private Duration parseDuration(String name, String value, String fallback) {
    String raw = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(raw);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      problem(
          name,
          "'" + printable(raw) + "' is not a duration; expected e.g. 500ms, 30s, 5m, 1h or 7d");
      raw = fallback;
      m = DURATION.matcher(raw);
      m.matches();
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofHours(n);
    };
  }

  /**
   * An absolute URL with one of {@code schemes}. URLs may carry credentials, so a malformed one is
   * described, never echoed.
   */
  public Optional<URI> url(String name, List<String> schemes) {
    Optional<String> raw = string(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    return parseUrl(name, raw.get(), schemes);
  }

  public Optional<URI> parseUrl(String name, String raw, List<String> schemes) {
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!schemes.contains(scheme)) {
        problem(name, "expected a URL starting with " + String.join("://, ", schemes) + "://");
        return Optional.empty();
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        problem(name, "the URL has no host");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problem(name, "is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
      return Optional.empty();
    }
  }

  /**
   * A URL that carries credentials (password, token in the path): validated, then kept as a {@link
   * Secret}.
   */
  public Optional<Secret> secretUrl(String name, List<String> schemes) {
    return url(name, schemes).map(u -> Secret.of(u.toString()));
  }

  /** A comma-separated list, trimmed, empty entries dropped. */
  public List<String> list(String name) {
    return string(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** Records a problem when only some of a group of variables that belong together are set. */
  public void companions(String... names) {
    List<String> set = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      (isSet(name) ? set : missing).add(name);
    }
    if (!set.isEmpty() && !missing.isEmpty()) {
      for (String name : missing) {
        problem(name, "must be set together with " + String.join(", ", set));
      }
    }
  }

  public boolean isSet(String name) {
    return blankToNull(env.apply(name)) != null || blankToNull(env.apply(name + "_FILE")) != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Quotes a user-typed value safely: short, no control characters. */
  private static String printable(String value) {
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
  }
}
