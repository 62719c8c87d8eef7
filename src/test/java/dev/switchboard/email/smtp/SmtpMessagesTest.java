package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.email.OutgoingMail;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpMessagesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final SmtpMessages messages = new SmtpMessages(Session.getInstance(new Properties()));

  static OutgoingMail mail(
      String rfcMessageId, String from, String to, Map<String, String> headers) {
    return new OutgoingMail(
        "msg_01",
        "idem_01",
        rfcMessageId,
        from,
        to,
        "Grüße, Zoë ✓",
        "Hello text",
        "<p>Hello <b>html</b></p>",
        "welcome",
        headers);
  }

  @Test
  void buildWhenSavedThenKeepsOurMessageIdAndDate() throws Exception {
    MimeMessage message =
        messages.build(
            mail("<msg_01@switchboard>", "App <app@example.com>", "bob@example.com", Map.of()),
            NOW);
    message.saveChanges();

    assertThat(message.getHeader("Message-ID")).containsExactly("<msg_01@switchboard>");
    assertThat(message.getHeader(SmtpMessages.ID_HEADER)).containsExactly("msg_01");
    assertThat(message.getSentDate().toInstant()).isEqualTo(NOW);
  }

  @Test
  void buildWhenBothBodiesThenAlternativeWithTextFirstAndUtf8() throws Exception {
    MimeMessage message =
        messages.build(
            mail("msg_01@switchboard", "Zoë App <app@example.com>", "bob@example.com", Map.of()),
            NOW);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    message.writeTo(raw);
    MimeMessage parsed =
        new MimeMessage(
            Session.getInstance(new Properties()),
            new java.io.ByteArrayInputStream(raw.toByteArray()));

    assertThat(parsed.getHeader("Message-ID")).containsExactly("<msg_01@switchboard>");
    assertThat(parsed.getSubject()).isEqualTo("Grüße, Zoë ✓");
    assertThat(((InternetAddress) parsed.getFrom()[0]).getPersonal()).isEqualTo("Zoë App");
    assertThat(raw.toString(StandardCharsets.US_ASCII))
        .doesNotContain("Zoë")
        .doesNotContain("Grüße");
    MimeMultipart parts = (MimeMultipart) parsed.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
    assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Hello <b>html</b></p>");
  }

  @Test
  void buildWhenExtraHeaderThenEncodedAndAdded() throws Exception {
    MimeMessage message =
        messages.build(
            mail(
                "<m@s>",
                "app@example.com",
                "bob@example.com",
                Map.of("List-Unsubscribe", "<https://example.com/u?t=1>", "X-Note", "café")),
            NOW);

    assertThat(message.getHeader("List-Unsubscribe"))
        .containsExactly("<https://example.com/u?t=1>");
    assertThat(MimeUtility.decodeText(message.getHeader("X-Note")[0])).isEqualTo("café");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not a message id", "<two@at@signs>", "<a@b>\r\nBcc: x@y"})
  void buildWhenMessageIdMalformedThenRejected(String id) {
    assertThatThrownBy(
            () -> messages.build(mail(id, "app@example.com", "bob@example.com", Map.of()), NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "bob",
        "bob@",
        "a@example.com, b@example.com",
        "bob@example.com\r\nBcc: eve@example.com"
      })
  void buildWhenRecipientNotOneAddressThenAddressException(String to) {
    assertThatThrownBy(() -> messages.build(mail("<m@s>", "app@example.com", to, Map.of()), NOW))
        .isInstanceOf(AddressException.class);
  }

  @Test
  void buildWhenHeaderInjectsLineBreakOrOverridesOursThenRejected() {
    assertThatThrownBy(
            () ->
                messages.build(
                    mail(
                        "<m@s>",
                        "app@example.com",
                        "bob@example.com",
                        Map.of("X-Tag", "a\r\nBcc: eve@example.com")),
                    NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                messages.build(
                    mail(
                        "<m@s>",
                        "app@example.com",
                        "bob@example.com",
                        Map.of("message-id", "<other@x>")),
                    NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                messages.build(
                    mail("<m@s>", "app@example.com", "bob@example.com", Map.of("Bad Name", "v")),
                    NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildWhenOnlyTextThenSinglePart() throws Exception {
    OutgoingMail textOnly =
        new OutgoingMail(
            "msg_02",
            "i",
            "<m2@s>",
            "app@example.com",
            "bob@example.com",
            "s",
            "just text",
            null,
            "t",
            Map.of());

    MimeMessage message = messages.build(textOnly, NOW);

    assertThat(message.getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat(message.getContent()).isEqualTo("just text");
  }
}
