package dev.switchboard.monitoring;

import dev.switchboard.platform.config.Secret;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code secret_rotation_due}: every configured {@link Secret} is remembered by an HMAC-SHA256
 * fingerprint (under a random key kept in the database, never the value) with the day it was first
 * seen. A secret is due {@code SECRET_ROTATION_WARN_DAYS} before it is {@code SECRET_ROTATION_DAYS}
 * old; a new value is a new fingerprint and starts from today.
 */
public final class SecretAges implements AlertSource {

  private final AlertStore store;
  private final Map<String, Secret> secrets;
  private final AlertsConfig.Rules rules;
  private volatile LocalDate loadedOn;
  private volatile Map<String, LocalDate> firstSeen = Map.of();

  /**
   * @param config the loaded configuration record; every Secret reachable through its record
   *     components counts
   */
  public SecretAges(AlertStore store, Record config, AlertsConfig.Rules rules) {
    this.store = store;
    this.secrets = secrets(config);
    this.rules = rules;
  }

  @Override
  public AlertRule rule() {
    return AlertRule.SECRET_ROTATION_DUE;
  }

  @Override
  public List<AlertSignal> firing(Instant now) {
    List<AlertSignal> firing = new ArrayList<>();
    for (Age age : ages(now)) {
      if (age.due()) {
        firing.add(
            new AlertSignal(
                rule(),
                age.name(),
                "Secret " + age.name() + " is due for rotation",
                age.name()
                    + " has been in use for "
                    + age.days()
                    + " days; rotate it before "
                    + age.rotateBy()
                    + " ("
                    + rules.secretMaxAgeDays()
                    + " days)"));
      }
    }
    return firing;
  }

  @Override
  public boolean cleared(String subject, Instant now) {
    return ages(now).stream().noneMatch(a -> a.name().equals(subject) && a.due());
  }

  /** Every configured secret's age, by variable name; reads the database once a day. */
  public List<Age> ages(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!today.equals(loadedOn)) {
      byte[] key = store.fingerprintKey();
      Map<String, LocalDate> seen = new LinkedHashMap<>();
      secrets.forEach(
          (name, secret) -> seen.put(name, store.firstSeen(name, fingerprint(key, secret), today)));
      firstSeen = seen;
      loadedOn = today;
    }
    List<Age> ages = new ArrayList<>();
    firstSeen.forEach(
        (name, since) -> {
          long days = ChronoUnit.DAYS.between(since, today);
          LocalDate rotateBy = since.plusDays(rules.secretMaxAgeDays());
          ages.add(
              new Age(
                  name,
                  since,
                  days,
                  rotateBy,
                  days >= rules.secretMaxAgeDays() - rules.secretWarnDays()));
        });
    return ages;
  }

  /** The names of the secrets watched. */
  public List<String> names() {
    return List.copyOf(secrets.keySet());
  }

  /** One secret's age; {@code due} once it is within the warning days of the maximum age. */
  public record Age(String name, LocalDate firstSeen, long days, LocalDate rotateBy, boolean due) {}

  static String fingerprint(byte[] key, Secret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * {@code payments.stripeSecretKey} → {@code STRIPE_SECRET_KEY}; nested records prefix their
   * component's name.
   */
  static Map<String, Secret> secrets(Record config) {
    Map<String, Secret> found = new LinkedHashMap<>();
    collect(config, "", 0, found);
    return found;
  }

  private static void collect(Object value, String name, int depth, Map<String, Secret> found) {
    if (value instanceof Secret secret) {
      found.putIfAbsent(name, secret);
    } else if (value instanceof Optional<?> optional) {
      optional.ifPresent(v -> collect(v, name, depth, found));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(list.get(i), list.size() == 1 ? name : name + "[" + (i + 1) + "]", depth, found);
      }
    } else if (value instanceof Map<?, ?> map) {
      // The areas' records, keyed by type: each is named by its own components.
      map.values().forEach(v -> collect(v, name, depth, found));
    } else if (value instanceof Record record && depth < 4) {
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Object child;
        try {
          child = component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        String own = snake(component.getName());
        collect(child, depth <= 1 ? own : name + "_" + own, depth + 1, found);
      }
    }
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
