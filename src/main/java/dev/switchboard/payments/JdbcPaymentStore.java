package dev.switchboard.payments;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.CustomPlans;
import dev.switchboard.platform.db.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link PaymentStore} on the application database (H2 or PostgreSQL). */
public final class JdbcPaymentStore implements PaymentStore {

  private static final int DETAIL_LENGTH = 500;
  private static final String EVENT_COLUMNS =
      "provider, event_id, event_type, event_created, received_at, payload,"
          + " status, detail, account_id, attempts";
  private static final String SUBSCRIPTION_COLUMNS =
      "account_id, provider, customer_id, subscription_id, plan, price,"
          + " status, current_period_end, cancel_at_period_end, last_event_at, updated_at";

  // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the
  // transaction.
  private static final String INSERT_EVENT =
      "INSERT INTO payment_events (provider, event_id, event_type, event_created, received_at, payload,"
          + " status, customer_id) VALUES (?, ?, ?, ?, ?, ?, 'received', ?) ON CONFLICT DO NOTHING";

  /**
   * {@link #INSERT_EVENT} for a group on PostgreSQL: one statement whose rows come from arrays, one
   * per column, where a JDBC batch is one statement per row (the server plans, starts and ends an
   * executor for each). {@code RETURNING} names the events that were new. Rows are inserted in
   * array order, so of an id repeated in the group the first is stored and the later ones are
   * skipped, as in the batch. The times travel as ISO-8601 text, which the server parses without a
   * driver-side array type for {@code timestamptz}.
   */
  static final String INSERT_EVENTS =
      "INSERT INTO payment_events (provider, event_id, event_type, event_created, received_at, payload,"
          + " status, customer_id) SELECT r.provider, r.id, r.type, r.created, ?, r.payload, 'received',"
          + " r.customer FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],"
          + " ?::text[], ?::varchar[]) AS r(provider, id, type, created, payload, customer)"
          + " ON CONFLICT DO NOTHING RETURNING provider, event_id";

  /**
   * An event's outcome. {@code unmatched_customer} holds the customer only while the event waits
   * for it ({@link StoredEvent#UNMATCHED}); an event that never waits keeps NULL there, so its mark
   * changes no indexed column: no index entry on H2, and on PostgreSQL a HOT update where its page
   * has room (V95, V96).
   */
  private static final String MARK_EVENT =
      "UPDATE payment_events SET status = ?, detail = ?, account_id = COALESCE(?, account_id),"
          + " processed_at = ?, attempts = attempts + 1,"
          + " unmatched_customer = CASE WHEN ? = '"
          + StoredEvent.UNMATCHED
          + "' THEN customer_id END WHERE provider = ? AND event_id = ?";

  /**
   * {@link #MARK_EVENT} for a group on PostgreSQL, as one statement: the marks as arrays, one per
   * column, joined to the rows by their key. Run without a server-side prepared statement ({@link
   * CustomPlans#planEachRun}): its generic plan, made while the table was small, joins the marks to
   * a sequential scan of {@code payment_events}. Used only when no event is marked twice in the
   * group (a row joined to two marks would take one of them; the batch applies both).
   */
  static final String MARK_EVENTS =
      "UPDATE payment_events e SET status = m.status, detail = m.detail,"
          + " account_id = COALESCE(m.account_id, e.account_id), processed_at = ?,"
          + " attempts = e.attempts + 1, unmatched_customer = CASE WHEN m.status = '"
          + StoredEvent.UNMATCHED
          + "' THEN e.customer_id END FROM unnest(?::varchar[], ?::varchar[], ?::varchar[],"
          + " ?::varchar[], ?::varchar[]) AS m(provider, event_id, status, detail, account_id)"
          + " WHERE e.provider = m.provider AND e.event_id = m.event_id";

  /**
   * A group's events on PostgreSQL, one whole-key lookup per id: the ids as one array, each looked
   * up by a subquery the planner cannot merge into a join ({@code LIMIT 1}; the key is unique), so
   * every plan is a primary-key lookup per id. Written as {@code provider = ? AND event_id IN (…)},
   * the plan PostgreSQL made while the table was small (a server-prepared statement's generic plan,
   * kept for the pooled connection) had only {@code provider} as the index condition and filtered
   * the ids: each group read every event of the provider (87 million index entries in one 15 s
   * webhook burst). {@code (provider, event_id) IN ((?, ?), …)} planned that way scans the table.
   * One statement text for every group size, too.
   */
  static final String EVENTS_BY_KEY =
      "SELECT e.* FROM unnest(?) AS k(id) CROSS JOIN LATERAL (SELECT "
          + EVENT_COLUMNS
          + " FROM payment_events WHERE provider = ? AND event_id = k.id LIMIT 1) e";

  /**
   * {@link #EVENTS_BY_KEY} on H2, which has no {@code LATERAL}: the ids as a table function joined
   * to the primary key, which H2 plans with the function first (one key lookup per id) also on an
   * empty table. Written as {@code provider = ? AND event_id IN (…)}, H2 walks the provider's whole
   * range of the key (50,001 rows for 3 ids among 50,000); a lookup per id was a statement per
   * event (4.5 % of the CPU of a webhook burst on H2).
   */
  static final String EVENTS_BY_KEY_H2 =
      "SELECT e.provider, e.event_id, e.event_type, e.event_created, e.received_at, e.payload,"
          + " e.status, e.detail, e.account_id, e.attempts"
          + " FROM UNNEST(?) AS k(id) JOIN payment_events e ON e.provider = ? AND e.event_id = k.id";

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  /** How a group's events are read with one query: {@link #EVENTS_BY_KEY} or its H2 form. */
  private final String eventsByKey;

  /**
   * Whether a group's events are inserted with {@link #INSERT_EVENTS} (PostgreSQL) rather than a
   * JDBC batch (H2, which has no arrays of this kind in {@code INSERT … SELECT}).
   */
  private final boolean arrays;

  /**
   * @param template for the batched event inserts, which {@link JdbcClient} does not offer
   * @param config the database kind: the form of the query that reads a group's events
   */
  public JdbcPaymentStore(JdbcClient jdbc, JdbcTemplate template, SwitchboardConfig config) {
    this.jdbc = jdbc;
    this.template = template;
    this.arrays = config.core().database().kind() == DatabaseConfig.Kind.POSTGRESQL;
    this.eventsByKey = arrays ? EVENTS_BY_KEY : EVENTS_BY_KEY_H2;
  }

  @Override
  public List<Boolean> insertEvents(List<IncomingEvent> events, Instant now) {
    if (events.size() == 1) {
      IncomingEvent only = events.get(0);
      return List.of(insertEvent(only.event(), only.customerId(), now));
    }
    if (arrays) {
      return insertEventsAsArrays(events, now);
    }
    OffsetDateTime received = utc(now);
    int[][] counts =
        template.batchUpdate(
            INSERT_EVENT,
            events,
            events.size(),
            (ps, e) -> {
              ps.setString(1, e.event().provider());
              ps.setString(2, e.event().id());
              ps.setString(3, e.event().type());
              ps.setObject(4, utc(e.event().created()));
              ps.setObject(5, received);
              ps.setString(6, e.event().payload());
              ps.setString(7, e.customerId().orElse(null));
            });
    List<Boolean> stored = new ArrayList<>(events.size());
    for (int[] batch : counts) {
      for (int count : batch) {
        if (count != 0 && count != 1) {
          // SUCCESS_NO_INFO (pgjdbc with reWriteBatchedInserts=true): which rows were new is
          // unknown. Failing rolls the group back, and each event is then stored on its own.
          throw new IllegalStateException(
              "the driver did not report which webhook events were new (" + count + ")");
        }
        stored.add(count == 1);
      }
    }
    return stored;
  }

  private List<Boolean> insertEventsAsArrays(List<IncomingEvent> events, Instant now) {
    int n = events.size();
    String[] providers = new String[n];
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] created = new String[n];
    String[] payloads = new String[n];
    String[] customers = new String[n];
    for (int i = 0; i < n; i++) {
      ReceivedEvent e = events.get(i).event();
      providers[i] = e.provider();
      ids[i] = e.id();
      types[i] = e.type();
      created[i] = e.created().toString();
      payloads[i] = e.payload();
      customers[i] = events.get(i).customerId().orElse(null);
    }
    Map<String, Set<String>> inserted = new HashMap<>();
    template.query(
        con -> {
          var statement = con.prepareStatement(INSERT_EVENTS);
          statement.setObject(1, utc(now));
          statement.setArray(2, con.createArrayOf("varchar", providers));
          statement.setArray(3, con.createArrayOf("varchar", ids));
          statement.setArray(4, con.createArrayOf("varchar", types));
          statement.setArray(5, con.createArrayOf("varchar", created));
          statement.setArray(6, con.createArrayOf("text", payloads));
          statement.setArray(7, con.createArrayOf("varchar", customers));
          return statement;
        },
        (RowCallbackHandler)
            rs ->
                inserted
                    .computeIfAbsent(rs.getString(1), p -> new HashSet<>())
                    .add(rs.getString(2)));
    // An id inserted now answers true once, for its first occurrence in the group.
    List<Boolean> stored = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Set<String> fresh = inserted.get(providers[i]);
      stored.add(fresh != null && fresh.remove(ids[i]));
    }
    return stored;
  }

  @Override
  public boolean insertEvent(ReceivedEvent event, Optional<String> customerId, Instant now) {
    return jdbc.sql(INSERT_EVENT)
            .params(
                event.provider(),
                event.id(),
                event.type(),
                utc(event.created()),
                utc(now),
                event.payload(),
                customerId.orElse(null))
            .update()
        == 1;
  }

  @Override
  public Optional<StoredEvent> event(String provider, String id) {
    return jdbc.sql(
            "SELECT " + EVENT_COLUMNS + " FROM payment_events WHERE provider = ? AND event_id = ?")
        .params(provider, id)
        .query(JdbcPaymentStore::event)
        .optional();
  }

  @Override
  public Map<String, StoredEvent> events(String provider, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Map<String, StoredEvent> found = new HashMap<>();
    String[] keys = ids.toArray(String[]::new);
    template
        .query(
            con -> {
              var statement = con.prepareStatement(eventsByKey);
              statement.setArray(1, con.createArrayOf("varchar", keys));
              statement.setString(2, provider);
              return statement;
            },
            JdbcPaymentStore::event)
        .forEach(e -> found.put(e.id(), e));
    return found;
  }

  @Override
  public void markEvents(List<EventMark> marks, Instant now) {
    if (marks.size() == 1) {
      EventMark m = marks.get(0);
      markEvent(m.provider(), m.id(), m.status(), m.detail(), m.accountId(), now);
      return;
    }
    if (arrays && distinctKeys(marks)) {
      markEventsAsArrays(marks, now);
      return;
    }
    OffsetDateTime at = utc(now);
    template.batchUpdate(
        MARK_EVENT,
        marks,
        marks.size(),
        (ps, m) -> {
          ps.setString(1, m.status());
          ps.setString(2, cut(m.detail()));
          ps.setString(3, m.accountId().orElse(null));
          ps.setObject(4, at);
          ps.setString(5, m.status());
          ps.setString(6, m.provider());
          ps.setString(7, m.id());
        });
  }

  private static boolean distinctKeys(List<EventMark> marks) {
    Set<List<String>> keys = new HashSet<>();
    for (EventMark m : marks) {
      if (!keys.add(List.of(m.provider(), m.id()))) {
        return false;
      }
    }
    return true;
  }

  private void markEventsAsArrays(List<EventMark> marks, Instant now) {
    int n = marks.size();
    String[] providers = new String[n];
    String[] ids = new String[n];
    String[] statuses = new String[n];
    String[] details = new String[n];
    String[] accounts = new String[n];
    for (int i = 0; i < n; i++) {
      EventMark m = marks.get(i);
      providers[i] = m.provider();
      ids[i] = m.id();
      statuses[i] = m.status();
      details[i] = cut(m.detail());
      accounts[i] = m.accountId().orElse(null);
    }
    template.update(
        con -> {
          var statement = CustomPlans.planEachRun(con.prepareStatement(MARK_EVENTS));
          statement.setObject(1, utc(now));
          statement.setArray(2, con.createArrayOf("varchar", providers));
          statement.setArray(3, con.createArrayOf("varchar", ids));
          statement.setArray(4, con.createArrayOf("varchar", statuses));
          statement.setArray(5, con.createArrayOf("varchar", details));
          statement.setArray(6, con.createArrayOf("varchar", accounts));
          return statement;
        });
  }

  @Override
  public void markEvent(
      String provider,
      String id,
      String status,
      String detail,
      Optional<String> accountId,
      Instant now) {
    jdbc.sql(MARK_EVENT)
        .params(status, cut(detail), accountId.orElse(null), utc(now), status, provider, id)
        .update();
  }

  @Override
  public boolean markFailed(String provider, String id, String detail, Instant now) {
    return jdbc.sql(
                "UPDATE payment_events SET status = 'failed', detail = ?, processed_at = ?, attempts = attempts + 1,"
                    + " unmatched_customer = NULL WHERE provider = ? AND event_id = ? AND status NOT IN ('processed', 'ignored')")
            .params(cut(detail), utc(now), provider, id)
            .update()
        == 1;
  }

  /**
   * Through {@code payment_events_unmatched} (V95). The status is asked too: an instance of an
   * earlier version, beside this one during a rolling upgrade, marks an event it releases without
   * clearing {@code unmatched_customer}.
   */
  @Override
  public List<String> unmatchedEvents(String provider, String customerId) {
    return jdbc.sql(
            "SELECT event_id FROM payment_events WHERE unmatched_customer = ? AND provider = ?"
                + " AND status = 'unmatched' ORDER BY event_created")
        .params(customerId, provider)
        .query(String.class)
        .list();
  }

  @Override
  public List<StoredEvent> recentEvents(int limit) {
    return jdbc.sql(
            "SELECT "
                + EVENT_COLUMNS
                + " FROM payment_events ORDER BY received_at DESC, event_id LIMIT ?")
        .params(limit)
        .query(JdbcPaymentStore::event)
        .list();
  }

  @Override
  public Optional<Instant> lastReceived(String provider) {
    return jdbc.sql("SELECT MAX(received_at) FROM payment_events WHERE provider = ?")
        .params(provider)
        .query((rs, n) -> Optional.ofNullable(instant(rs, 1)))
        .single();
  }

  @Override
  public Optional<Subscription> subscription(String accountId) {
    return subscription(accountId, "");
  }

  @Override
  public Optional<Subscription> subscriptionForUpdate(String accountId) {
    return subscription(accountId, " FOR UPDATE");
  }

  private Optional<Subscription> subscription(String accountId, String lock) {
    return jdbc.sql(
            "SELECT "
                + SUBSCRIPTION_COLUMNS
                + " FROM payment_subscriptions WHERE account_id = ?"
                + lock)
        .params(accountId)
        .query(JdbcPaymentStore::subscription)
        .optional();
  }

  @Override
  public Optional<String> accountFor(
      String provider, Optional<String> customerId, Optional<String> subscriptionId) {
    if (subscriptionId.isPresent()) {
      Optional<String> found =
          jdbc.sql(
                  "SELECT account_id FROM payment_subscriptions WHERE subscription_id = ?"
                      + " AND provider = ?")
              .params(subscriptionId.get(), provider)
              .query(String.class)
              .optional();
      if (found.isPresent()) {
        return found;
      }
    }
    if (customerId.isPresent()) {
      return jdbc
          .sql(
              "SELECT account_id FROM payment_subscriptions WHERE customer_id = ? AND provider = ?")
          .params(customerId.get(), provider)
          .query(String.class)
          .list()
          .stream()
          .findFirst();
    }
    return Optional.empty();
  }

  @Override
  public void saveSubscription(Subscription s) {
    Object[] values = {
      s.provider(),
      s.customerId().orElse(null),
      s.subscriptionId().orElse(null),
      s.plan().orElse(null),
      s.price().orElse(null),
      s.status().id(),
      s.currentPeriodEnd().map(SqlTimes::utc).orElse(null),
      s.cancelAtPeriodEnd(),
      s.lastEventAt().map(SqlTimes::utc).orElse(null),
      utc(s.updatedAt()),
      s.accountId()
    };
    int updated =
        jdbc.sql(
                "UPDATE payment_subscriptions SET provider = ?, customer_id = ?, subscription_id = ?, plan = ?,"
                    + " price = ?, status = ?, current_period_end = ?, cancel_at_period_end = ?, last_event_at = ?,"
                    + " updated_at = ? WHERE account_id = ?")
            .params(values)
            .update();
    if (updated == 0) {
      jdbc.sql(
              "INSERT INTO payment_subscriptions (provider, customer_id, subscription_id, plan, price, status,"
                  + " current_period_end, cancel_at_period_end, last_event_at, updated_at, account_id)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(values)
          .update();
    }
  }

  @Override
  public List<Subscription> subscriptions(int limit) {
    return jdbc.sql(
            "SELECT "
                + SUBSCRIPTION_COLUMNS
                + " FROM payment_subscriptions ORDER BY updated_at DESC LIMIT ?")
        .params(limit)
        .query(JdbcPaymentStore::subscription)
        .list();
  }

  @Override
  public boolean recordPayment(
      String provider,
      String invoiceId,
      String accountId,
      Optional<Long> amount,
      Optional<String> currency,
      Instant paidAt,
      String eventId) {
    return jdbc.sql(
                "INSERT INTO payment_records (provider, invoice_id, account_id, amount, currency, paid_at, event_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .params(
                provider,
                invoiceId,
                accountId,
                amount.orElse(null),
                currency.orElse(null),
                utc(paidAt),
                eventId)
            .update()
        == 1;
  }

  @Override
  public boolean claimNotice(String key, Instant now) {
    return jdbc.sql(
                "INSERT INTO payment_notices (notice_key, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(key, utc(now))
            .update()
        == 1;
  }

  private static StoredEvent event(ResultSet rs, int row) throws SQLException {
    return new StoredEvent(
        rs.getString("provider"),
        rs.getString("event_id"),
        rs.getString("event_type"),
        instant(rs, "event_created"),
        instant(rs, "received_at"),
        rs.getString("payload"),
        rs.getString("status"),
        Optional.ofNullable(rs.getString("detail")),
        Optional.ofNullable(rs.getString("account_id")),
        rs.getInt("attempts"));
  }

  private static Subscription subscription(ResultSet rs, int row) throws SQLException {
    return new Subscription(
        rs.getString("account_id"),
        rs.getString("provider"),
        Optional.ofNullable(rs.getString("customer_id")),
        Optional.ofNullable(rs.getString("subscription_id")),
        Optional.ofNullable(rs.getString("plan")),
        Optional.ofNullable(rs.getString("price")),
        status(rs.getString("status")),
        optionalInstant(rs, "current_period_end"),
        rs.getBoolean("cancel_at_period_end"),
        optionalInstant(rs, "last_event_at"),
        instant(rs, "updated_at"));
  }

  /** The detail as the column holds it: at most {@value #DETAIL_LENGTH} characters. */
  private static String cut(String detail) {
    return detail == null || detail.length() <= DETAIL_LENGTH
        ? detail
        : detail.substring(0, DETAIL_LENGTH);
  }

  private static SubscriptionStatus status(String id) {
    return SubscriptionStatus.of(id)
        .orElseThrow(() -> new IllegalStateException("unknown subscription status " + id));
  }
}
