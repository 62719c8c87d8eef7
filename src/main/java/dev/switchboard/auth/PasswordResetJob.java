package dev.switchboard.auth;

import dev.switchboard.platform.jobs.Job;
import dev.switchboard.platform.jobs.JobHandler;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mails the reset link a {@code POST /api/auth/password-reset} asked for, off the request thread so the answer costs
 * the same whether or not the address has an account (one job row either way). Delivery is at least once: an
 * instance dying between the commit and marking the job done sends a second, equally valid link.
 */
final class PasswordResetJob implements JobHandler {

  static final String TYPE = "auth.password-reset";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final EmailPasswordSignIn signIn;

  PasswordResetJob(EmailPasswordSignIn signIn) {
    this.signIn = signIn;
  }

  /** The job's input: the normalized address, never a token (job rows are stored as is). */
  static String payload(String address) {
    return JSON.writeValueAsString(Map.of("email", address));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Job job) {
    signIn.mailReset(JSON.readTree(job.payload()).path("email").asString());
  }
}
