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

  /** Stripe's signing secrets are {@code whsec_} and 32 or more random characters. */
  static final int MIN_WEBHOOK_SECRET_BODY = 24;

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
    config
        .auth()
        .keySecret()
        .flatMap(k -> weakness(k.reveal()))
        .ifPresent(
            why ->
                out.add(
                    refused(
                        "SWITCHBOARD_AUTH_KEY_SECRET",
                        "the secret " + why + "; generate one with `openssl rand -base64 32`")));
    for (Secret s : config.payments().stripeWebhookSecrets()) {
      String body = s.reveal().startsWith("whsec_") ? s.reveal().substring(6) : s.reveal();
      if (body.length() < MIN_WEBHOOK_SECRET_BODY || weakness(body).isPresent()) {
        out.add(
            refused(
                "STRIPE_WEBHOOK_SECRET",
                "a secret is not one Stripe issued (too short or a pattern), so "
                    + "anyone could sign webhooks with it; copy the endpoint's signing secret from the Stripe dashboard"));
        break;
      }
    }
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
    config
        .payments()
        .stripeSecretKey()
        .filter(k -> k.reveal().matches("^(sk|rk)_test_.*"))
        .ifPresent(
            k ->
                out.add(
                    warning(
                        "STRIPE_SECRET_KEY",
                        "is a test-mode key: checkouts take no real money; set the sk_live_ key "
                            + "(a staging deployment may keep the test key on purpose)")));
    config
        .payments()
        .paypal()
        .filter(p -> p.mode().equals("sandbox"))
        .ifPresent(
            p ->
                out.add(
                    warning(
                        "PAYPAL_MODE",
                        "is sandbox: subscriptions take no real money; set PAYPAL_MODE=live with live credentials")));
    config
        .email()
        .smtpUrl()
        .flatMap(ProductionSafety::plainSmtp)
        .ifPresent(
            host ->
                out.add(
                    warning(
                        "SMTP_URL",
                        "smtp:// without credentials to "
                            + host
                            + " uses TLS only when the server offers STARTTLS, so mail can "
                            + "cross the network unencrypted; use smtps:// (port 465) or an authenticated smtp:// (STARTTLS required)")));
    return out;
  }

  /** Why {@code value} is guessable, or empty when it looks random. */
  static Optional<String> weakness(String value) {
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

  static boolean loopback(URI uri) {
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

  /**
   * The host of an {@code smtp://} URL without credentials to another machine: STARTTLS is then
   * only opportunistic.
   */
  private static Optional<String> plainSmtp(Secret url) {
    try {
      URI uri = new URI(url.reveal());
      boolean plain =
          "smtp".equalsIgnoreCase(uri.getScheme())
              && uri.getRawUserInfo() == null
              && !loopback(uri);
      return plain ? Optional.of(uri.getHost()) : Optional.empty();
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static ConfigFinding refused(String variable, String message) {
    return new ConfigFinding(ConfigFinding.Kind.REFUSED_IN_PRODUCTION, variable, message);
  }

  private static ConfigFinding warning(String variable, String message) {
    return new ConfigFinding(ConfigFinding.Kind.WARNING, variable, message);
  }
}
