package dev.switchboard.auth;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes flows nobody came back from and codes nobody exchanged, so the tables stay the size of
 * the traffic.
 */
class OAuthCleanup {

  private final OAuthFlows flows;

  OAuthCleanup(OAuthFlows flows) {
    this.flows = flows;
  }

  @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
  void deleteExpired() {
    flows.deleteExpired();
  }
}
