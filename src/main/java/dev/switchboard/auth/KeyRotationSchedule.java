package dev.switchboard.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Rotates the signing keys when the active one is a quarter old; every instance checks, the key lock picks one. */
@Component
class KeyRotationSchedule {

  private static final Logger log = LoggerFactory.getLogger(KeyRotationSchedule.class);

  private final SigningKeys keys;

  KeyRotationSchedule(SigningKeys keys) {
    this.keys = keys;
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
