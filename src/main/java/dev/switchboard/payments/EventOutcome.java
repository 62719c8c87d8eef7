package dev.switchboard.payments;

import java.util.List;
import java.util.Optional;

/**
 * What applying one event did.
 *
 * @param status the event's new {@link StoredEvent} status
 * @param detail a short note for the dashboard
 * @param accountId the account it was about, when known
 * @param published application events to publish once the transaction committed
 * @param unblocked stored events that waited for this one (they arrived before the customer was linked)
 */
record EventOutcome(String status, String detail, Optional<String> accountId, List<Object> published,
    List<String> unblocked) {

  static EventOutcome of(String status, String detail) {
    return new EventOutcome(status, detail, Optional.empty(), List.of(), List.of());
  }

  static EventOutcome processed(String accountId, String detail, List<Object> published) {
    return new EventOutcome(StoredEvent.PROCESSED, detail, Optional.of(accountId), published, List.of());
  }

  EventOutcome unblocking(List<String> ids) {
    return new EventOutcome(status, detail, accountId, published, ids);
  }
}
