package dev.switchboard.auth;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcSessionStore implements SessionStore {

  private static final String SESSION_WITH_ACCOUNT =
      "SELECT s.*, "
          + JdbcAccounts.prefixedColumns("a", "acct_")
          + " FROM auth_sessions s LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id = ?";

  private static final String TOKEN_IN_SESSION =
      "SELECT s.*, t.token_hash AS token_hash, t.created_at AS token_created_at,"
          + " t.rotated_at AS token_rotated_at, "
          + JdbcAccounts.prefixedColumns("a", "acct_")
          + " FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id"
          + " LEFT JOIN accounts a ON a.id = s.account_id WHERE t.token_hash";

  private static final String FAMILY_IN_SESSION =
      "SELECT s.*, "
          + JdbcAccounts.prefixedColumns("a", "acct_")
          + " FROM auth_sessions s LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id";

  /** {@link #FAMILY_IN_SESSION} for an array of ids (the index is used as for an IN list). */
  private static final String FAMILIES_IN_SESSIONS = FAMILY_IN_SESSION + " = ANY(?)";

  private static final String ROTATE =
      "UPDATE auth_sessions SET refresh_generation = ?, refresh_hash = ?, refresh_rotations = ?,"
          + " last_used_at = ?, expires_at = ?, ip_address = ?, user_agent = ? WHERE id = ?"
          + " AND refresh_generation = ? AND refresh_hash = ? AND revoked_at IS NULL AND expires_at > ?";

  /**
   * The types of {@link #ROTATE}'s parameters, given to the batch: a null (no user agent) of
   * unknown type made Spring ask the driver for the statement's parameter types, per null and row.
   */
  private static final int[] ROTATE_TYPES = {
    Types.BIGINT,
    Types.VARCHAR,
    Types.VARCHAR,
    Types.TIMESTAMP_WITH_TIMEZONE,
    Types.TIMESTAMP_WITH_TIMEZONE,
    Types.VARCHAR,
    Types.VARCHAR,
    Types.VARCHAR,
    Types.BIGINT,
    Types.VARCHAR,
    Types.TIMESTAMP_WITH_TIMEZONE
  };

  private static final String ADOPT =
      "UPDATE auth_sessions SET refresh_generation = ?, refresh_hash = ?, refresh_rotations = ?,"
          + " last_used_at = ?, expires_at = ?, ip_address = ?, user_agent = ? WHERE id = ?"
          + " AND refresh_generation IS NULL AND revoked_at IS NULL AND expires_at > ?";

  private static final String MARK_ROTATED =
      "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL";

  private static final String INSERT_TOKEN =
      "INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)";

  private final JdbcClient jdbc;

  /** For the statement batches of refreshes sharing a commit, which {@link JdbcClient} lacks. */
  private final JdbcTemplate template;

  JdbcSessionStore(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  @Override
  public void insert(UserSession s) {
    insert(s, null);
  }

  @Override
  public void insert(UserSession s, String refreshHash) {
    jdbc.sql(
            "INSERT INTO auth_sessions (id, account_id, method, ip_address, user_agent, created_at, last_used_at, "
                + "expires_at, refresh_generation, refresh_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            s.id(),
            s.accountId(),
            s.method(),
            s.ipAddress().orElse(null),
            s.userAgent().orElse(null),
            utc(s.createdAt()),
            utc(s.lastUsedAt()),
            utc(s.expiresAt()),
            refreshHash == null ? null : 0L,
            refreshHash)
        .update();
  }

  @Override
  public Optional<FamilyInSession> family(String sessionId) {
    return jdbc.sql(FAMILY_IN_SESSION + " = ?")
        .param(sessionId)
        .query(JdbcSessionStore::familyInSession)
        .optional();
  }

  @Override
  public Map<String, FamilyInSession> families(Collection<String> sessionIds) {
    Map<String, FamilyInSession> found = new HashMap<>();
    if (sessionIds.isEmpty()) {
      return found;
    }
    String[] ids = sessionIds.toArray(String[]::new);
    // One statement text whatever the group's size, the ids as one array: an IN list of one
    // placeholder per id was a statement of its own per size (parsed, planned and cached again by
    // each pooled connection), and H2 walks every statement its connection keeps cached, IN lists
    // and all, at the first row a transaction changes in a table.
    template
        .query(
            con -> {
              PreparedStatement statement = con.prepareStatement(FAMILIES_IN_SESSIONS);
              statement.setArray(1, con.createArrayOf("varchar", ids));
              return statement;
            },
            JdbcSessionStore::familyInSession)
        .forEach(row -> found.put(row.session().id(), row));
    return found;
  }

  private static FamilyInSession familyInSession(ResultSet rs, int row) throws SQLException {
    long generation = rs.getLong("refresh_generation");
    Optional<RefreshFamily> family =
        rs.wasNull()
            ? Optional.empty()
            : Optional.of(
                new RefreshFamily(
                    generation,
                    rs.getString("refresh_hash"),
                    rotations(rs.getString("refresh_rotations"))));
    return new FamilyInSession(
        session(rs, row),
        family,
        rs.getString("acct_id") == null
            ? Optional.empty()
            : Optional.of(JdbcAccounts.account(rs, "acct_")));
  }

  @Override
  public boolean rotate(Rotate rotation) {
    return jdbc.sql(rotation.generation() == null ? ADOPT : ROTATE)
            .params(rotateParams(rotation))
            .update()
        == 1;
  }

  @Override
  public boolean[] rotate(List<Rotate> rotations) {
    List<Object[]> rows = new ArrayList<>(rotations.size());
    for (Rotate rotation : rotations) {
      if (rotation.generation() == null) {
        throw new IllegalArgumentException("a batch rotates families already on session rows");
      }
      rows.add(rotateParams(rotation));
    }
    return changed(template.batchUpdate(ROTATE, rows, ROTATE_TYPES), rows.size());
  }

  private static Object[] rotateParams(Rotate r) {
    Object[] set = {
      r.next().generation(),
      r.next().tokenHash(),
      rotations(r.next().rotations()),
      utc(r.at()),
      utc(r.expiresAt()),
      r.client().ipAddress(),
      clip(r.client().userAgent()),
      r.sessionId()
    };
    Object[] where =
        r.generation() == null
            ? new Object[] {utc(r.at())}
            : new Object[] {r.generation(), r.tokenHash(), utc(r.at())};
    Object[] params = Arrays.copyOf(set, set.length + where.length);
    System.arraycopy(where, 0, params, set.length, where.length);
    return params;
  }

  /** Epoch milliseconds, newest first, comma-separated (null for none). */
  static String rotations(List<Instant> rotations) {
    if (rotations.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (Instant at : rotations) {
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(at.toEpochMilli());
    }
    return out.toString();
  }

  static List<Instant> rotations(String stored) {
    if (stored == null || stored.isEmpty()) {
      return List.of();
    }
    List<Instant> out = new ArrayList<>();
    for (String at : stored.split(",")) {
      out.add(Instant.ofEpochMilli(Long.parseLong(at)));
    }
    return out;
  }

  @Override
  public Optional<UserSession> find(String sessionId) {
    return jdbc.sql("SELECT * FROM auth_sessions WHERE id = ?")
        .param(sessionId)
        .query(JdbcSessionStore::session)
        .optional();
  }

  @Override
  public Optional<SessionWithAccount> findWithAccount(String sessionId) {
    return jdbc.sql(SESSION_WITH_ACCOUNT)
        .param(sessionId)
        .query(
            (rs, row) ->
                new SessionWithAccount(
                    session(rs, row),
                    rs.getString("acct_id") == null
                        ? Optional.empty()
                        : Optional.of(JdbcAccounts.account(rs, "acct_"))))
        .optional();
  }

  @Override
  public List<UserSession> active(String accountId, Instant now) {
    return jdbc.sql(
            "SELECT * FROM auth_sessions WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ? "
                + "ORDER BY last_used_at DESC, id")
        .params(accountId, utc(now))
        .query(JdbcSessionStore::session)
        .list();
  }

  @Override
  public boolean revoke(String sessionId, Instant at, String why) {
    return jdbc.sql(
                "UPDATE auth_sessions SET revoked_at = ?, revoked_why = ? WHERE id = ? AND revoked_at IS NULL")
            .params(utc(at), why, sessionId)
            .update()
        == 1;
  }

  @Override
  public List<String> revokeAll(String accountId, String keep, Instant at, String why) {
    List<String> ids =
        jdbc
            .sql("SELECT id FROM auth_sessions WHERE account_id = ? AND revoked_at IS NULL")
            .param(accountId)
            .query(String.class)
            .list()
            .stream()
            .filter(id -> !id.equals(keep))
            .toList();
    ids.forEach(id -> revoke(id, at, why));
    return ids;
  }

  @Override
  public void insertToken(String tokenHash, String sessionId, Instant at) {
    jdbc.sql(INSERT_TOKEN).params(tokenHash, sessionId, utc(at)).update();
  }

  @Override
  public Optional<RefreshToken> token(String tokenHash) {
    return jdbc.sql("SELECT * FROM refresh_tokens WHERE token_hash = ?")
        .param(tokenHash)
        .query(
            (rs, row) ->
                new RefreshToken(
                    rs.getString("token_hash"),
                    rs.getString("session_id"),
                    instant(rs, "created_at"),
                    optionalInstant(rs, "rotated_at")))
        .optional();
  }

  @Override
  public Optional<TokenInSession> tokenInSession(String tokenHash) {
    // One round trip for everything a refresh reads: the token, its session and the account the
    // new access token describes (a separate account read was the fifth statement of a refresh).
    return jdbc.sql(TOKEN_IN_SESSION + " = ?")
        .param(tokenHash)
        .query(JdbcSessionStore::tokenInSession)
        .optional();
  }

  private static TokenInSession tokenInSession(ResultSet rs, int row) throws SQLException {
    return new TokenInSession(
        new RefreshToken(
            rs.getString("token_hash"),
            rs.getString("id"),
            instant(rs, "token_created_at"),
            optionalInstant(rs, "token_rotated_at")),
        session(rs, row),
        rs.getString("acct_id") == null
            ? Optional.empty()
            : Optional.of(JdbcAccounts.account(rs, "acct_")));
  }

  @Override
  public boolean markRotated(String tokenHash, Instant at) {
    return jdbc.sql(MARK_ROTATED).params(utc(at), tokenHash).update() == 1;
  }

  @Override
  public void unmarkRotated(String tokenHash) {
    jdbc.sql("UPDATE refresh_tokens SET rotated_at = NULL WHERE token_hash = ?")
        .param(tokenHash)
        .update();
  }

  /**
   * Which rows of a batch of single-row updates changed one row. A driver that does not say (a
   * count other than 0 or 1) fails the batch: the caller's transaction is rolled back, and nothing
   * is claimed on a guess.
   */
  private static boolean[] changed(int[] counts, int expected) {
    if (counts.length != expected) {
      throw new IllegalStateException(
          "the batch answered " + counts.length + " counts for " + expected + " statements");
    }
    boolean[] changed = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0 && counts[i] != 1) {
        throw new IllegalStateException("the batch answered no row count: " + counts[i]);
      }
      changed[i] = counts[i] == 1;
    }
    return changed;
  }

  static String clip(String userAgent) {
    return userAgent == null
        ? null
        : userAgent.length() > 300 ? userAgent.substring(0, 300) : userAgent;
  }

  private static UserSession session(ResultSet rs, int row) throws SQLException {
    return new UserSession(
        rs.getString("id"),
        rs.getString("account_id"),
        rs.getString("method"),
        Optional.ofNullable(rs.getString("ip_address")),
        Optional.ofNullable(rs.getString("user_agent")),
        instant(rs, "created_at"),
        instant(rs, "last_used_at"),
        instant(rs, "expires_at"),
        optionalInstant(rs, "revoked_at"));
  }
}
