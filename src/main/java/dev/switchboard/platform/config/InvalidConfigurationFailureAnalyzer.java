package dev.switchboard.platform.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a configuration failure into a short startup report instead of a stack trace. */
public final class InvalidConfigurationFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, InvalidConfigurationException cause) {
    return new FailureAnalysis(
        "Configuration problems:\n  - " + String.join("\n  - ", cause.problems()),
        "Set or correct the environment variables named above (each also accepts NAME_FILE). "
            + "docs/configuration.md lists every variable.",
        cause);
  }
}
