package dev.switchboard.platform.config;

/** {@code SWITCHBOARD_ENV}: development allows embedded dev providers, production refuses them. */
public enum DeploymentMode {
  DEVELOPMENT,
  PRODUCTION;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
