package dev.switchboard.platform.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings that parse fine but are unsafe in production (issue: production accepted them silently).
 * Each rule is either refused (production stops at startup with the variable named, like the other
 * refusals) or a warning, as docs/configuration.md explains per rule. In development nothing is
 * refused; the same findings show on the readiness checklist so they are fixed before the first
 * production start.
 */
public final class ProductionSafety {

  /** Fewer distinct characters than this and a key is a pattern, not a random value. */
  static final int MIN_DISTINCT = 8;

  /** Estimated bits (Shannon entropy of the characters × length) below which a key is guessable. */
  static final double MIN_BITS = 80;

  private ProductionSafety() {}

  /**
   * Adds a startup problem for every refused finding; called by {@link SwitchboardConfig#load} in
   * production.
   */
  static void refuse(ConfigReader r, SwitchboardConfig config) {
    for (ConfigFinding f : findings(config)) {
      // An unset public URL already has its own problem ("required in production"); one message is
      // enough.
      boolean defaulted =
          f.variable().equals("SWITCHBOARD_PUBLIC_URL") && !r.isSet("SWITCHBOARD_PUBLIC_URL");
      if (f.kind() == ConfigFinding.Kind.REFUSED_IN_PRODUCTION && !defaulted) {
        r.problem(f.variable(), f.message());
      }
    }
  }

  /** Every unsafe setting, refused or warned about; the same list in both modes. */
  public static List<ConfigFinding> findings(SwitchboardConfig config) {
    List<ConfigFinding> out = new ArrayList<>();
    CoreConfig core = config.core();
    core.adminApiKey()
        .flatMap(k -> weakness(k.reveal()))
        .ifPresent(
            why ->
                out.add(
                    refused(
                        "SWITCHBOARD_ADMIN_API_KEY",
                        "the key " + why + "; generate one with `openssl rand -base64 32`")));
    if (loopback(core.publicUrl())) {
      out.add(
          refused(
              "SWITCHBOARD_PUBLIC_URL",
              "points at this machine ("
                  + core.publicUrl().getHost()
                  + "), so sign-in callbacks, email links and upload URLs would not reach Switchboard; set the public "
                  + "https:// URL users and providers reach"));
    }
    for (URI origin : core.redirectAllowlist()) {
      if ("http".equalsIgnoreCase(origin.getScheme())) {
        if (loopback(origin)) {
          out.add(
              warning(
                  "SWITCHBOARD_REDIRECT_ALLOWLIST",
                  "lists "
                      + origin
                      + ": a developer's machine may receive "
                      + "sign-in codes from this server; remove it once local testing against production is done"));
        } else {
          out.add(
              refused(
                  "SWITCHBOARD_REDIRECT_ALLOWLIST",
                  "lists "
                      + origin
                      + ": sign-in codes sent there travel "
                      + "unencrypted and can be read on the network; list the https:// origin"));
        }
      }
    }
    // Each area's unsafe settings (the Stripe webhook secret, a test key, plain SMTP, …).
    for (ConfigFinding f : config.areaFindings()) {
      if (f.kind() == ConfigFinding.Kind.REFUSED_IN_PRODUCTION
          || f.kind() == ConfigFinding.Kind.WARNING) {
        out.add(f);
      }
    }
    return out;
  }

  /** Why {@code value} is guessable, or empty when it looks random. */
  public static Optional<String> weakness(String value) {
    long distinct = value.chars().distinct().count();
    if (distinct <= 1) {
      return Optional.of("is one repeated character");
    }
    if (distinct < MIN_DISTINCT) {
      return Optional.of("uses only " + distinct + " different characters");
    }
    double bits = entropyBits(value);
    if (bits < MIN_BITS) {
      return Optional.of(
          "has too little randomness (about "
              + Math.round(bits)
              + " bits, at least "
              + Math.round(MIN_BITS)
              + " needed)");
    }
    return Optional.empty();
  }

  static double entropyBits(String value) {
    int[] counts = value.chars().collect(() -> new int[0x10000], (a, c) -> a[c]++, (a, b) -> {});
    double perChar = 0;
    for (int count : counts) {
      if (count > 0) {
        double p = (double) count / value.length();
        perChar -= p * (Math.log(p) / Math.log(2));
      }
    }
    return perChar * value.length();
  }

  /** Whether {@code uri} points at this machine. */
  public static boolean loopback(URI uri) {
    String host =
        uri.getHost() == null
            ? ""
            : uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
    return host.equals("localhost")
        || host.endsWith(".localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("0.0.0.0");
  }

  /** A finding refused at startup in production. */
  public static ConfigFinding refused(String variable, String message) {
    return new ConfigFinding(ConfigFinding.Kind.REFUSED_IN_PRODUCTION, variable, message);
  }

  /** A finding warned about in production. */
  public static ConfigFinding warning(String variable, String message) {
    return new ConfigFinding(ConfigFinding.Kind.WARNING, variable, message);
  }
}
