package dev.switchboard.platform.config;

import java.util.Locale;

/** {@code SWITCHBOARD_ENV}: development allows embedded dev providers, production refuses them. */
public enum DeploymentMode {
  DEVELOPMENT,
  PRODUCTION;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
