package dev.switchboard.email;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rendered message, ready for a provider. Everything a retry needs is in here and stable across
 * attempts, so a resend after an ambiguous timeout carries the same Message-ID and idempotency key
 * and the provider can dedupe.
 *
 * @param messageId our id ({@code msg_…}); adapters attach it as provider metadata/custom args so
 *     delivery events can be matched back
 * @param idempotencyKey stable per message; sent where the provider supports it (Resend {@code
 *     Idempotency-Key})
 * @param rfcMessageId the RFC 5322 Message-ID header value, e.g. {@code <msg_…@switchboard>}
 * @param from sender, {@code "Name <address>"} or a bare address
 * @param to one recipient address
 * @param subject rendered subject
 * @param text rendered plain-text part
 * @param html rendered HTML part
 * @param template the template id, for provider tags and statistics
 */
public record OutgoingMail(
    String messageId,
    String idempotencyKey,
    String rfcMessageId,
    String from,
    String to,
    String subject,
    String text,
    String html,
    String template,
    Map<String, String> headers) {

  public OutgoingMail {
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(to, "to cannot be null");
    headers = Map.copyOf(headers);
  }

  /**
   * The headers an HTTP provider is sent: the caller's, in order, with any {@code Message-ID} of
   * theirs replaced by {@link #rfcMessageId()} (the stable id that delivery events and duplicates
   * are traced by).
   */
  public Map<String, String> headersWithMessageId() {
    Map<String, String> sent = new LinkedHashMap<>();
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("Message-ID")) {
            sent.put(name, value);
          }
        });
    if (rfcMessageId != null) {
      sent.put("Message-ID", rfcMessageId);
    }
    return sent;
  }
}
