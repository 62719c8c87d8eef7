package dev.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code target/switchboard.jar} as a user would, with exactly the environment
 * given (inherited variables that Switchboard reads are removed), and collects everything it
 * prints.
 */
public final class JarProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "switchboard.jar");
  private static final String READY = "Switchboard ready";

  private final Process process;
  private final Path output;
  private final int port;
  private final Path dir;
  private final Map<String, String> env;
  private final String[] args;
  private final java.util.List<String> jvmOptions;
  private final int generation;

  private JarProcess(
      Process process,
      Path output,
      int port,
      Path dir,
      Map<String, String> env,
      String[] args,
      java.util.List<String> jvmOptions,
      int generation) {
    this.jvmOptions = jvmOptions;
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
    return start(name, env, java.util.List.of(), args);
  }

  /** As {@link #start(String, Map, String...)}, with options for the JVM (heap size, JIT). */
  public static JarProcess start(
      String name, Map<String, String> env, java.util.List<String> jvmOptions, String... args)
      throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: integration tests run after `mvn package`");
    }
    Path dir = Files.createDirectories(Path.of("target", "it-jar", name + "-" + System.nanoTime()));
    return launch(dir, freePort(), Map.copyOf(env), args, java.util.List.copyOf(jvmOptions), 1);
  }

  /**
   * Starts the jar again on the same port, data dir and environment, as an operator restarting the
   * service would; its output goes to a new file. Call after {@link #kill()} or {@link #close()}.
   */
  public JarProcess restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("stop the running process before restarting it");
    }
    return launch(dir, port, env, args, jvmOptions, generation + 1);
  }

  private static JarProcess launch(
      Path dir,
      int port,
      Map<String, String> env,
      String[] args,
      java.util.List<String> jvmOptions,
      int generation)
      throws IOException {
    Path output = dir.resolve(generation == 1 ? "output.log" : "output-" + generation + ".log");
    var command =
        new java.util.ArrayList<>(
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss512k"));
    command.addAll(jvmOptions);
    command.addAll(java.util.List.of("-jar", JAR.toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(JarProcess::isSwitchboardVariable);
    environment.put("PORT", String.valueOf(port));
    environment.put("SWITCHBOARD_DATA_DIR", dir.resolve("data").toString());
    environment.putAll(env);
    return new JarProcess(builder.start(), output, port, dir, env, args, jvmOptions, generation);
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
