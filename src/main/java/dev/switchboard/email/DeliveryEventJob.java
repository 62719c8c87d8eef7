package dev.switchboard.email;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records verified delivery events: stores each once per {@code (provider, eventId)}, moves the
 * matching message forward (never back), adds it to the history, and suppresses the recipient on
 * hard bounces, complaints, unsubscribes and drops. All in one transaction, so a duplicate
 * delivered concurrently changes nothing twice.
 */
public final class EmailDeliveryEventSink implements DeliveryEventSink {

  private final EmailStore store;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public EmailDeliveryEventSink(EmailStore store, TransactionTemplate transactions, Clock clock) {
    this.store = store;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Override
  public boolean record(DeliveryEvent event) {
    Boolean recorded = transactions.execute(status -> apply(event, clock.instant()));
    return Boolean.TRUE.equals(recorded);
  }

  private boolean apply(DeliveryEvent event, Instant now) {
    Optional<StoredMessage> message =
        event
            .messageId()
            .flatMap(store::find)
            .or(
                () ->
                    event
                        .providerMessageId()
                        .flatMap(p -> store.findByProviderMessageId(event.provider(), p)));
    if (!store.insertEvent(event, message.map(StoredMessage::id), now)) {
      return false;
    }
    String detail =
        event.provider()
            + " "
            + event.type().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (event.detail() == null || event.detail().isBlank() ? "" : ": " + event.detail());
    message.ifPresent(
        m -> {
          Optional<EmailStatus> next = status(event.type());
          if (next.isPresent()) {
            store.advance(m.id(), next.get(), detail, now);
          } else {
            store.note(m.id(), detail, now);
          }
        });
    if (event.type().suppresses() && event.recipient() != null && !event.recipient().isBlank()) {
      store.suppress(event.recipient(), event.type().name().toLowerCase(Locale.ROOT), detail, now);
    }
    return true;
  }

  /** The status an event moves a message to; empty for events that only add a history note. */
  static Optional<EmailStatus> status(DeliveryEvent.Type type) {
    return switch (type) {
      case DELIVERED -> Optional.of(EmailStatus.DELIVERED);
      case DEFERRED, SOFT_BOUNCE -> Optional.of(EmailStatus.DEFERRED);
      case HARD_BOUNCE -> Optional.of(EmailStatus.BOUNCED);
      case COMPLAINED -> Optional.of(EmailStatus.COMPLAINED);
      case DROPPED -> Optional.of(EmailStatus.SUPPRESSED);
      case UNSUBSCRIBED, OPENED, CLICKED -> Optional.empty();
    };
  }
}
