package dev.switchboard.monitoring;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link AlertStore} on the application database (H2 or PostgreSQL). */
public final class JdbcAlertStore implements AlertStore {

  private static final String COLUMNS =
      "id, rule, subject, severity, title, detail, dedup_key, opened_at, resolved_at,"
          + " acknowledged_at, acknowledged_by, reminders_sent, last_notified_at";

  private final JdbcClient jdbc;

  public JdbcAlertStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<Incident> openIncidents() {
    return incidents(" WHERE open_key IS NOT NULL ORDER BY opened_at, id").list();
  }

  @Override
  public List<Incident> recentIncidents(int limit) {
    return incidents(
            " ORDER BY CASE WHEN open_key IS NULL THEN 1 ELSE 0 END, opened_at DESC, id LIMIT ?",
            limit)
        .list();
  }

  @Override
  public Optional<Incident> incident(String id) {
    return incidents(" WHERE id = ?", id).optional();
  }

  private JdbcClient.MappedQuerySpec<Incident> incidents(String rest, Object... params) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM alert_incidents" + rest)
        .params(params)
        .query(JdbcAlertStore::incident);
  }

  @Override
  public boolean open(Incident i) {
    // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the
    // transaction.
    return oneRow(
        "INSERT INTO alert_incidents (id, rule, subject, open_key, severity, title, detail, dedup_key,"
            + " opened_at, reminders_sent, last_notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
        i.id(),
        i.rule(),
        i.subject(),
        i.rule() + "/" + i.subject(),
        i.severity(),
        cut(i.title(), 300),
        cut(i.detail(), 1000),
        i.dedupKey(),
        utc(i.openedAt()),
        utc(i.lastNotifiedAt()));
  }

  @Override
  public boolean resolve(String id, Instant when) {
    return oneRow(
        "UPDATE alert_incidents SET open_key = NULL, resolved_at = ? WHERE id = ? AND open_key IS NOT NULL",
        utc(when),
        id);
  }

  @Override
  public boolean acknowledge(String id, String by, Instant when) {
    return oneRow(
        "UPDATE alert_incidents SET acknowledged_at = COALESCE(acknowledged_at, ?),"
            + " acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ? AND open_key IS NOT NULL",
        utc(when),
        cut(by, 200),
        id);
  }

  @Override
  public boolean recordReminder(String id, int sentSoFar, Instant when) {
    return oneRow(
        "UPDATE alert_incidents SET reminders_sent = reminders_sent + 1, last_notified_at = ?"
            + " WHERE id = ? AND reminders_sent = ? AND open_key IS NOT NULL",
        utc(when),
        id,
        sentSoFar);
  }

  @Override
  public void addSilence(Silence s) {
    jdbc.sql(
            "INSERT INTO alert_silences (id, rule, subject, silenced_until, reason, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(
            s.id(),
            s.rule().orElse(null),
            s.subject().orElse(null),
            utc(s.until()),
            cut(s.reason(), 500),
            s.createdBy().map(b -> cut(b, 200)).orElse(null),
            utc(s.createdAt()))
        .update();
  }

  @Override
  public List<Silence> activeSilences(Instant now) {
    return jdbc.sql(
            "SELECT id, rule, subject, silenced_until, reason, created_by, created_at FROM alert_silences"
                + " WHERE silenced_until > ? ORDER BY silenced_until DESC")
        .params(utc(now))
        .query(
            (rs, n) ->
                new Silence(
                    rs.getString("id"),
                    Optional.ofNullable(rs.getString("rule")),
                    Optional.ofNullable(rs.getString("subject")),
                    instant(rs, "silenced_until"),
                    rs.getString("reason"),
                    Optional.ofNullable(rs.getString("created_by")),
                    instant(rs, "created_at")))
        .list();
  }

  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    int renewed =
        jdbc.sql(
                "UPDATE alert_lease SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)")
            .params(holder, utc(now.plus(ttl)), name, holder, utc(now))
            .update();
    if (renewed == 1) {
      return true;
    }
    return oneRow(
        "INSERT INTO alert_lease (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        name,
        holder,
        utc(now.plus(ttl)));
  }

  @Override
  public void recordDelivery(
      String channel, Instant when, boolean ok, boolean broken, String detail) {
    int updated =
        jdbc.sql(
                "UPDATE alert_channels SET last_delivery_at = ?, ok = ?, broken = ?, detail = ? WHERE channel = ?")
            .params(utc(when), ok, broken, cut(detail, 300), channel)
            .update();
    if (updated == 0) {
      jdbc.sql(
              "INSERT INTO alert_channels (channel, last_delivery_at, ok, broken, detail) VALUES (?, ?, ?, ?, ?)"
                  + " ON CONFLICT DO NOTHING")
          .params(channel, utc(when), ok, broken, cut(detail, 300))
          .update();
    }
  }

  @Override
  public Optional<ChannelDelivery> lastDelivery(String channel) {
    return jdbc.sql(
            "SELECT channel, last_delivery_at, ok, broken, detail FROM alert_channels WHERE channel = ?")
        .params(channel)
        .query(
            (rs, n) ->
                new ChannelDelivery(
                    rs.getString("channel"),
                    instant(rs, "last_delivery_at"),
                    rs.getBoolean("ok"),
                    rs.getBoolean("broken"),
                    rs.getString("detail")))
        .optional();
  }

  @Override
  public void recordCheck(String integrationId, LocalDate day, boolean up) {
    int good = up ? 1 : 0;
    for (int attempt = 0; attempt < 2; attempt++) {
      int updated =
          jdbc.sql(
                  "UPDATE health_daily SET checks = checks + 1, up_checks = up_checks + ?"
                      + " WHERE integration_id = ? AND check_day = ?")
              .params(good, integrationId, day)
              .update();
      if (updated == 1) {
        return;
      }
      int inserted =
          jdbc.sql(
                  "INSERT INTO health_daily (integration_id, check_day, checks, up_checks) VALUES (?, ?, 1, ?)"
                      + " ON CONFLICT DO NOTHING")
              .params(integrationId, day, good)
              .update();
      if (inserted == 1) {
        return;
      }
      // Another instance inserted the day's row between our update and insert: update it.
    }
  }

  @Override
  public List<DailyHealth> dailyHealth(LocalDate since) {
    return jdbc.sql(
            "SELECT integration_id, check_day, checks, up_checks FROM health_daily WHERE check_day >= ?"
                + " ORDER BY integration_id, check_day")
        .params(since)
        .query(
            (rs, n) ->
                new DailyHealth(
                    rs.getString("integration_id"),
                    rs.getObject("check_day", LocalDate.class),
                    rs.getLong("checks"),
                    rs.getLong("up_checks")))
        .list();
  }

  @Override
  public byte[] fingerprintKey() {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    jdbc.sql(
            "INSERT INTO secret_fingerprint_key (id, hmac_key) VALUES (1, ?) ON CONFLICT DO NOTHING")
        .params(HexFormat.of().formatHex(fresh))
        .update();
    String stored =
        jdbc.sql("SELECT hmac_key FROM secret_fingerprint_key WHERE id = 1")
            .query(String.class)
            .single();
    return HexFormat.of().parseHex(stored);
  }

  @Override
  public LocalDate firstSeen(String name, String fingerprint, LocalDate today) {
    jdbc.sql(
            "INSERT INTO secret_fingerprints (name, fingerprint, first_seen) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .params(name, fingerprint, today)
        .update();
    return jdbc.sql("SELECT first_seen FROM secret_fingerprints WHERE name = ? AND fingerprint = ?")
        .params(name, fingerprint)
        .query((rs, n) -> rs.getObject("first_seen", LocalDate.class))
        .single();
  }

  /** Runs one write and says whether it changed exactly one row. */
  private boolean oneRow(String sql, Object... params) {
    return jdbc.sql(sql).params(params).update() == 1;
  }

  private static Incident incident(ResultSet rs, int row) throws SQLException {
    return new Incident(
        rs.getString("id"),
        rs.getString("rule"),
        rs.getString("subject"),
        rs.getString("severity"),
        rs.getString("title"),
        rs.getString("detail"),
        rs.getString("dedup_key"),
        instant(rs, "opened_at"),
        Optional.ofNullable(instant(rs, "resolved_at")),
        Optional.ofNullable(instant(rs, "acknowledged_at")),
        Optional.ofNullable(rs.getString("acknowledged_by")),
        rs.getInt("reminders_sent"),
        instant(rs, "last_notified_at"));
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
  }
}
