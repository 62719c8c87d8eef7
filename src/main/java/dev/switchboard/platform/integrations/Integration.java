package dev.switchboard.platform.integrations;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One box on the integration map, declared by its area as a Spring bean: what it is, which provider
 * serves it, whether it is configured, what its settings are (masked), its rate limits, and how to
 * check its health.
 *
 * @param id unique id, e.g. {@code database}, {@code email}, {@code payments.stripe}
 * @param area the area that owns it: platform, auth, email, payments, storage, analytics,
 *     monitoring
 * @param provider provider id: {@code h2}, {@code postgresql}, {@code sendgrid}, {@code outbox}, …
 * @param mode dev (a stand-in that delivers nothing real), embedded (real, but on this one machine:
 *     H2, local files), test (provider sandbox keys), live, or off (nothing serves it), as {@code
 *     switchboard status} shows it
 * @param configured whether the operator configured it, as opposed to running on a default
 * @param maskedConfig variable name to display value; secrets only through {@link
 *     dev.switchboard.platform.config.Secret#masked()}
 * @param rateLimits name to rate, e.g. {@code outbound: 100/s}
 * @param healthCheck how to check it
 * @param checkInterval how often the check runs
 * @param checkTimeout how long one check may take before it counts as down
 */
public record Integration(
    String id,
    String area,
    String provider,
    Mode mode,
    boolean configured,
    Map<String, String> maskedConfig,
    Map<String, String> rateLimits,
    HealthCheck healthCheck,
    Duration checkInterval,
    Duration checkTimeout) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Where an integration's traffic goes. {@code EMBEDDED} is real and durable but tied to one
   * machine (the H2 file database, files on local disk): fine for a single box in production, never
   * for several instances.
   */
  public enum Mode {
    DEV,
    EMBEDDED,
    TEST,
    LIVE,
    /**
     * Nothing serves it: no provider is configured and no stand-in runs (payments in production).
     */
    OFF;

    /** The mode named like a row of {@code switchboard status} ({@code dev}, {@code live}, …). */
    public static Mode of(String id) {
      return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Integration {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(healthCheck, "healthCheck cannot be null");
    maskedConfig = Collections.unmodifiableMap(new LinkedHashMap<>(maskedConfig));
    rateLimits = Collections.unmodifiableMap(new LinkedHashMap<>(rateLimits));
  }

  /** The same box checked by {@code check} instead. */
  public Integration withHealthCheck(HealthCheck check) {
    return new Integration(
        id,
        area,
        provider,
        mode,
        configured,
        maskedConfig,
        rateLimits,
        check,
        checkInterval,
        checkTimeout);
  }
}
