package dev.switchboard.email;

import java.util.List;

/**
 * A message with its history.
 *
 * @param showContent whether the rendered content may be shown: only for mail that stays in the dev
 *     outbox
 */
public record MessageDetails(
    StoredMessage message, List<HistoryEntry> history, boolean showContent) {

  public MessageDetails {
    history = List.copyOf(history);
  }
}
