package dev.switchboard.platform.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the database is. {@code DATABASE_URL} takes the {@code postgresql://user:pass@host:port/db}
 * form that hosting platforms hand out, or any {@code jdbc:} URL; without it, an H2 file database
 * under the data dir.
 *
 * @param jdbcUrl the JDBC URL, without credentials
 * @param username the user, or empty
 * @param password the password, if any
 * @param kind which SQL dialect the migrations and queues use
 */
public record DatabaseConfig(
    String jdbcUrl, String username, Optional<Secret> password, Kind kind) {

  /** The two databases Switchboard runs its migrations on. */
  public enum Kind {
    H2,
    POSTGRESQL
  }

  /**
   * The longest a committed change of the embedded database waits in memory before it is written to
   * its file.
   */
  public static final int H2_WRITE_DELAY_MS = 10;

  static DatabaseConfig load(ConfigReader r, Path dataDir) {
    Optional<String> raw = r.string("DATABASE_URL");
    if (raw.isEmpty()) {
      String file = dataDir.toAbsolutePath().resolve("db").resolve("switchboard").toString();
      // H2 writes commits to its file in the background every WRITE_DELAY ms (500 by default), so a
      // killed process forgot its last half second: at 100 mails/s, 40-50 mails already delivered
      // came back as unsent and went out twice after a restart. 10 ms keeps that window to about
      // one
      // mail; 0 would stop H2's housekeeping and grow the file by a chunk per commit.
      // QUERY_CACHE_SIZE: H2 keeps 8 parsed statements per connection by default; a group commit's
      // multi-row inserts (one shape per power of two) and the hot paths' other statements are more
      // than that, and were parsed again on every group.
      return new DatabaseConfig(
          "jdbc:h2:file:"
              + file
              + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
              + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE;WRITE_DELAY="
              + H2_WRITE_DELAY_MS
              + ";QUERY_CACHE_SIZE=64",
          "sa",
          Optional.empty(),
          Kind.H2);
    }
    String url = raw.get();
    if (url.startsWith("jdbc:")) {
      if (url.startsWith("jdbc:postgresql:")) {
        return new DatabaseConfig(url, "", Optional.empty(), Kind.POSTGRESQL);
      }
      if (url.startsWith("jdbc:h2:")) {
        return new DatabaseConfig(url, "sa", Optional.empty(), Kind.H2);
      }
      r.problem("DATABASE_URL", "unsupported JDBC URL; expected jdbc:postgresql:… or jdbc:h2:…");
      return fallback(dataDir);
    }
    Optional<URI> uri = r.parseUrl("DATABASE_URL", url, List.of("postgresql", "postgres"));
    if (uri.isEmpty()) {
      return fallback(dataDir);
    }
    URI u = uri.get();
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceFirst("^/", "");
    if (path.isEmpty()) {
      r.problem(
          "DATABASE_URL",
          "the URL names no database; expected postgresql://user:pass@host:port/dbname");
      return fallback(dataDir);
    }
    String user = "";
    Optional<Secret> password = Optional.empty();
    if (u.getRawUserInfo() != null) {
      String[] parts = u.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      if (parts.length == 2) {
        password = Optional.of(Secret.of(decode(parts[1])));
      }
    }
    int port = u.getPort() == -1 ? 5432 : u.getPort();
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    String jdbc = "jdbc:postgresql://" + u.getHost() + ":" + port + "/" + path + query;
    return new DatabaseConfig(jdbc, user, password, Kind.POSTGRESQL);
  }

  private static DatabaseConfig fallback(Path dataDir) {
    return new DatabaseConfig("jdbc:h2:mem:invalid", "sa", Optional.empty(), Kind.H2);
  }

  private static String decode(String s) {
    // Percent-decoding only: a '+' in a URL's user info is a plus, not a form-encoded space.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL as shown on the integration map: never with a password. */
  public String display() {
    String url = jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    return username.isEmpty() ? url : url + " (user " + username + ")";
  }

  @Override
  public String toString() {
    return "DatabaseConfig[" + display() + "]";
  }
}
