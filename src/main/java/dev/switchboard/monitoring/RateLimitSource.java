package dev.switchboard.monitoring;

import dev.switchboard.platform.config.Rate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rate_limit_approaching}: a rate-limit bucket used above the share (80 %) on average over
 * the last {@code ALERT_RATE_LIMIT_FOR}, or a provider that answered 429 within that time. Buckets
 * kept per client (the inbound API limit, sign-in limits) are reported under their limit's name,
 * never the client's.
 */
public final class RateLimitSource implements AlertSource {

  private final RateUsage usage;
  private final OutboundTraffic traffic;
  private final AlertsConfig.Rules rules;

  public RateLimitSource(RateUsage usage, OutboundTraffic traffic, AlertsConfig.Rules rules) {
    this.usage = usage;
    this.traffic = traffic;
    this.rules = rules;
  }

  @Override
  public AlertRule rule() {
    return AlertRule.RATE_LIMIT_APPROACHING;
  }

  @Override
  public List<AlertSignal> firing(Instant now) {
    Map<String, AlertSignal> bySubject = new LinkedHashMap<>();
    usage
        .usage(now, rules.rateLimitFor())
        .values()
        .forEach(
            u -> {
              if (u.share() > rules.rateLimitShare()) {
                String subject = subject(u.key());
                bySubject.putIfAbsent(
                    subject,
                    new AlertSignal(
                        rule(),
                        subject,
                        "Rate limit of " + subject + " nearly reached",
                        String.format(
                            Locale.ROOT,
                            "%.0f%% of %s used over the last %s; warning above %.0f%%",
                            100 * u.share(),
                            perSecond(u.rate()),
                            CheckRun.human(rules.rateLimitFor()),
                            100 * rules.rateLimitShare())));
              }
            });
    traffic
        .throttled(now, rules.rateLimitFor())
        .forEach(
            (id, count) ->
                bySubject.putIfAbsent(
                    id,
                    new AlertSignal(
                        rule(),
                        id,
                        "Provider rate limit hit by " + id,
                        count
                            + " answers with HTTP 429 in the last "
                            + CheckRun.human(rules.rateLimitFor()))));
    return new ArrayList<>(bySubject.values());
  }

  @Override
  public boolean cleared(String subject, Instant now) {
    return firing(now).stream().noneMatch(s -> s.subject().equals(subject));
  }

  /**
   * {@code 1/100ms} and {@code 10/s} both read {@code 10/s}; slow limits keep their own form
   * ({@code 20/min}).
   */
  static String perSecond(Rate rate) {
    double perSecond = rate.perSecond();
    return perSecond >= 1 && perSecond == Math.rint(perSecond)
        ? (long) perSecond + "/s"
        : rate.toString();
  }

  /**
   * {@code email:sendgrid} stays; {@code api:key_123} and {@code auth.login:1.2.3.4} become their
   * limit's name.
   */
  static String subject(String key) {
    int colon = key.indexOf(':');
    if (colon < 0) {
      return key;
    }
    String name = key.substring(0, colon);
    boolean perClient = name.equals("api") || name.contains(".");
    return perClient ? name : key;
  }
}
