package dev.switchboard.auth;

import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Opens the signing keys once at startup, and rotates them when the active one is a quarter old;
 * every instance checks, the key lock picks one.
 */
class KeyRotationSchedule implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(KeyRotationSchedule.class);

  private final SigningKeys keys;
  private final SwitchboardConfig config;

  KeyRotationSchedule(SigningKeys keys, SwitchboardConfig config) {
    this.keys = keys;
    this.config = config;
  }

  /**
   * Loads (or on a new database creates) the keys before the server takes requests. An instance
   * whose {@code SWITCHBOARD_AUTH_KEY_SECRET} cannot open the keys the others share would answer
   * 500 to every sign-in and to tokens they issued, so it refuses to start, naming the variable.
   * Any other failure (the database) is only logged: the health checks report it.
   *
   * @throws InvalidConfigurationException when a stored key was sealed with another secret
   */
  @Override
  public void afterSingletonsInstantiated() {
    try {
      keys.checkSealedKeys();
    } catch (KeyEncryption.WrongSecretException e) {
      throw new InvalidConfigurationException(List.of(wrongSecret(e.kid())));
    } catch (RuntimeException e) {
      log.error(
          "Access-token signing keys cannot be loaded; sign-in will fail until this is fixed: {}",
          e.getMessage());
    }
  }

  /** What to do, without any secret: which value to copy, or how to start over. */
  String wrongSecret(String kid) {
    String own =
        config.area(AuthConfig.class).keySecret().isPresent()
            ? "this instance's value differs from the one they were sealed with"
            : "this instance has no SWITCHBOARD_AUTH_KEY_SECRET and uses the secret generated in "
                + config.core().dataDir().resolve(AuthConfiguration.KEY_SECRET_FILE);
    return "SWITCHBOARD_AUTH_KEY_SECRET: cannot open the access-token signing keys stored in the"
        + " database (key "
        + kid
        + "): "
        + own
        + ". Every instance sharing a database needs the same value: set it to the value of the"
        + " instance that created the keys (without the variable, the content of its <data dir>/"
        + AuthConfiguration.KEY_SECRET_FILE
        + "). To start over with new keys instead, delete the rows of the signing_keys table"
        + " (access tokens already issued then fail and apps refresh).";
  }

  @Scheduled(initialDelayString = "PT30S", fixedDelayString = "PT1H")
  void rotateIfDue() {
    try {
      if (keys.rotateIfDue()) {
        log.info("Rotated the access-token signing keys (quarterly schedule)");
      }
    } catch (RuntimeException e) {
      log.warn("Scheduled signing-key rotation failed; retrying in an hour: {}", e.toString());
    }
  }
}
