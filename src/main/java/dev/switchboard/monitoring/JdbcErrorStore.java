package dev.switchboard.monitoring;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.ids.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ErrorStore} on the {@code error_groups} and {@code error_settings} tables ({@code
 * V4__error_groups.sql}).
 */
public class JdbcErrorStore implements ErrorStore {

  static final String SALT_KEY = "user_hash_salt";
  private static final TypeReference<List<Breadcrumb>> BREADCRUMBS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private volatile String salt;

  public JdbcErrorStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void record(ErrorOccurrence o) {
    if (update(o) > 0) {
      return;
    }
    try {
      jdbc.sql(
              """
          INSERT INTO error_groups (fingerprint, exception_type, message, occurrences, first_seen, last_seen,
            last_request_id, last_method, last_path, last_breadcrumbs)
          VALUES (:fingerprint, :type, :message, 1, :at, :at, :requestId, :method, :path, :breadcrumbs)""")
          .params(params(o))
          .update();
    } catch (DuplicateKeyException raced) {
      // Another instance inserted the same new group between our UPDATE and INSERT; count this
      // occurrence there.
      update(o);
    }
  }

  private int update(ErrorOccurrence o) {
    return jdbc.sql(
            """
        UPDATE error_groups SET occurrences = occurrences + 1, last_seen = :at, exception_type = :type,
          message = :message, last_request_id = :requestId, last_method = :method, last_path = :path,
          last_breadcrumbs = :breadcrumbs
        WHERE fingerprint = :fingerprint""")
        .params(params(o))
        .update();
  }

  private Map<String, Object> params(ErrorOccurrence o) {
    return Map.of(
        "fingerprint", o.fingerprint(),
        "type", o.exceptionType(),
        "message", o.message(),
        "at", utc(o.at()),
        "requestId", o.context().requestId(),
        "method", o.context().method(),
        "path", o.context().path(),
        "breadcrumbs", json.writeValueAsString(o.breadcrumbs()));
  }

  @Override
  public ErrorPage page(int limit, int offset) {
    List<ErrorGroup> groups =
        jdbc.sql(
                """
        SELECT fingerprint, exception_type, message, occurrences, first_seen, last_seen, last_request_id,
          last_method, last_path, last_breadcrumbs
        FROM error_groups ORDER BY last_seen DESC, fingerprint LIMIT :limit OFFSET :offset""")
            .param("limit", limit)
            .param("offset", offset)
            .query((rs, n) -> group(rs))
            .list();
    return new ErrorPage(groups, count(), limit, offset);
  }

  private ErrorGroup group(ResultSet rs) throws SQLException {
    String crumbs = rs.getString("last_breadcrumbs");
    return new ErrorGroup(
        rs.getString("fingerprint"),
        rs.getString("exception_type"),
        rs.getString("message"),
        rs.getLong("occurrences"),
        instant(rs, "first_seen"),
        instant(rs, "last_seen"),
        rs.getString("last_request_id"),
        rs.getString("last_method"),
        rs.getString("last_path"),
        crumbs == null ? List.of() : json.readValue(crumbs, BREADCRUMBS));
  }

  @Override
  public long count() {
    return jdbc.sql("SELECT COUNT(*) FROM error_groups").query(Long.class).single();
  }

  @Override
  public String userHashSalt() {
    String known = salt;
    if (known != null) {
      return known;
    }
    Optional<String> stored = readSalt();
    if (stored.isEmpty()) {
      try {
        jdbc.sql("INSERT INTO error_settings (setting_key, setting_value) VALUES (:key, :value)")
            .param("key", SALT_KEY)
            .param("value", Digests.hex(Ids.bytes(32)))
            .update();
      } catch (DuplicateKeyException raced) {
        // Another instance created it first; everyone uses the stored one.
      }
      stored = readSalt();
    }
    salt = stored.orElseThrow(() -> new IllegalStateException("error_settings has no " + SALT_KEY));
    return salt;
  }

  private Optional<String> readSalt() {
    return jdbc.sql("SELECT setting_value FROM error_settings WHERE setting_key = :key")
        .param("key", SALT_KEY)
        .query(String.class)
        .optional();
  }
}
