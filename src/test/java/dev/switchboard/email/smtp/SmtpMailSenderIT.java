package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.email.SendResult.Kind;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter against GreenMail, a real SMTP server in this JVM (plain SMTP with AUTH, and SMTPS).
 */
class SmtpMailSenderIT {

  static final String PASSWORD = "Gr33nMail-pa55word";
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Map<String, String> TRUST_TEST_CERTIFICATE =
      Map.of(
          "mail.smtps.ssl.trust",
          "*",
          "mail.smtps.ssl.checkserveridentity",
          "false",
          "mail.smtp.ssl.trust",
          "*",
          "mail.smtp.ssl.checkserveridentity",
          "false");

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(
              ServerSetup.dynamicPort(
                  new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
          .withConfiguration(
              GreenMailConfiguration.aConfig().withUser("mailer@example.com", "mailer", PASSWORD))
          .withPerMethodLifecycle(false);

  private SmtpMailSender sender;

  @BeforeEach
  void purge() throws Exception {
    GREENMAIL.purgeEmailFromAllMailboxes();
  }

  @AfterEach
  void closeSender() {
    if (sender != null) {
      sender.close();
    }
  }

  static SmtpMailSender sender(String url) {
    return new SmtpMailSender(
        Secret.of(url),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Clock.fixed(NOW, ZoneOffset.UTC),
        TRUST_TEST_CERTIFICATE);
  }

  static String smtpUrl(String password) {
    return "smtp://mailer:" + password + "@127.0.0.1:" + GREENMAIL.getSmtp().getPort();
  }

  static OutgoingMail mail(int n, String to) {
    return new OutgoingMail(
        "msg_" + n,
        "idem_" + n,
        "<msg_" + n + "@switchboard.test>",
        "Zoë’s App <app@example.com>",
        to,
        "Grüße Nr. " + n + " ✓",
        "Hello " + n + " in text",
        "<p>Hello <b>" + n + "</b></p>",
        "welcome",
        Map.of());
  }

  @Test
  void sendWhenServerAcceptsThenDeliveredWithOurMessageIdBothPartsAndUtf8() throws Exception {
    sender = sender(smtpUrl(PASSWORD));

    SendResult result = sender.send(mail(1, "Bob Example <bob@example.com>"));

    assertThat(result).isEqualTo(SendResult.accepted("<msg_1@switchboard.test>"));
    MimeMessage received = GREENMAIL.getReceivedMessages()[0];
    assertThat(received.getMessageID()).isEqualTo("<msg_1@switchboard.test>");
    assertThat(received.getHeader(SmtpMessages.ID_HEADER)).containsExactly("msg_1");
    assertThat(received.getSubject()).isEqualTo("Grüße Nr. 1 ✓");
    assertThat(received.getSentDate().toInstant()).isEqualTo(NOW);
    InternetAddress from = (InternetAddress) received.getFrom()[0];
    assertThat(from.getAddress()).isEqualTo("app@example.com");
    assertThat(from.getPersonal()).isEqualTo("Zoë’s App");
    assertThat(((InternetAddress) received.getAllRecipients()[0]).getAddress())
        .isEqualTo("bob@example.com");
    assertThat(GREENMAIL.getReceivedMessagesForDomain("example.com")).hasSize(1);
    MimeMultipart parts = (MimeMultipart) received.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
    assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hello 1 in text");
    assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
    assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Hello <b>1</b></p>");
  }

  @Test
  void sendWhenSameMailSentTwiceThenSameMessageIdBothTimes() throws Exception {
    sender = sender(smtpUrl(PASSWORD));

    sender.send(mail(7, "bob@example.com"));
    sender.send(mail(7, "bob@example.com"));

    assertThat(Arrays.stream(GREENMAIL.getReceivedMessages()).map(SmtpMailSenderIT::messageId))
        .containsExactly("<msg_7@switchboard.test>", "<msg_7@switchboard.test>");
  }

  @Test
  void sendWhenThousandMessagesInALoopThenAllArriveWithDistinctMessageIds() throws Exception {
    sender = sender(smtpUrl(PASSWORD));
    long start = System.nanoTime();

    for (int n = 0; n < 1000; n++) {
      assertThat(sender.send(mail(n, "user" + (n % 10) + "@example.com")).kind())
          .isEqualTo(Kind.ACCEPTED);
    }

    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    System.out.println("SMTP adapter: 1000 messages to GreenMail in " + millis + " ms");
    assertThat(GREENMAIL.waitForIncomingEmail(5_000, 1000)).isTrue();
    Set<String> ids =
        Arrays.stream(GREENMAIL.getReceivedMessages())
            .map(SmtpMailSenderIT::messageId)
            .collect(Collectors.toSet());
    assertThat(ids)
        .hasSize(1000)
        .contains("<msg_0@switchboard.test>", "<msg_999@switchboard.test>");
  }

  @Test
  void sendWhenPasswordWrongThenPermanentAndNothingDelivered() {
    sender = sender(smtpUrl("wrong-pa55word"));

    SendResult result = sender.send(mail(2, "bob@example.com"));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail())
        .startsWith("authentication failed: 535")
        .doesNotContain("wrong-pa55word");
    assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void sendWhenSmtpsThenDeliveredOverImplicitTls() throws Exception {
    sender = sender("smtps://mailer:" + PASSWORD + "@127.0.0.1:" + GREENMAIL.getSmtps().getPort());

    SendResult result = sender.send(mail(3, "carol@example.com"));

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(messageId(GREENMAIL.getReceivedMessages()[0])).isEqualTo("<msg_3@switchboard.test>");
    assertThat(sender.health()).extracting(HealthResult::status).isEqualTo(HealthStatus.UP);
    assertThat(sender.health().detail()).contains("over TLS");
  }

  @Test
  void sendWhenSmtpsCertificateUntrustedThenRetryableTlsFailure() {
    sender =
        new SmtpMailSender(
            Secret.of(
                "smtps://mailer:" + PASSWORD + "@127.0.0.1:" + GREENMAIL.getSmtps().getPort()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Clock.systemUTC(),
            Map.of());

    SendResult result = sender.send(mail(4, "carol@example.com"));

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).startsWith("TLS failed");
    assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void healthWhenServerUpThenUpAndWhenPasswordWrongThenDown() {
    sender = sender(smtpUrl(PASSWORD));
    try (SmtpMailSender wrong = sender(smtpUrl("wrong-pa55word"))) {

      HealthResult up = sender.health();
      HealthResult down = wrong.health();

      // GreenMail offers no STARTTLS, so a password sent to it travels in the clear: degraded, not
      // up.
      assertThat(up.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(up.detail())
          .startsWith("NOOP ok in ")
          .contains("offered no STARTTLS")
          .doesNotContain(PASSWORD);
      assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(down.detail())
          .contains("authentication failed: 535")
          .doesNotContain("wrong-pa55word");
    }
  }

  @Test
  void healthWhenNoCredentialsAndNoTlsThenUp() {
    sender = sender("smtp://127.0.0.1:" + GREENMAIL.getSmtp().getPort());

    HealthResult result = sender.health();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.detail()).endsWith("without TLS");
  }

  static String messageId(MimeMessage message) {
    try {
      return message.getMessageID();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
