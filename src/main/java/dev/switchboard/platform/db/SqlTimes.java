package dev.switchboard.platform.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Instants to and from {@code TIMESTAMP WITH TIME ZONE} columns, the one way every store writes
 * them: as UTC {@link OffsetDateTime}s, which both H2 and the PostgreSQL driver bind and read
 * without a session time zone.
 */
public final class SqlTimes {

  private SqlTimes() {}

  /** The value to bind for an instant. */
  public static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The column's instant, or null when the column is null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The column's instant, empty when the column is null. */
  public static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(instant(rs, column));
  }
}
