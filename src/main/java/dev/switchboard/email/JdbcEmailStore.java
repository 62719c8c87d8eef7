package dev.switchboard.email;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link EmailStore} on the application database (H2 or PostgreSQL). */
public final class JdbcEmailStore implements EmailStore {

  private static final int ERROR_LENGTH = 500;
  private static final String COLUMNS =
      "id, batch_id, template, locale, recipient, subject, text_body, html_body,"
          + " status, attempts, provider, provider_message_id, last_error, created_at, updated_at";
  private static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  /**
   * @param template for the batched inserts, which {@link JdbcClient} does not offer
   */
  public JdbcEmailStore(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  @Override
  public void insertBatch(String id, String templateId, int total, Instant now) {
    jdbc.sql(
            "INSERT INTO email_batches (id, template, total, created_at) VALUES (:id, :template, :total, :now)")
        .param("id", id)
        .param("template", templateId)
        .param("total", total)
        .param("now", utc(now))
        .update();
  }

  @Override
  public void insertMessages(List<NewMessage> messages, Instant now) {
    OffsetDateTime at = utc(now);
    template.batchUpdate(
        "INSERT INTO email_messages (id, batch_id, template, locale, recipient, subject, text_body,"
            + " html_body, status, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
        messages,
        BATCH,
        (ps, m) -> {
          ps.setString(1, m.id());
          ps.setString(2, m.batchId().orElse(null));
          ps.setString(3, m.template());
          ps.setString(4, m.locale().orElse(null));
          ps.setString(5, m.recipient());
          ps.setString(6, m.content().subject());
          ps.setString(7, m.content().text());
          ps.setString(8, m.content().html());
          ps.setObject(9, at);
          ps.setObject(10, at);
        });
    template.batchUpdate(
        "INSERT INTO email_message_history (message_id, status, detail, at) VALUES (?, 'queued', ?, ?)",
        messages,
        BATCH,
        (ps, m) -> {
          ps.setString(1, m.id());
          ps.setString(
              2, "template " + m.template() + m.locale().map(l -> " (" + l + ")").orElse(""));
          ps.setObject(3, at);
        });
  }

  @Override
  public Optional<StoredMessage> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM email_messages WHERE id = :id")
        .param("id", id)
        .query(JdbcEmailStore::message)
        .optional();
  }

  @Override
  public Optional<StoredMessage> findByProviderMessageId(
      String provider, String providerMessageId) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM email_messages WHERE provider_message_id = :pid AND provider = :p"
                + " ORDER BY created_at DESC LIMIT 1")
        .param("pid", providerMessageId)
        .param("p", provider)
        .query(JdbcEmailStore::message)
        .optional();
  }

  @Override
  public List<HistoryEntry> history(String id) {
    return jdbc.sql(
            "SELECT status, detail, at FROM email_message_history WHERE message_id = :id ORDER BY id")
        .param("id", id)
        .query(
            (rs, n) ->
                new HistoryEntry(
                    EmailStatus.of(rs.getString("status")),
                    instant(rs, "at"),
                    rs.getString("detail")))
        .list();
  }

  @Override
  public Optional<BatchProgress> batch(String id) {
    return jdbc.sql("SELECT id, template, total, created_at FROM email_batches WHERE id = :id")
        .param("id", id)
        .query(
            (rs, n) ->
                new BatchProgress(
                    rs.getString("id"),
                    rs.getString("template"),
                    rs.getInt("total"),
                    counts(id),
                    instant(rs, "created_at")))
        .optional();
  }

  @Override
  public List<StoredMessage> recent(int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM email_messages ORDER BY created_at DESC, id DESC LIMIT :limit")
        .param("limit", limit)
        .query(JdbcEmailStore::message)
        .list();
  }

  @Override
  public List<BatchProgress> recentBatches(int limit) {
    List<String> ids =
        jdbc.sql("SELECT id FROM email_batches ORDER BY created_at DESC, id DESC LIMIT :limit")
            .param("limit", limit)
            .query(String.class)
            .list();
    return ids.stream().map(this::batch).flatMap(Optional::stream).toList();
  }

  private Map<EmailStatus, Long> counts(String batchId) {
    Map<EmailStatus, Long> counts = new EnumMap<>(EmailStatus.class);
    jdbc.sql(
            "SELECT status, COUNT(*) AS n FROM email_messages WHERE batch_id = :id GROUP BY status")
        .param("id", batchId)
        .query(
            rs -> {
              counts.put(EmailStatus.of(rs.getString("status")), rs.getLong("n"));
            });
    return counts;
  }

  @Override
  public boolean startAttempt(String id, String provider, Instant now) {
    boolean started =
        jdbc.sql(
                    "UPDATE email_messages SET status = 'sending', attempts = attempts + 1,"
                        + " provider = :provider, updated_at = :now WHERE id = :id AND status IN ('queued', 'sending')")
                .param("provider", provider)
                .param("now", utc(now))
                .param("id", id)
                .update()
            == 1;
    if (started) {
      int attempt =
          jdbc.sql("SELECT attempts FROM email_messages WHERE id = :id")
              .param("id", id)
              .query(Integer.class)
              .single();
      history(id, EmailStatus.SENDING, "attempt " + attempt + " via " + provider, now);
    }
    return started;
  }

  @Override
  public boolean requeue(String id, String error, Instant now) {
    return change(
        id,
        "'sending'",
        EmailStatus.QUEUED,
        ", last_error = :error",
        error,
        "retrying: " + error,
        now);
  }

  @Override
  public boolean holdBack(String id, String reason, Instant now) {
    // The provider asked us to slow down: the attempt did not count, so it does not bring the
    // message nearer to failing.
    return change(
        id,
        "'sending'",
        EmailStatus.QUEUED,
        ", attempts = attempts - 1, last_error = :error",
        reason,
        "waiting: " + reason,
        now);
  }

  @Override
  public boolean markSent(
      String id, String provider, Optional<String> providerMessageId, Instant now) {
    boolean sent =
        jdbc.sql(
                    "UPDATE email_messages SET status = 'sent', provider = :provider,"
                        + " provider_message_id = :pid, updated_at = :now WHERE id = :id AND status IN ('queued', 'sending')")
                .param("provider", provider)
                .param("pid", providerMessageId.orElse(null))
                .param("now", utc(now))
                .param("id", id)
                .update()
            == 1;
    if (!sent) {
      // A delivery event overtook the worker and already moved the message on: keep the provider's
      // id anyway, so
      // later events that carry only that id still find the message.
      jdbc.sql(
              "UPDATE email_messages SET provider = :provider, provider_message_id = :pid WHERE id = :id"
                  + " AND provider_message_id IS NULL")
          .param("provider", provider)
          .param("pid", providerMessageId.orElse(null))
          .param("id", id)
          .update();
    }
    history(
        id,
        EmailStatus.SENT,
        "accepted by " + provider + providerMessageId.map(p -> " as " + p).orElse(""),
        now);
    return sent;
  }

  @Override
  public boolean finish(String id, EmailStatus status, String error, Instant now) {
    return change(id, "'queued', 'sending'", status, ", last_error = :error", error, error, now);
  }

  @Override
  public boolean advance(String id, EmailStatus status, String detail, Instant now) {
    Optional<EmailStatus> current = find(id).map(StoredMessage::status);
    if (current.isEmpty() || !current.get().canMoveTo(status)) {
      return false;
    }
    return change(id, "'" + current.get().id() + "'", status, "", null, detail, now);
  }

  @Override
  public void note(String id, String detail, Instant now) {
    find(id).ifPresent(m -> history(id, m.status(), detail, now));
  }

  /**
   * Moves a message from one of {@code from} (quoted SQL literals of our own constants) to {@code
   * to}.
   */
  private boolean change(
      String id,
      String from,
      EmailStatus to,
      String extraSet,
      String error,
      String detail,
      Instant now) {
    boolean changed =
        jdbc.sql(
                    "UPDATE email_messages SET status = :to, updated_at = :now"
                        + extraSet
                        + " WHERE id = :id AND status IN ("
                        + from
                        + ")")
                .param("to", to.id())
                .param("now", utc(now))
                .param("id", id)
                .param("error", error == null ? null : cut(error))
                .update()
            == 1;
    if (changed) {
      history(id, to, detail, now);
    }
    return changed;
  }

  private void history(String id, EmailStatus status, String detail, Instant now) {
    jdbc.sql(
            "INSERT INTO email_message_history (message_id, status, detail, at) VALUES (:id, :status, :detail, :at)")
        .param("id", id)
        .param("status", status.id())
        .param("detail", detail == null ? null : cut(detail))
        .param("at", utc(now))
        .update();
  }

  @Override
  public boolean insertEvent(DeliveryEvent event, Instant now) {
    // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the
    // transaction.
    return jdbc.sql(
                "INSERT INTO email_delivery_events (provider, event_id, message_id, provider_message_id, type,"
                    + " recipient, occurred_at, detail, received_at) VALUES (:provider, :eventId, :messageId,"
                    + " :providerMessageId, :type, :recipient, :occurredAt, :detail, :now) ON CONFLICT DO NOTHING")
            .param("provider", event.provider())
            .param("eventId", event.eventId())
            // Longer ids match no message (the columns they are matched against are as long).
            .param("messageId", event.messageId().filter(id -> id.length() <= 40).orElse(null))
            .param(
                "providerMessageId",
                event.providerMessageId().filter(id -> id.length() <= 255).orElse(null))
            .param("type", event.type().name().toLowerCase(Locale.ROOT))
            .param("recipient", event.recipient())
            .param("occurredAt", utc(event.occurredAt()))
            .param("detail", event.detail() == null ? null : cut(event.detail()))
            .param("now", utc(now))
            .update()
        == 1;
  }

  @Override
  public Optional<DeliveryEvent> unappliedEvent(String provider, String eventId) {
    return jdbc.sql(
            "SELECT provider, event_id, message_id, provider_message_id, type, recipient, occurred_at, detail"
                + " FROM email_delivery_events WHERE provider = :provider AND event_id = :eventId"
                + " AND applied_at IS NULL FOR UPDATE")
        .param("provider", provider)
        .param("eventId", eventId)
        .query(
            (rs, row) ->
                new DeliveryEvent(
                    rs.getString("provider"),
                    rs.getString("event_id"),
                    Optional.ofNullable(rs.getString("message_id")),
                    Optional.ofNullable(rs.getString("provider_message_id")),
                    DeliveryEvent.Type.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                    rs.getString("recipient"),
                    instant(rs, "occurred_at"),
                    rs.getString("detail")))
        .optional();
  }

  @Override
  public void markEventApplied(
      String provider, String eventId, Optional<String> messageId, Instant now) {
    jdbc.sql(
            "UPDATE email_delivery_events SET applied_at = :now, message_id = :messageId"
                + " WHERE provider = :provider AND event_id = :eventId")
        .param("now", utc(now))
        .param("messageId", messageId.orElse(null))
        .param("provider", provider)
        .param("eventId", eventId)
        .update();
  }

  @Override
  public boolean suppress(String address, String reason, String detail, Instant now) {
    return jdbc.sql(
                "INSERT INTO email_suppressions (address, reason, detail, created_at)"
                    + " VALUES (:address, :reason, :detail, :now) ON CONFLICT DO NOTHING")
            .param("address", EmailAddresses.normalized(address))
            .param("reason", reason)
            .param("detail", detail == null ? null : cut(detail))
            .param("now", utc(now))
            .update()
        == 1;
  }

  @Override
  public Optional<String> suppression(String address) {
    return jdbc.sql("SELECT reason FROM email_suppressions WHERE address = :address")
        .param("address", EmailAddresses.normalized(address))
        .query(String.class)
        .optional();
  }

  @Override
  public long queueDepth() {
    return jdbc.sql("SELECT COUNT(*) FROM email_messages WHERE status IN ('queued', 'sending')")
        .query(Long.class)
        .single();
  }

  private static StoredMessage message(ResultSet rs, int row) throws SQLException {
    return new StoredMessage(
        rs.getString("id"),
        Optional.ofNullable(rs.getString("batch_id")),
        rs.getString("template"),
        Optional.ofNullable(rs.getString("locale")),
        rs.getString("recipient"),
        new RenderedEmail(
            rs.getString("subject"), rs.getString("text_body"), rs.getString("html_body")),
        EmailStatus.of(rs.getString("status")),
        rs.getInt("attempts"),
        Optional.ofNullable(rs.getString("provider")),
        Optional.ofNullable(rs.getString("provider_message_id")),
        Optional.ofNullable(rs.getString("last_error")),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static String cut(String text) {
    return text.length() > ERROR_LENGTH ? text.substring(0, ERROR_LENGTH - 1) + "…" : text;
  }
}
