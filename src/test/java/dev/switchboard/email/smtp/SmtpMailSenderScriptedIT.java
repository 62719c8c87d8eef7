package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.email.SendResult.Kind;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.ScriptedSmtpServer;
import dev.switchboard.testing.ScriptedSmtpServer.Command;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replies GreenMail cannot be made to give, from a scripted server: each one classified, nothing
 * sent twice.
 */
class SmtpMailSenderScriptedIT {

  static final String PASSWORD = "Scr1pted-pa55word";
  static final Duration SHORT = Duration.ofMillis(500);

  private final ScriptedSmtpServer server = ScriptedSmtpServer.start();
  private SmtpMailSender sender;

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.close();
    }
    server.close();
  }

  private SmtpMailSender sender(String url) {
    sender =
        new SmtpMailSender(
            Secret.of(url),
            SHORT,
            SHORT,
            Clock.systemUTC(),
            SmtpMailSenderIT.TRUST_TEST_CERTIFICATE);
    return sender;
  }

  private SmtpMailSender senderWithAuth() {
    return sender("smtp://mailer:" + PASSWORD + "@127.0.0.1:" + server.port());
  }

  private static OutgoingMail mail(int n) {
    return SmtpMailSenderIT.mail(n, "bob@example.com");
  }

  private List<String> verbs() {
    return server.commands().stream().map(Command::verb).toList();
  }

  @Test
  void sendWhenServerOffersStartTlsThenEverythingAfterItIsEncrypted() {
    server.offerStartTls().offerAuth();

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(server.messages()).hasSize(1);
    List<Command> commands = server.commands();
    assertThat(commands.get(0).verb()).isEqualTo("EHLO");
    assertThat(commands.get(1).verb()).isEqualTo("STARTTLS");
    assertThat(commands.subList(2, commands.size())).allMatch(Command::tls);
    assertThat(commands).extracting(Command::verb).contains("AUTH", "MAIL", "RCPT", "DATA");
    assertThat(sender.health().detail()).contains("over TLS");
  }

  @Test
  void sendWhenStartTlsCertificateUntrustedThenRetryableAndNothingSentInClear() {
    server.offerStartTls().offerAuth();
    sender =
        new SmtpMailSender(
            Secret.of("smtp://mailer:" + PASSWORD + "@127.0.0.1:" + server.port()),
            SHORT,
            SHORT,
            Clock.systemUTC(),
            Map.of());

    SendResult result = sender.send(mail(1));

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).startsWith("TLS failed");
    assertThat(verbs()).containsExactly("EHLO", "STARTTLS");
  }

  @Test
  void sendWhenRemoteServerWithCredentialsOffersNoStartTlsThenRetryableAndPasswordNeverSent() {
    server.offerAuth();
    // 0.0.0.0 reaches this machine's listeners but is not a loopback name, so it stands in for a
    // remote server.
    sender =
        new SmtpMailSender(
            Secret.of("smtp://mailer:" + PASSWORD + "@0.0.0.0:" + server.port()),
            SHORT,
            SHORT,
            Clock.systemUTC(),
            Map.of());

    SendResult result = sender.send(mail(1));

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(verbs()).doesNotContain("AUTH", "MAIL");
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void loopbackWhenHostIsThisMachineThenTrue() {
    assertThat(SmtpMailSender.loopback("localhost")).isTrue();
    assertThat(SmtpMailSender.loopback("127.0.0.1")).isTrue();
    assertThat(SmtpMailSender.loopback("::1")).isTrue();
    assertThat(SmtpMailSender.loopback("smtp.example.com")).isFalse();
    assertThat(SmtpMailSender.loopback("0.0.0.0")).isFalse();
  }

  @Test
  void sendWhenServerOffersNoStartTlsThenStillDelivered() {
    SendResult result = sender("smtp://127.0.0.1:" + server.port()).send(mail(1));

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(verbs()).doesNotContain("STARTTLS", "AUTH").contains("MAIL", "RCPT", "DATA");
    assertThat(server.messages().get(0)).contains("Message-ID: <msg_1@switchboard.test>");
  }

  @Test
  void sendWhenMessageCannotBeBuiltThenPermanentAndNoConnection() {
    sender("smtp://127.0.0.1:" + server.port());
    OutgoingMail noFrom =
        new OutgoingMail(
            "msg_9", "i", "<msg_9@s>", null, "bob@example.com", "s", "t", "h", "t", Map.of());
    OutgoingMail badTo =
        new OutgoingMail(
            "msg_9", "i", "<msg_9@s>", "app@example.com", "bob@", "s", "t", "h", "t", Map.of());
    OutgoingMail injected =
        new OutgoingMail(
            "msg_9",
            "i",
            "<msg_9@s>",
            "app@example.com",
            "bob@example.com",
            "s",
            "t",
            "h",
            "t",
            Map.of("X-Tag", "a\r\nBcc: eve@example.com"));

    List<SendResult> results =
        List.of(sender.send(noFrom), sender.send(badTo), sender.send(injected));

    assertThat(results).extracting(SendResult::kind).containsOnly(Kind.PERMANENT);
    assertThat(results.get(1).detail()).startsWith("invalid address");
    assertThat(server.connections()).isZero();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "RCPT | 550 5.1.1 <bob@example.com>: user unknown | SUPPRESSED",
        "RCPT | 551 5.1.6 user has moved                  | SUPPRESSED",
        "RCPT | 553 5.1.3 bad mailbox name                | SUPPRESSED",
        "RCPT | 550 5.7.1 relaying denied                 | PERMANENT",
        "RCPT | 452 4.5.3 too many recipients             | RETRYABLE",
        "RCPT | 450 4.2.1 mailbox busy                    | RETRYABLE",
        "MAIL | 530 5.7.0 authentication required         | PERMANENT",
        "MAIL | 421 4.7.0 try again later                 | RETRYABLE",
        "DATA | 554 5.5.1 no valid recipients             | PERMANENT",
        ".    | 451 4.3.0 local error in processing       | RETRYABLE",
        ".    | 554 5.7.1 message content rejected        | PERMANENT",
        "AUTH | 535 5.7.8 authentication credentials invalid | PERMANENT",
        "AUTH | 454 4.7.0 temporary authentication failure   | RETRYABLE"
      })
  void sendWhenServerRepliesThenClassifiedAndNotDelivered(
      String verb, String reply, Kind expected) {
    server.offerAuth().reply(verb, reply);

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.detail()).contains(reply.substring(0, 3)).doesNotContain(PASSWORD);
    assertThat(result.providerMessageId()).isEmpty();
    assertThat(server.messages()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "421 4.3.2 service not available, RETRYABLE",
    "554 5.3.2 no SMTP service here, PERMANENT"
  })
  void sendWhenGreetingRefusesThenClassifiedByItsCode(String greeting, Kind expected) {
    server.greeting(greeting);

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(server.commands()).isEmpty();
  }

  @Test
  void sendWhenServerNeverAnswersThenRetryableWithinTheTimeout() {
    server.greeting(ScriptedSmtpServer.NO_REPLY);
    long start = System.nanoTime();

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result).isEqualTo(SendResult.retryable("timed out waiting for the SMTP server"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void sendWhenServerGoesQuietAfterDataThenRetryable() {
    server.reply(".", ScriptedSmtpServer.NO_REPLY);

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result).isEqualTo(SendResult.retryable("timed out waiting for the SMTP server"));
  }

  @Test
  void sendWhenServerHangsUpMidTransactionThenRetryable() {
    server.reply("RCPT", ScriptedSmtpServer.HANG_UP);

    SendResult result = senderWithAuth().send(mail(1));

    assertThat(result.kind()).as(result.detail()).isEqualTo(Kind.RETRYABLE);
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void sendWhenPortClosedThenRetryableQuicklyAndHealthDown() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    sender("smtp://mailer:" + PASSWORD + "@127.0.0.1:" + closed);
    long start = System.nanoTime();

    SendResult result = sender.send(mail(1));
    HealthResult health = sender.health();

    assertThat(result).isEqualTo(SendResult.retryable("connection refused"));
    assertThat(health)
        .isEqualTo(HealthResult.down("smtp://127.0.0.1:" + closed + ": connection refused"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void sendWhenManyMessagesThenOneConnectionPerHundred() {
    server.offerAuth();
    senderWithAuth();

    for (int n = 0; n < SmtpConnections.MAX_MESSAGES + 1; n++) {
      assertThat(sender.send(mail(n)).kind()).isEqualTo(Kind.ACCEPTED);
    }

    assertThat(server.messages()).hasSize(SmtpConnections.MAX_MESSAGES + 1);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(verbs().stream().filter("AUTH"::equals).count()).isEqualTo(2);
  }

  @Test
  void sendWhenAFailureHappenedThenNextSendUsesAFreshConnection() {
    senderWithAuth();
    server.reply("RCPT", "451 4.3.0 try later");
    assertThat(sender.send(mail(1)).kind()).isEqualTo(Kind.RETRYABLE);
    server.reply("RCPT", "250 2.1.5 OK");

    SendResult second = sender.send(mail(1));

    assertThat(second.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.messages()).hasSize(1);
  }

  @Test
  void healthWhenNoopRefusedOrServerSilentThenDownWithinTheTimeout() {
    server.reply("NOOP", "421 4.3.2 shutting down");
    HealthResult refused = senderWithAuth().health();
    server.greeting(ScriptedSmtpServer.NO_REPLY);
    long start = System.nanoTime();

    HealthResult silent = sender.health();

    assertThat(refused.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(refused.detail()).contains("421 4.3.2 shutting down");
    assertThat(silent)
        .isEqualTo(HealthResult.down(sender.server() + ": timed out waiting for the SMTP server"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void sendWhenAuthenticatingWithFullLibraryLoggingThenPasswordInNoLogLineAndNoDetail() {
    server.offerAuth();
    List<String> seen =
        LogCapture.during(
            () -> {
              List<String> details = new java.util.ArrayList<>();
              details.add(senderWithAuth().send(mail(1)).detail());
              details.add(sender.health().detail());
              server.reply("AUTH", "535 5.7.8 authentication credentials invalid");
              details.add(senderWithAuth().send(mail(2)).detail());
              details.add(sender.health().detail());
              return details;
            });

    assertThat(seen)
        .anyMatch(line -> line.contains("AUTH"))
        .anyMatch(line -> line.contains("535 5.7.8"));
    assertNoPassword(seen);
  }

  @Test
  void sendWhenServerEchoesThePasswordThenDetailsAreScrubbed() {
    server.offerAuth().reply("AUTH", "535 5.7.8 password " + PASSWORD + " is wrong");
    List<String> details = new java.util.ArrayList<>();
    details.add(senderWithAuth().send(mail(1)).detail());
    details.add(sender.health().detail());
    server.reply("AUTH", "235 ok").reply("RCPT", "550 5.1.1 no such user; you said " + PASSWORD);
    details.add(senderWithAuth().send(mail(2)).detail());

    assertThat(details).allMatch(detail -> detail.contains("****"));
    assertNoPassword(details);
  }

  /** Counts instead of printing, so a failure does not put the password in the test report. */
  private static void assertNoPassword(List<String> lines) {
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    for (String form :
        List.of(
            PASSWORD,
            b64.encodeToString(PASSWORD.getBytes()),
            b64.encodeToString(("\0mailer\0" + PASSWORD).getBytes()))) {
      assertThat(lines.stream().filter(line -> line.contains(form)).count())
          .as("lines with a form of the password")
          .isZero();
    }
  }
}
