package dev.switchboard.platform.config;

/**
 * Something about the configuration an operator should know before going to production: a setting
 * that is unsafe (refused in production, or a loud warning), a default that only suits one box, or
 * a stand-in that delivers nothing real. Messages name the variable and never quote a secret's
 * value.
 *
 * @param kind what sort of finding it is
 * @param variable the variable to set or change
 * @param message what is wrong and what to do, one sentence
 */
public record ConfigFinding(Kind kind, String variable, String message) {

  /** Ordered from most to least urgent; the checklist shows them in this order. */
  public enum Kind {
    /** Refused at startup in production; in development only reported. */
    REFUSED_IN_PRODUCTION("refused in production"),
    /**
     * Accepted, but unsafe or surprising in production: warned about at startup, on the map and in
     * the checklist.
     */
    WARNING("warning"),
    /** A variable with one of our prefixes that Switchboard does not read (usually a typo). */
    UNKNOWN_VARIABLE("unknown variable"),
    /** Not configured, so a feature is off or only visible on the dashboard. */
    MISSING("missing"),
    /**
     * A dev stand-in: nothing real is delivered (the outbox, the dev sign-in page, the dev
     * checkout).
     */
    DEV_DEFAULT("dev default"),
    /** Real and durable, but on this one machine: one instance only, back up the data directory. */
    EMBEDDED("embedded");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
