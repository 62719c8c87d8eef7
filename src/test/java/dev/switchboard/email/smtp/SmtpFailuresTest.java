package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.email.SendResult;
import dev.switchboard.email.SendResult.Kind;
import dev.switchboard.platform.config.SecretScrubber;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reply-code table of docs/email-smtp.md, on the exceptions Angus throws. */
class SmtpFailuresTest {

  private static final String PASSWORD = "hunter2-very-secret";
  private final SmtpFailures failures = new SmtpFailures(SecretScrubber.of(List.of(PASSWORD)));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "550 | 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown | SUPPRESSED",
        "551 | 551 5.1.6 user not local                                              | SUPPRESSED",
        "553 | 553 5.1.3 mailbox name not allowed                                     | SUPPRESSED",
        "550 | 550 5.7.1 Relaying denied                                              | PERMANENT",
        "554 | 554 5.7.1 rejected by policy                                           | PERMANENT",
        "552 | 552 5.2.2 mailbox full                                                 | PERMANENT",
        "450 | 450 4.2.1 mailbox busy                                                 | RETRYABLE",
        "451 | 451 4.3.0 local error                                                  | RETRYABLE",
        "452 | 452 4.5.3 too many recipients                                          | RETRYABLE"
      })
  void classifyWhenRecipientRejectedThenByReplyCode(int code, String reply, Kind expected)
      throws Exception {
    SMTPAddressFailedException rejected =
        new SMTPAddressFailedException(
            new InternetAddress("bob@example.com"), "RCPT TO:<bob@example.com>", code, reply);
    SendFailedException thrown =
        new SendFailedException(
            "Invalid Addresses",
            rejected,
            new Address[0],
            new Address[0],
            new Address[] {new InternetAddress("bob@example.com")});

    SendResult result = failures.classify(thrown, code);

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.detail()).startsWith("recipient rejected: " + code);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "DATA   | 554 | 554 5.7.1 message rejected as spam | PERMANENT | (after DATA)",
        "DATA   | 451 | 451 4.3.0 try again later          | RETRYABLE | (after DATA)",
        "DATA   | 421 | 421 4.4.2 closing connection        | RETRYABLE | (after DATA)",
        "DATA   | 552 | 552 5.3.4 message too big          | PERMANENT | (after DATA)"
      })
  void classifyWhenDataRejectedThenByReplyCode(
      String command, int code, String reply, Kind expected, String suffix) {
    SMTPSendFailedException thrown =
        new SMTPSendFailedException(command, code, reply, null, null, null, null);

    SendResult result = failures.classify(thrown, code);

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.detail()).isEqualTo(reply + " " + suffix);
  }

  @Test
  void classifyWhenSenderRejectedWith530ThenPermanentNotSuppressed() throws Exception {
    SMTPSenderFailedException thrown =
        new SMTPSenderFailedException(
            new InternetAddress("app@example.com"),
            "MAIL FROM:<app@example.com>",
            530,
            "530 5.7.0 Authentication required");

    SendResult result = failures.classify(thrown, 530);

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).isEqualTo("530 5.7.0 Authentication required (after MAIL FROM)");
  }

  @Test
  void classifyWhenAuthenticationFailedThenPermanent() {
    SendResult result =
        failures.classify(
            new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid\n"),
            535);

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail())
        .isEqualTo("authentication failed: 535 5.7.8 Authentication credentials invalid");
  }

  @Test
  void classifyWhenAuthenticationTemporarilyFailedThenRetryable() {
    SendResult result =
        failures.classify(
            new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"), 454);

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
  }

  @Test
  void classifyWhenBadGreetingThenByItsCode() {
    MessagingException busy =
        new MessagingException(
            "Got bad greeting from SMTP host: mail, port: 465, response: 421 busy");
    MessagingException refused =
        new MessagingException(
            "Got bad greeting from SMTP host: mail, port: 587, response: 554 no");

    assertThat(failures.classify(busy, -1).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(failures.classify(refused, -1).kind()).isEqualTo(Kind.PERMANENT);
  }

  @Test
  void classifyWhenNetworkFailureThenRetryableWithShortReason() {
    assertThat(
            failures.classify(
                new MessagingException(
                    "Couldn't connect", new ConnectException("Connection refused")),
                -1))
        .isEqualTo(SendResult.retryable("connection refused"));
    assertThat(
            failures.classify(
                new MessagingException(
                    "Exception reading response", new SocketTimeoutException("Read timed out")),
                250))
        .isEqualTo(SendResult.retryable("timed out waiting for the SMTP server"));
    assertThat(
            failures
                .classify(
                    new MessagingException(
                        "Could not convert socket to TLS",
                        new SSLHandshakeException("PKIX path building failed")),
                    220)
                .kind())
        .isEqualTo(Kind.RETRYABLE);
  }

  @Test
  void classifyWhenAddressDoesNotParseThenPermanent() {
    SendResult result =
        failures.classify(new AddressException("Missing final '@domain'", "bob"), -1);

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).startsWith("invalid address");
  }

  @Test
  void classifyWhenMessageQuotesThePasswordThenDetailIsScrubbedAndOneShortLine() {
    String reply =
        "535 5.7.8 bad credentials for " + PASSWORD + "\r\nsecond line " + "x".repeat(400);

    SendResult result = failures.classify(new AuthenticationFailedException(reply), 535);

    assertThat(result.detail()).doesNotContain(PASSWORD).doesNotContain("\n").contains("****");
    assertThat(result.detail().length()).isLessThanOrEqualTo(SmtpFailures.MAX_DETAIL);
  }
}
