package dev.switchboard.platform.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns, the one way the stores convert
 * them on H2 and PostgreSQL alike: written at UTC, read back as the instant they name.
 */
public final class SqlTimes {

  private SqlTimes() {}

  /** The parameter value for {@code instant}. */
  public static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The instant in {@code column}, or null when it is NULL. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    return toInstant(rs.getObject(column, OffsetDateTime.class));
  }

  /** The instant in the column at {@code index} (from 1), or null when it is NULL. */
  public static Instant instant(ResultSet rs, int index) throws SQLException {
    return toInstant(rs.getObject(index, OffsetDateTime.class));
  }

  private static Instant toInstant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
