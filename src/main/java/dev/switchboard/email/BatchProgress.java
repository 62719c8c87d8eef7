package dev.switchboard.email;

import java.time.Instant;
import java.util.Map;

/**
 * How far a bulk send has got.
 *
 * @param counts messages per status; statuses with none are absent
 */
public record BatchProgress(
    String id, String template, int total, Map<EmailStatus, Long> counts, Instant createdAt) {

  public BatchProgress {
    counts = Map.copyOf(counts);
  }
}
