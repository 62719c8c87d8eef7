package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own, in a temporary directory on a free port, for tests that stop and
 * start the database (the machine's shared server on 5432 is never touched). Uses the server
 * binaries of the machine's PostgreSQL ({@code /usr/lib/postgresql/<version>/bin}); when the test
 * runs as root, which {@code initdb} and {@code postgres} refuse, they run as the {@code postgres}
 * operating-system user. Trust authentication on 127.0.0.1 only; the socket lives in the data
 * directory.
 */
public final class ThrowawayPostgres implements AutoCloseable {

  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private ThrowawayPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates the cluster ({@code initdb}) and starts it. */
  public static ThrowawayPostgres start() {
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("switchboard-pg-");
      if (root) {
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      ThrowawayPostgres pg = new ThrowawayPostgres(binaries(), dir, FreePort.next(), root);
      pg.run(
          "initdb",
          "-D",
          pg.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync");
      pg.run(
          "sh",
          "-c",
          "cat >> '"
              + pg.data.resolve("postgresql.conf")
              + "' <<'EOF'\n"
              + "listen_addresses = '127.0.0.1'\n"
              + "port = "
              + pg.port
              + "\n"
              + "unix_socket_directories = '"
              + pg.data
              + "'\n"
              + "max_connections = 60\n"
              + "shared_buffers = 16MB\n"
              + "EOF\n");
      pg.startServer();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** A {@code DATABASE_URL} in the hosting-platform form for the cluster's {@code postgres} db. */
  public String databaseUrl() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** The JDBC URL of the same database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /**
   * Stops the server the way an orchestrator does ({@code pg_ctl stop -m fast}: open sessions are
   * ended with {@code 57P01}, committed work is on disk) and waits until it is gone.
   */
  public void stopServer() {
    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
  }

  /** Starts the server and waits until it accepts connections. */
  public void startServer() {
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "start");
  }

  @Override
  public void close() {
    try {
      run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
    } catch (RuntimeException e) {
      // Already stopped.
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory; the operating system cleans it eventually.
    }
  }

  private void run(String... command) {
    List<String> line = new ArrayList<>();
    if (asPostgresUser) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.add(
        command[0].contains("/") || command[0].equals("sh")
            ? command[0]
            : bin.resolve(command[0]).toString());
    line.addAll(List.of(command).subList(1, command.length));
    try {
      Process process =
          new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", line) + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + line.get(0), e);
    }
  }

  private static Path binaries() throws IOException {
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(Path::toString))
          .orElseThrow(
              () -> new IllegalStateException("no PostgreSQL server binaries under " + VERSIONS));
    }
  }
}
