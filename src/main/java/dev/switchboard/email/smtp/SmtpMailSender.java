package dev.switchboard.email.smtp;

import dev.switchboard.email.MailSender;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.integrations.HealthResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends mail over SMTP (RFC 5321) with Jakarta Mail (Angus): {@code smtp://} upgrades with STARTTLS
 * when the server offers it (RFC 3207), {@code smtps://} speaks TLS from the first byte (RFC 8314).
 * The caller's Message-ID is kept, so a retry after an ambiguous timeout carries the same id and
 * the receiving side can recognise it. One attempt per call; every failure is classified by {@link
 * SmtpFailures}. Connections are reused between sends ({@link SmtpConnections}). See
 * docs/email-smtp.md.
 */
public final class SmtpMailSender implements MailSender, AutoCloseable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Each step of the health check gives up sooner than a send, so a silent server reads "timed
   * out", not hung.
   */
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(4);

  private final SmtpUrl url;
  private final Clock clock;
  private final SmtpMessages messages;
  private final SmtpConnections connections;
  private final SmtpConnections healthConnections;
  private final SmtpFailures failures;

  /** The sender for {@code SMTP_URL}, with 10 s connect, read and write timeouts. */
  public SmtpMailSender(Secret smtpUrl) {
    this(smtpUrl, CONNECT_TIMEOUT, IO_TIMEOUT, Clock.systemUTC(), Map.of());
  }

  /**
   * For tests: shorter timeouts, a fixed clock for the Date header, and session properties that
   * replace ours (a test server's self-signed certificate needs {@code mail.smtp.ssl.trust}).
   */
  SmtpMailSender(
      Secret smtpUrl,
      Duration connectTimeout,
      Duration ioTimeout,
      Clock clock,
      Map<String, String> overrides) {
    this.url = SmtpUrl.parse(smtpUrl);
    this.clock = clock;
    Session session = Session.getInstance(properties(url, connectTimeout, ioTimeout, overrides));
    this.messages = new SmtpMessages(session);
    this.connections = new SmtpConnections(session, url, System::nanoTime);
    Session healthSession =
        Session.getInstance(
            properties(
                url,
                min(connectTimeout, HEALTH_TIMEOUT),
                min(ioTimeout, HEALTH_TIMEOUT),
                overrides));
    this.healthConnections = new SmtpConnections(healthSession, url, System::nanoTime);
    this.failures = new SmtpFailures(SecretScrubber.of(secretForms(smtpUrl, url)));
  }

  @Override
  public String id() {
    return "smtp";
  }

  /** Scheme, host and port of the server, without credentials. */
  public String server() {
    return url.display();
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    MimeMessage message;
    try {
      message = messages.build(mail, clock.instant());
    } catch (MessagingException | RuntimeException e) {
      // A missing from/subject surfaces as a NullPointerException inside Jakarta Mail: still a bad
      // message.
      return failures.unsendable(e);
    }
    SmtpConnections.Connection connection = null;
    try {
      connection = connections.borrow();
      connection.open();
      connection.transport.sendMessage(message, message.getAllRecipients());
      connections.giveBack(connection);
      return SendResult.accepted(SmtpMessages.messageIdHeader(mail));
    } catch (MessagingException e) {
      int lastCode = connection.transport.getLastReturnCode();
      connection.close();
      return failures.classify(e, lastCode);
    } catch (RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      return SendResult.retryable(
          "unexpected " + e.getClass().getSimpleName() + " while sending over SMTP");
    }
  }

  @Override
  public HealthResult health() {
    SMTPTransport transport = healthConnections.newTransport();
    long start = System.nanoTime();
    try {
      healthConnections.connect(transport);
      transport.issueCommand("NOOP", 250);
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      boolean tls = transport.isSSL();
      if (!tls && url.password().isPresent()) {
        return HealthResult.degraded(
            "NOOP ok in "
                + millis
                + " ms, but "
                + url.display()
                + " offered no STARTTLS: the password and mail travel unencrypted");
      }
      return HealthResult.up("NOOP ok in " + millis + " ms" + (tls ? " over TLS" : " without TLS"));
    } catch (MessagingException e) {
      return HealthResult.down(
          url.display() + ": " + failures.classify(e, transport.getLastReturnCode()).detail());
    } catch (RuntimeException e) {
      return HealthResult.down(url.display() + ": unexpected " + e.getClass().getSimpleName());
    } finally {
      try {
        transport.close();
      } catch (MessagingException | RuntimeException e) {
        // Closing a connection that never opened, or one the server already dropped.
      }
    }
  }

  /** Closes the idle connections; Spring calls it when the context shuts down. */
  @Override
  public void close() {
    connections.close();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Properties properties(
      SmtpUrl url, Duration connect, Duration io, Map<String, String> overrides) {
    String p = "mail." + url.protocol() + ".";
    Properties props = new Properties();
    props.setProperty(p + "host", url.host());
    props.setProperty(p + "port", Integer.toString(url.port()));
    props.setProperty(p + "auth", Boolean.toString(url.user().isPresent()));
    props.setProperty(p + "connectiontimeout", Long.toString(connect.toMillis()));
    props.setProperty(p + "timeout", Long.toString(io.toMillis()));
    props.setProperty(p + "writetimeout", Long.toString(io.toMillis()));
    props.setProperty(p + "ssl.checkserveridentity", "true");
    if (!url.implicitTls()) {
      // Upgrade whenever offered. With credentials to a remote server, require it: otherwise
      // someone on the path who
      // strips STARTTLS from the server's answer would receive the password. A relay on this
      // machine (no path to
      // tap) or one without credentials may stay plain.
      props.setProperty(p + "starttls.enable", "true");
      props.setProperty(
          p + "starttls.required",
          Boolean.toString(url.user().isPresent() && !loopback(url.host())));
    }
    props.setProperty("mail.mime.charset", StandardCharsets.UTF_8.name());
    // Pinned, not left to defaults: with protocol tracing on, these would log the AUTH exchange
    // (the password).
    props.setProperty("mail.debug.auth", "false");
    props.setProperty("mail.debug.auth.password", "false");
    props.putAll(overrides);
    return props;
  }

  /**
   * The URL, the password and the forms it takes on the wire (AUTH LOGIN / PLAIN are base64), for
   * scrubbing.
   */
  private static List<String> secretForms(Secret raw, SmtpUrl url) {
    List<String> forms = new ArrayList<>(List.of(raw.reveal()));
    url.password()
        .map(Secret::reveal)
        .ifPresent(
            password -> {
              forms.add(password);
              forms.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
              Base64.Encoder b64 = Base64.getEncoder();
              forms.add(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)));
              forms.add(
                  b64.encodeToString(
                      ("\0" + url.user().orElse("") + "\0" + password)
                          .getBytes(StandardCharsets.UTF_8)));
            });
    return forms;
  }

  static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }
}
