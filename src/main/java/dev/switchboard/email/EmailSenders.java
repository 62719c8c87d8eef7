package dev.switchboard.email;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured provider and, with {@code EMAIL_FALLBACK_PROVIDER}, the one that takes over while
 * the primary's circuit is open. Only retryable failures count against the primary, so a permanent
 * refusal (a bad address, a rejected sender) is never sent again through the fallback.
 */
public final class EmailSenders implements AutoCloseable {

  private final MailSender primary;
  private final Optional<MailSender> fallback;
  private final SenderCircuit circuit;

  public EmailSenders(MailSender primary, Optional<MailSender> fallback, SenderCircuit circuit) {
    this.primary = Objects.requireNonNull(primary, "primary cannot be null");
    this.fallback = Objects.requireNonNull(fallback, "fallback cannot be null");
    this.circuit = Objects.requireNonNull(circuit, "circuit cannot be null");
  }

  public MailSender primary() {
    return primary;
  }

  public Optional<MailSender> fallback() {
    return fallback;
  }

  /**
   * The sender for the next attempt: the primary unless its circuit is open and a fallback exists.
   */
  public MailSender choose() {
    if (fallback.isEmpty() || circuit.allowsPrimary()) {
      return primary;
    }
    return fallback.get();
  }

  /**
   * Tells the circuit how an attempt through {@code used} went; only the primary's outcomes count.
   */
  public void record(MailSender used, SendResult result) {
    if (used != primary || fallback.isEmpty()) {
      return;
    }
    switch (result.kind()) {
      case RETRYABLE -> circuit.failure();
      case ACCEPTED, PERMANENT, SUPPRESSED -> circuit.success();
      case RATE_LIMITED -> {
        // The provider is up and asks us to slow down; the rate limiter and the delay handle that.
      }
    }
  }

  public boolean circuitOpen() {
    return circuit.open();
  }

  /**
   * Closes senders that hold connections (SMTP keeps idle ones open); Spring calls this on
   * shutdown.
   */
  @Override
  public void close() throws Exception {
    for (MailSender sender :
        fallback.isPresent() ? List.of(primary, fallback.get()) : List.of(primary)) {
      if (sender instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
