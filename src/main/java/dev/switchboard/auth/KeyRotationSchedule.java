package dev.switchboard.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Rotates the signing keys when the active one is a quarter old; every instance checks, the key
 * lock picks one.
 */
@Component
class KeyRotationSchedule {

  private static final Logger log = LoggerFactory.getLogger(KeyRotationSchedule.class);

  private final SigningKeys keys;

  KeyRotationSchedule(SigningKeys keys) {
    this.keys = keys;
  }

  /**
   * Loads (or on a new database creates) the keys once at startup, so a wrong {@code
   * SWITCHBOARD_AUTH_KEY_SECRET} shows in the log at once rather than on the first sign-in.
   */
  @EventListener(ApplicationReadyEvent.class)
  void loadAtStartup() {
    try {
      keys.signing();
    } catch (RuntimeException e) {
      log.error(
          "Access-token signing keys cannot be loaded; sign-in will fail until this is fixed: {}",
          e.getMessage());
    }
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
