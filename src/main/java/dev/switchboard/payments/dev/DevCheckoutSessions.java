package dev.switchboard.payments.dev;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Open sessions of the dev checkout page, in {@code payment_dev_sessions}; a session is paid,
 * declined or cancelled once.
 */
public final class DevCheckoutSessions {

  record DevSession(
      String id,
      String accountId,
      String customerId,
      String plan,
      String price,
      String mode,
      String successUrl,
      String cancelUrl,
      String status) {
    boolean oneTime() {
      return mode.equals("payment");
    }

    /**
     * A billing-portal visit rather than a checkout: its id is the unguessable token in the portal
     * URL.
     */
    boolean portal() {
      return mode.equals(PORTAL);
    }
  }

  static final String PORTAL = "portal";

  private final JdbcClient jdbc;
  private final Clock clock;

  public DevCheckoutSessions(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  DevSession create(
      String accountId,
      String customerId,
      String plan,
      String price,
      boolean oneTime,
      String successUrl,
      String cancelUrl) {
    String id = "cs_dev_" + UUID.randomUUID().toString().replace("-", "");
    String mode = oneTime ? "payment" : "subscription";
    jdbc.sql(
            "INSERT INTO payment_dev_sessions (id, account_id, customer_id, plan, price, mode, success_url, cancel_url,"
                + " status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)")
        .params(
            id,
            accountId,
            customerId,
            plan,
            price,
            mode,
            successUrl,
            cancelUrl,
            clock.instant().atOffset(ZoneOffset.UTC))
        .update();
    return new DevSession(
        id, accountId, customerId, plan, price, mode, successUrl, cancelUrl, "open");
  }

  /**
   * A portal visit for one customer; the return URL is kept here so the form cannot be pointed
   * elsewhere.
   */
  DevSession createPortal(String accountId, String customerId, String returnUrl) {
    String id = "bps_dev_" + UUID.randomUUID().toString().replace("-", "");
    jdbc.sql(
            "INSERT INTO payment_dev_sessions (id, account_id, customer_id, plan, price, mode, success_url, cancel_url,"
                + " status, created_at) VALUES (?, ?, ?, '', '', ?, ?, ?, 'open', ?)")
        .params(
            id,
            accountId,
            customerId,
            PORTAL,
            returnUrl,
            returnUrl,
            clock.instant().atOffset(ZoneOffset.UTC))
        .update();
    return new DevSession(id, accountId, customerId, "", "", PORTAL, returnUrl, returnUrl, "open");
  }

  Optional<DevSession> find(String id) {
    return jdbc.sql(
            "SELECT id, account_id, customer_id, plan, price, mode, success_url, cancel_url, status"
                + " FROM payment_dev_sessions WHERE id = ?")
        .params(id)
        .query(
            (rs, n) ->
                new DevSession(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9)))
        .optional();
  }

  /**
   * Closes an open session; false when it was already closed (a second click on Pay does nothing).
   */
  boolean close(String id, String status) {
    return jdbc.sql("UPDATE payment_dev_sessions SET status = ? WHERE id = ? AND status = 'open'")
            .params(status, id)
            .update()
        == 1;
  }

  /**
   * Opens a session closed as {@code status} again, when the events its button sends could not be
   * delivered.
   */
  void reopen(String id, String status) {
    jdbc.sql("UPDATE payment_dev_sessions SET status = 'open' WHERE id = ? AND status = ?")
        .params(id, status)
        .update();
  }
}
