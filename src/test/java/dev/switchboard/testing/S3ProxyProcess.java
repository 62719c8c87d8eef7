package dev.switchboard.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * s3proxy on the local file system, as a separate process: unlike S3Mock it checks SigV4 (and V2)
 * signatures with the access key it is given, so a request Switchboard signs wrongly fails here as
 * it would on S3. {@code mvn verify} copies its standalone jar to {@code target/s3proxy}; {@code
 * bench/scaleout.sh} runs the same jar.
 */
public final class S3ProxyProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
  public static final String BUCKET = "switchboard-scaleout";
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "AKIASCALEOUTBED00001";
  public static final String SECRET_KEY = "scale-out-bed-s3proxy-secret-key-value";

  private final Process process;
  private final int port;
  private final Path dir;

  private S3ProxyProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts s3proxy on a free port with an empty bucket {@value #BUCKET} in a new directory. */
  public static S3ProxyProcess start() throws IOException, InterruptedException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: run the integration tests through `mvn verify`, which copies it");
    }
    int port = JarProcess.freePort();
    Path dir = Files.createDirectories(Path.of("target", "s3proxy", "run-" + System.nanoTime()));
    Path store = Files.createDirectories(dir.resolve("store"));
    // The filesystem provider maps a bucket to a directory.
    Files.createDirectories(store.resolve(BUCKET));
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + store.toAbsolutePath(),
            ""));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "--properties",
                    properties.toAbsolutePath().toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.log").toFile())
            .start();
    S3ProxyProcess server = new S3ProxyProcess(process, port, dir);
    server.awaitListening(Duration.ofSeconds(90));
    return server;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Any HTTP answer means it listens; an unsigned request is refused (403), which is the point. */
  private void awaitListening(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited during startup:\n" + Files.readString(dir.resolve("output.log")));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(endpoint() + "/" + BUCKET).toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() > 0) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    process.destroy();
    throw new IllegalStateException("s3proxy did not start within " + timeout);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
