package dev.switchboard.email.smtp;

import dev.switchboard.email.SendResult;
import dev.switchboard.platform.config.SecretScrubber;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Turns what Jakarta Mail threw into a {@link SendResult}, by the SMTP reply code where there is
 * one (RFC 5321 §4.2, enhanced status codes RFC 3463) and by the network failure otherwise:
 *
 * <ul>
 *   <li>4xx anywhere (421, 450, 451, 452, 454), connection refused, timeouts, TLS problems, a
 *       dropped connection: retryable;
 *   <li>550, 551 or 553 on {@code RCPT TO} for the recipient: suppressed, unless the enhanced code
 *       is {@code 5.7.x} (relaying denied, policy): that is about us, not the address;
 *   <li>535/530 authentication, any other 5xx, an address that does not parse: permanent.
 * </ul>
 *
 * Details are one line, at most {@value #MAX_DETAIL} characters, with every credential scrubbed.
 */
final class SmtpFailures {

  static final int MAX_DETAIL = 200;
  private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)(?:[ -]|$)");
  private static final Pattern GREETING_CODE = Pattern.compile("response: ([2-5]\\d\\d)");
  private static final Pattern ENHANCED =
      Pattern.compile("^\\s*\\d{3}[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})");

  private final SecretScrubber scrubber;

  SmtpFailures(SecretScrubber scrubber) {
    this.scrubber = scrubber;
  }

  /**
   * Classifies one failure.
   *
   * @param error what was thrown by connect or send
   * @param lastReturnCode the transport's last reply code, for failures Jakarta Mail reports
   *     without one (bad greeting, refused {@code EHLO} or {@code STARTTLS}); -1 when unknown
   */
  SendResult classify(Exception error, int lastReturnCode) {
    List<Throwable> chain = chain(error);
    for (Throwable t : chain) {
      if (t instanceof SMTPAddressFailedException rejected) {
        return recipient(rejected.getReturnCode(), rejected.getMessage());
      }
    }
    if (error instanceof AuthenticationFailedException) {
      int code = code(error.getMessage(), lastReturnCode);
      String detail = "authentication failed: " + reply(code, error.getMessage());
      // 454 4.7.0 is a temporary authentication failure (the server's backend is down), not a wrong
      // password.
      return code >= 400 && code < 500 ? retryable(detail) : permanent(detail);
    }
    for (Throwable t : chain) {
      if (t instanceof AddressException) {
        return permanent("invalid address: " + t.getMessage());
      }
    }
    for (Throwable t : chain) {
      if (t instanceof IOException io) {
        return retryable(network(io));
      }
    }
    int code = replyCode(error, lastReturnCode);
    String detail = reply(code, error.getMessage()) + command(error);
    if (code >= 400 && code < 500) {
      return retryable(detail);
    }
    if (code >= 500) {
      return permanent(detail);
    }
    // No reply code and no I/O error: Jakarta Mail lost the conversation somewhere; sending again
    // may work.
    return retryable("smtp failure: " + error.getMessage());
  }

  /**
   * A message that could not be built (bad address, header or Message-ID): sending again cannot
   * help.
   */
  SendResult unsendable(Exception error) {
    return permanent(
        (error instanceof AddressException ? "invalid address: " : "message not sendable: ")
            + error.getMessage());
  }

  private SendResult recipient(int code, String message) {
    if (code < 400) {
      // Angus reports a connection lost during RCPT as a rejected address with code -1 ("[EOF]").
      return retryable("connection lost at RCPT TO: " + (message == null ? "" : message));
    }
    String detail = "recipient rejected: " + reply(code, message);
    if (code < 500) {
      return retryable(detail);
    }
    Matcher enhanced = ENHANCED.matcher(message == null ? "" : message);
    boolean policy = enhanced.find() && enhanced.group(2).equals("7");
    if ((code == 550 || code == 551 || code == 553) && !policy) {
      return suppressed(detail);
    }
    return permanent(detail);
  }

  private SendResult retryable(String detail) {
    return SendResult.retryable(line(detail));
  }

  private SendResult permanent(String detail) {
    return SendResult.permanent(line(detail));
  }

  private SendResult suppressed(String detail) {
    return SendResult.suppressed(line(detail));
  }

  private static int replyCode(Exception error, int lastReturnCode) {
    if (error instanceof SMTPSendFailedException failed) {
      return failed.getReturnCode();
    }
    if (error instanceof SMTPSenderFailedException failed) {
      return failed.getReturnCode();
    }
    Matcher greeting = GREETING_CODE.matcher(error.getMessage() == null ? "" : error.getMessage());
    return greeting.find()
        ? Integer.parseInt(greeting.group(1))
        : code(error.getMessage(), lastReturnCode);
  }

  private static int code(String message, int fallback) {
    Matcher leading = LEADING_CODE.matcher(message == null ? "" : message);
    return leading.find() ? Integer.parseInt(leading.group(1)) : fallback;
  }

  private String reply(int code, String message) {
    String text = message == null ? "" : message.strip();
    boolean quoted = code(text, -1) == code;
    return line(code > 0 && !quoted ? code + " " + text : text);
  }

  private static String command(Exception error) {
    String command =
        error instanceof SMTPSendFailedException f
            ? f.getCommand()
            : error instanceof SMTPSenderFailedException f ? "MAIL FROM" : null;
    if (command == null || command.isBlank()) {
      return "";
    }
    String verb = command.strip().split("[\\s:]", 2)[0].toUpperCase(Locale.ROOT);
    return " (after " + (verb.equals("MAIL") ? "MAIL FROM" : verb) + ")";
  }

  private String network(IOException io) {
    if (io instanceof ConnectException) {
      return "connection refused";
    }
    if (io instanceof SocketTimeoutException) {
      return "timed out waiting for the SMTP server";
    }
    if (io instanceof UnknownHostException) {
      return "unknown SMTP host";
    }
    if (io instanceof SSLException) {
      return line("TLS failed: " + io.getMessage());
    }
    return line(
        "connection failed: "
            + io.getClass().getSimpleName()
            + " "
            + (io.getMessage() == null ? "" : io.getMessage()));
  }

  /** One scrubbed line: replies can span lines and Jakarta Mail appends the cause. */
  private String line(String text) {
    String flat = scrubber.scrub(text == null ? "" : text).replaceAll("[\\r\\n\\t]+", " ").strip();
    return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL - 1) + "…";
  }

  private static List<Throwable> chain(Throwable error) {
    List<Throwable> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); ) {
      out.add(t);
      Throwable next =
          t instanceof MessagingException m && m.getNextException() != null
              ? m.getNextException()
              : t.getCause();
      t = next;
    }
    return out;
  }
}
