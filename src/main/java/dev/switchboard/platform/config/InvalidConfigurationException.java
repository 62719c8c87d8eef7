package dev.switchboard.platform.config;

import java.util.List;

/**
 * Startup stops with this when the environment is wrong; the message lists every problem, one per
 * line.
 */
public final class InvalidConfigurationException extends RuntimeException {

  private final List<String> problems;

  public InvalidConfigurationException(List<String> problems) {
    this(problems, null);
  }

  /**
   * @param cause what was found wrong, kept for callers that act on it (the key CLI goes through
   *     the running server when the H2 file is locked)
   */
  public InvalidConfigurationException(List<String> problems, Throwable cause) {
    super(
        "Switchboard cannot start: "
            + problems.size()
            + " configuration problem(s)\n  - "
            + String.join("\n  - ", problems),
        cause);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
