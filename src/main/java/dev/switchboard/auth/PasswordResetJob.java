package dev.switchboard.auth;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobHandler;
import dev.switchboard.platform.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Mails the reset link a {@code POST /api/auth/password-reset} asked for, off the request thread so
 * the answer costs the same whether or not the address has an account (one job row either way).
 * Delivery is at least once: an instance dying between the commit and marking the job done sends a
 * second, equally valid link.
 *
 * <p>The job starts a random {@link #MIN_START_DELAY} to {@link #MAX_START_DELAY} after the
 * request: run at once, the lookup and mail for a registered address competed with the asker's next
 * request for the database and CPU, so that next answer's time told which address had an account.
 * Nobody waits on a reset mail by the second.
 */
final class PasswordResetJob implements JobHandler {

  static final String TYPE = "auth.password-reset";
  static final Duration MIN_START_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_START_DELAY = Duration.ofSeconds(5);

  private final EmailPasswordSignIn signIn;

  PasswordResetJob(EmailPasswordSignIn signIn) {
    this.signIn = signIn;
  }

  /** The job's input: the normalized address, never a token (job rows are stored as is). */
  static String payload(String address) {
    return Json.MAPPER.writeValueAsString(Map.of("email", address));
  }

  /**
   * A start delay drawn uniformly from {@link #MIN_START_DELAY} to {@link #MAX_START_DELAY} with
   * {@code random}.
   */
  static Supplier<Duration> randomStartDelay(RandomGenerator random) {
    return () -> startDelay(random.nextDouble());
  }

  /** The start delay for {@code uniform} in [0, 1): 0 is the minimum, values near 1 the maximum. */
  static Duration startDelay(double uniform) {
    if (!(uniform >= 0 && uniform < 1)) {
      throw new IllegalArgumentException("uniform must be in [0, 1), got " + uniform);
    }
    long spanMillis = MAX_START_DELAY.minus(MIN_START_DELAY).toMillis();
    return MIN_START_DELAY.plusMillis(Math.round(spanMillis * uniform));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    signIn.mailReset(Json.MAPPER.readTree(job.payload()).path("email").asString());
  }
}
