package dev.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Runs the packaged {@code target/switchboard.jar} as a user would, with exactly the environment
 * given (inherited variables that Switchboard reads are removed), and collects everything it
 * prints.
 *
 * <p>With the system property {@value #CLASS_CACHE_PROPERTY} set to {@code true} (the build sets it
 * for the integration tests) and Java 25 or newer, the jar is started as the README's faster start
 * does: from its extracted layout with an AOT class cache, both made once per build by {@code
 * scripts/class-cache.sh} into {@code target/it-app}, and with Spring AOT's bean definitions
 * ({@code -Dspring.aot.enabled=true}). Same classes and libraries, a start two to three times
 * shorter; {@link #startPlain} starts the fat jar itself.
 */
public final class JarProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "switchboard.jar");
  public static final String CLASS_CACHE_PROPERTY = "switchboard.test.jarClassCache";
  private static final Path CACHED = Path.of("target", "it-app");
  private static final String READY = "Switchboard ready";

  /** The extracted jar and its cache, once made; empty when the plain jar is used. */
  private static Optional<Launch> cachedLaunch;

  /**
   * The JVM arguments that name what runs, and the working directory they need ({@code null}: this
   * JVM's). The AOT cache accepts only the class path it was recorded with, which
   * scripts/class-cache.sh records from inside its directory as {@code -jar switchboard.jar}.
   */
  private record Launch(List<String> args, Path directory) {}

  private final Process process;
  private final Path output;
  private final int port;
  private final Path dir;
  private final Map<String, String> env;
  private final String[] args;
  private final List<String> jvmOptions;
  private final Launch launch;
  private final int generation;

  private JarProcess(
      Process process,
      Path output,
      int port,
      Path dir,
      Map<String, String> env,
      String[] args,
      List<String> jvmOptions,
      Launch launch,
      int generation) {
    this.jvmOptions = jvmOptions;
    this.launch = launch;
    this.process = process;
    this.output = output;
    this.port = port;
    this.dir = dir;
    this.env = env;
    this.args = args;
    this.generation = generation;
  }

  /**
   * Starts the jar on a free port with a fresh data dir under {@code target/}, plus {@code env}.
   */
  public static JarProcess start(String name, Map<String, String> env, String... args)
      throws IOException {
    return start(name, env, List.of(), args);
  }

  /** As {@link #start(String, Map, String...)}, with options for the JVM (heap size, JIT). */
  public static JarProcess start(
      String name, Map<String, String> env, List<String> jvmOptions, String... args)
      throws IOException {
    return start(name, env, jvmOptions, true, args);
  }

  /**
   * As {@link #start(String, Map, String...)}, always with {@code java -jar
   * target/switchboard.jar}: the fat jar exactly as shipped, for the tests of its own start.
   */
  public static JarProcess startPlain(String name, Map<String, String> env, String... args)
      throws IOException {
    return start(name, env, List.of(), false, args);
  }

  private static JarProcess start(
      String name, Map<String, String> env, List<String> jvmOptions, boolean cached, String... args)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: integration tests run after `mvn package`");
    }
    Launch launch = cached ? cachedLaunch().orElse(plainLaunch()) : plainLaunch();
    Path dir = Files.createDirectories(Path.of("target", "it-jar", name + "-" + System.nanoTime()));
    return launch(dir, freePort(), Map.copyOf(env), args, List.copyOf(jvmOptions), launch, 1);
  }

  private static Launch plainLaunch() {
    return new Launch(List.of("-jar", JAR.toString()), null);
  }

  /**
   * The options that start the extracted jar with its AOT cache, making both the first time
   * (scripts/class-cache.sh, one training start of about a regular start's length); empty when the
   * property is off, on Java before 25, or when the script fails (its output is printed).
   */
  private static synchronized Optional<Launch> cachedLaunch() throws IOException {
    if (cachedLaunch != null) {
      return cachedLaunch;
    }
    cachedLaunch = Optional.empty();
    if (!Boolean.getBoolean(CLASS_CACHE_PROPERTY) || Runtime.version().feature() < 25) {
      return cachedLaunch;
    }
    Path jar = CACHED.resolve("switchboard.jar").toAbsolutePath();
    Path cache = CACHED.resolve("switchboard.aot").toAbsolutePath();
    // The integration tests run in more than one JVM at once: the first to get here makes the
    // cache while the others wait, and none rebuilds it under another's running jars.
    try (FileChannel lock =
            FileChannel.open(
                Path.of("target", "it-app.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      if (!makeCache(jar, cache)) {
        return cachedLaunch;
      }
    }
    List<String> launch = new ArrayList<>(List.of("-XX:AOTCache=" + cache.getFileName()));
    if (springAot()) {
      launch.add("-Dspring.aot.enabled=true");
    }
    launch.addAll(List.of("-jar", jar.getFileName().toString()));
    cachedLaunch = Optional.of(new Launch(List.copyOf(launch), CACHED.toAbsolutePath()));
    return cachedLaunch;
  }

  /**
   * True when the jar holds Spring AOT's bean definitions (the build writes them); then the cached
   * start uses them, as scripts/run.sh does, and the tests that use it run with them.
   */
  public static boolean springAot() throws IOException {
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      return zip.getEntry(
              "BOOT-INF/classes/dev/switchboard/Switchboard__ApplicationContextInitializer.class")
          != null;
    }
  }

  /** Makes the extracted jar and its cache unless they are newer than the jar; false on failure. */
  private static boolean makeCache(Path jar, Path cache) throws IOException {
    boolean fresh =
        Files.exists(cache)
            && Files.exists(jar)
            && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(JAR)) > 0;
    if (!fresh) {
      ProcessBuilder script =
          new ProcessBuilder("bash", "scripts/class-cache.sh", JAR.toString(), CACHED.toString())
              .redirectErrorStream(true);
      script.environment().put("JAVA", java());
      Process made = script.start();
      String out = new String(made.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (made.waitFor() != 0 || !Files.exists(cache)) {
          System.err.println("No class cache for the jar tests; plain jar:\n" + out);
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Starts the jar again on the same port, data dir and environment, as an operator restarting the
   * service would; its output goes to a new file. Call after {@link #kill()} or {@link #close()}.
   */
  public JarProcess restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("stop the running process before restarting it");
    }
    return launch(dir, port, env, args, jvmOptions, launch, generation + 1);
  }

  private static JarProcess launch(
      Path dir,
      int port,
      Map<String, String> env,
      String[] args,
      List<String> jvmOptions,
      Launch launch,
      int generation)
      throws IOException {
    Path output = dir.resolve(generation == 1 ? "output.log" : "output-" + generation + ".log");
    var command = new ArrayList<>(List.of(java(), "-Xss512k"));
    command.addAll(jvmOptions);
    command.addAll(launch.args());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(launch.directory() == null ? null : launch.directory().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toAbsolutePath().toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(JarProcess::isSwitchboardVariable);
    environment.put("PORT", String.valueOf(port));
    environment.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toAbsolutePath().toString());
    environment.putAll(env);
    return new JarProcess(
        builder.start(), output, port, dir, env, args, jvmOptions, launch, generation);
  }

  private static boolean isSwitchboardVariable(String name) {
    return name.matches(
        "^(SWITCHBOARD|DATABASE|REDIS|GOOGLE|GITHUB|EMAIL|SENDGRID|POSTMARK|RESEND|SMTP|STRIPE|PAYPAL|PAYMENT|"
            + "STORAGE|S3|AWS|ANALYTICS|SEGMENT|POSTHOG|SENTRY|PAGERDUTY|SLACK|ALERT)_.*|^PORT$");
  }

  /**
   * Waits until the ready line is logged; fails with the output if the process exits or the
   * deadline passes.
   */
  public JarProcess awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (output().contains(READY)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "Switchboard exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Switchboard not ready within " + timeout + ":\n" + output());
  }

  /**
   * Waits for the process to exit and returns its exit code, or -1 if it is still running at the
   * deadline.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public String output() throws IOException {
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Sends SIGTERM, as systemd, Kubernetes or an operator stopping the service would, and waits for
   * the exit.
   *
   * @return the exit code, or -1 if the process still runs at the deadline
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Kills the process with SIGKILL, as a crash or the OOM killer would: no shutdown hook, no
   * graceful stop.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
