package dev.switchboard.email.smtp;

import dev.switchboard.email.OutgoingMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the MIME message for one {@link OutgoingMail}: {@code multipart/alternative} with the text
 * part first and the HTML part last (RFC 2046 §5.1.4: the last part is the preferred one), UTF-8
 * everywhere, our Message-ID kept.
 */
final class SmtpMessages {

  static final String ID_HEADER = "X-Switchboard-Message-Id";
  private static final String UTF_8 = StandardCharsets.UTF_8.name();
  private static final Pattern MESSAGE_ID = Pattern.compile("^<[^<>\\s@]+@[^<>\\s@]+>$");
  private static final Pattern HEADER_NAME = Pattern.compile("^[!-9;-~]+$");
  private static final Set<String> OURS =
      Set.of(
          "message-id",
          "from",
          "to",
          "cc",
          "bcc",
          "subject",
          "date",
          "mime-version",
          "content-type",
          "content-transfer-encoding",
          ID_HEADER.toLowerCase(Locale.ROOT));

  private final Session session;

  SmtpMessages(Session session) {
    this.session = session;
  }

  /** The Message-ID header value as sent: angle brackets added when the caller left them out. */
  static String messageIdHeader(OutgoingMail mail) {
    String id = mail.rfcMessageId() == null ? "" : mail.rfcMessageId().strip();
    String bracketed = id.startsWith("<") ? id : "<" + id + ">";
    if (!MESSAGE_ID.matcher(bracketed).matches()) {
      throw new IllegalArgumentException("rfcMessageId is not a Message-ID like <id@domain>");
    }
    return bracketed;
  }

  /**
   * Builds the message. Nothing touches the network here.
   *
   * @throws MessagingException for an address that does not parse
   * @throws IllegalArgumentException for a bad Message-ID, a missing body, or a header we cannot
   *     send as given
   */
  MimeMessage build(OutgoingMail mail, Instant now) throws MessagingException {
    MimeMessage message = new FixedIdMessage(session, messageIdHeader(mail));
    message.setFrom(utf8(InternetAddress.parse(mail.from(), true), "from"));
    message.setRecipient(
        Message.RecipientType.TO, utf8(InternetAddress.parse(mail.to(), true), "to"));
    message.setSubject(mail.subject() == null ? "" : mail.subject(), UTF_8);
    message.setSentDate(Date.from(now));
    message.setHeader(ID_HEADER, mail.messageId());
    for (Map.Entry<String, String> header : mail.headers().entrySet()) {
      addHeader(message, header.getKey(), header.getValue());
    }
    boolean hasText = mail.text() != null && !mail.text().isEmpty();
    boolean hasHtml = mail.html() != null && !mail.html().isEmpty();
    if (hasText && hasHtml) {
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(part(mail.text(), "plain"));
      alternative.addBodyPart(part(mail.html(), "html"));
      message.setContent(alternative);
    } else if (hasText || hasHtml) {
      message.setText(hasText ? mail.text() : mail.html(), UTF_8, hasText ? "plain" : "html");
    } else {
      throw new IllegalArgumentException("the message has neither a text nor an HTML part");
    }
    message.saveChanges();
    return message;
  }

  private static MimeBodyPart part(String content, String subtype) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setText(content, UTF_8, subtype);
    return part;
  }

  /** Exactly one address; a display name is re-encoded so non-ASCII names become RFC 2047 words. */
  private static InternetAddress utf8(InternetAddress[] parsed, String field)
      throws MessagingException {
    if (parsed.length != 1) {
      throw new AddressException(field + " must be exactly one address, got " + parsed.length);
    }
    InternetAddress address = parsed[0];
    address.validate();
    try {
      return address.getPersonal() == null
          ? address
          : new InternetAddress(address.getAddress(), address.getPersonal(), UTF_8);
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  private static void addHeader(MimeMessage message, String name, String value)
      throws MessagingException {
    if (name == null || !HEADER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("header name is not a valid RFC 5322 field name");
    }
    if (OURS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("header " + name + " is set by the SMTP sender itself");
    }
    if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      // A line break in a value would let a template variable inject headers or a second body.
      throw new IllegalArgumentException("header " + name + " has a line break or no value");
    }
    try {
      message.setHeader(
          name, MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, UTF_8, null)));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  /**
   * Keeps the caller's Message-ID: a plain {@link MimeMessage} replaces it with a random one on
   * every save.
   */
  private static final class FixedIdMessage extends MimeMessage {

    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
