package dev.switchboard.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Adobe S3Mock, a real S3-protocol server, as a separate process: its releases are Spring Boot 3
 * applications and cannot share our Boot 4 test classpath, so {@code mvn verify} copies its
 * standalone jar to {@code target/s3mock} (maven-dependency-plugin, pre-integration-test) and the
 * first test that needs it starts it on a free port. One server serves the whole test run and is
 * stopped when the JVM exits.
 *
 * <p>S3Mock does not check request signatures: what S3 itself refuses because of a signed header
 * (another Content-Length or Content-Type on a presigned PUT), S3Mock accepts. Tests show those
 * cases through the signed header list and through the check at completion.
 */
public final class S3MockProcess {

  public static final Path JAR = Path.of("target", "s3mock", "s3mock.jar");
  public static final String BUCKET = "switchboard-test";

  private static S3MockProcess running;

  private final Process process;
  private final int port;

  private S3MockProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The shared server, started on first use (S3Mock takes 10-40 s to start on a busy machine). */
  public static synchronized S3MockProcess shared() throws IOException, InterruptedException {
    if (running == null) {
      running = start();
      Runtime.getRuntime().addShutdownHook(new Thread(running.process::destroy));
    }
    return running;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private static S3MockProcess start() throws IOException, InterruptedException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: run the integration tests through `mvn verify`, which copies it");
    }
    int port = freePort();
    Path dir = Files.createDirectories(Path.of("target", "s3mock", "run-" + System.nanoTime()));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            JAR.toAbsolutePath().toString(),
            "--server.port=0",
            "--com.adobe.testing.s3mock.httpPort=" + port,
            "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET,
            "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store").toAbsolutePath(),
            "--spring.main.banner-mode=off");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.log").toFile())
            .start();
    S3MockProcess server = new S3MockProcess(process, port);
    server.awaitReady(Duration.ofSeconds(120), dir.resolve("output.log"));
    return server;
  }

  private void awaitReady(Duration timeout, Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited during startup; see " + log);
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(endpoint() + "/" + BUCKET).toURL().openConnection();
        c.setRequestMethod("HEAD");
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    process.destroy();
    throw new IllegalStateException("S3Mock did not start within " + timeout + "; see " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
