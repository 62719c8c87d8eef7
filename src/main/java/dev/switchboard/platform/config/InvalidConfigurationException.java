package dev.switchboard.platform.config;

import java.util.List;

/**
 * Startup stops with this when the environment is wrong; the message lists every problem, one per
 * line.
 */
public final class InvalidConfigurationException extends RuntimeException {

  private final List<String> problems;

  public InvalidConfigurationException(List<String> problems) {
    super(
        "Switchboard cannot start: "
            + problems.size()
            + " configuration problem(s)\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
