package dev.switchboard.platform.instances;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link InstanceStore} on the application database (H2 or PostgreSQL, the same SQL). */
final class JdbcInstanceStore implements InstanceStore {

  private final JdbcClient jdbc;

  JdbcInstanceStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void register(Instance i) {
    jdbc.sql(
            """
            INSERT INTO instances (id, version, host, pid, public_url, database_kind, storage_provider,
                storage_location, heartbeat_interval_ms, started_at, heartbeat_at, stopped_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
            """)
        .params(
            i.id(),
            i.version(),
            i.host(),
            i.pid(),
            i.publicUrl(),
            i.database(),
            i.storage(),
            i.storageLocation(),
            i.heartbeatInterval().toMillis(),
            utc(i.startedAt()),
            utc(i.heartbeatAt()))
        .update();
  }

  @Override
  public boolean beat(String id, Instant at) {
    return jdbc.sql("UPDATE instances SET heartbeat_at = ? WHERE id = ? AND stopped_at IS NULL")
            .params(utc(at), id)
            .update()
        == 1;
  }

  @Override
  public void stop(String id, Instant at) {
    jdbc.sql("UPDATE instances SET stopped_at = ?, heartbeat_at = ? WHERE id = ?")
        .params(utc(at), utc(at), id)
        .update();
  }

  @Override
  public List<Instance> all() {
    return jdbc.sql("SELECT * FROM instances ORDER BY started_at, id")
        .query(JdbcInstanceStore::row)
        .list();
  }

  @Override
  public int prune(Instant stoppedBefore, Instant silentBefore) {
    return jdbc.sql(
            "DELETE FROM instances WHERE stopped_at < ? OR (stopped_at IS NULL AND heartbeat_at < ?)")
        .params(utc(stoppedBefore), utc(silentBefore))
        .update();
  }

  private static Instance row(ResultSet rs, int n) throws SQLException {
    return new Instance(
        rs.getString("id"),
        rs.getString("version"),
        rs.getString("host"),
        rs.getLong("pid"),
        rs.getString("public_url"),
        rs.getString("database_kind"),
        rs.getString("storage_provider"),
        rs.getString("storage_location"),
        Duration.ofMillis(rs.getLong("heartbeat_interval_ms")),
        instant(rs, "started_at"),
        instant(rs, "heartbeat_at"),
        optionalInstant(rs, "stopped_at"));
  }
}
