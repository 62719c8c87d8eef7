package dev.switchboard.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Debian nginx as a round-robin load balancer in front of several instances, with the
 * configuration in {@code src/test/resources/scaleout/nginx.conf} (installed by {@code
 * scripts/test-services.sh}; this process is our own, not the package's service).
 */
public final class NginxProcess implements AutoCloseable {

  public static final Path TEMPLATE = Path.of("src", "test", "resources", "scaleout", "nginx.conf");

  private final Process process;
  private final int port;
  private final Path dir;

  private NginxProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * How long nginx skips an instance after a connection to it failed (its passive health check): an
   * instance back from a restart gets requests again only once this has passed since its last
   * refused connection.
   */
  public static final Duration FAIL_TIMEOUT = Duration.ofSeconds(5);

  /** Starts nginx on {@code port} in front of the instances listening on {@code upstreams}. */
  public static NginxProcess start(int port, List<Integer> upstreams)
      throws IOException, InterruptedException {
    Path dir =
        Files.createDirectories(Path.of("target", "nginx", "run-" + System.nanoTime()))
            .toAbsolutePath();
    String servers =
        upstreams.stream()
            .map(
                p ->
                    "    server 127.0.0.1:"
                        + p
                        + " max_fails=1 fail_timeout="
                        + FAIL_TIMEOUT.toSeconds()
                        + "s;")
            .collect(Collectors.joining("\n"));
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf,
        Files.readString(TEMPLATE)
            .replace("@PREFIX@", dir.toString())
            .replace("@SERVERS@", servers)
            .replace("@PORT@", String.valueOf(port)));
    Process process =
        new ProcessBuilder(binary(), "-p", dir.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.log").toFile())
            .start();
    NginxProcess nginx = new NginxProcess(process, port, dir);
    nginx.awaitListening(Duration.ofSeconds(20));
    return nginx;
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "nginx is not installed: `mvn verify` installs it (scripts/test-services.sh)");
  }

  private void awaitListening(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nginx exited: " + Files.readString(dir.resolve("output.log")) + errorLog());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nginx did not listen within " + timeout + ": " + errorLog());
  }

  /**
   * nginx's error log: connection failures to instances and the passive health check's verdicts.
   */
  public String errorLog() throws IOException {
    Path log = dir.resolve("error.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
