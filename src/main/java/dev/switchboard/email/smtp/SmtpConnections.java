package dev.switchboard.email.smtp;

import dev.switchboard.platform.config.Secret;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.LongSupplier;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * A few authenticated SMTP connections kept open between sends, so a burst from the queue does not
 * pay TCP, TLS and AUTH for every message. One connection serves one sender thread at a time. A
 * connection idle for longer than {@link #CHECK_AFTER_IDLE} is probed with {@code NOOP} before
 * reuse (servers drop idle clients); one that has carried {@link #MAX_MESSAGES} messages, or any
 * that saw a failure, is closed (servers cap messages per connection, and after an error the
 * session state is unknown).
 */
final class SmtpConnections implements AutoCloseable {

  static final int MAX_MESSAGES = 100;
  static final int MAX_IDLE_CONNECTIONS = 8;
  static final Duration CHECK_AFTER_IDLE = Duration.ofSeconds(5);

  private final Session session;
  private final SmtpUrl url;
  private final LongSupplier nanoTime;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

  SmtpConnections(Session session, SmtpUrl url, LongSupplier nanoTime) {
    this.session = session;
    this.url = url;
    this.nanoTime = nanoTime;
  }

  /**
   * An idle connection still usable, else a new one not yet connected ({@link Connection#open()}
   * connects it).
   */
  Connection borrow() {
    for (Connection pooled; (pooled = idle.pollFirst()) != null; ) {
      boolean stale = nanoTime.getAsLong() - pooled.idleSince > CHECK_AFTER_IDLE.toNanos();
      // isConnected() sends NOOP and answers false when the server has gone away.
      if (!stale || pooled.transport.isConnected()) {
        return pooled;
      }
      pooled.close();
    }
    return new Connection(newTransport());
  }

  /**
   * Returns a connection after a successful send; it is closed instead when it has done its share.
   */
  void giveBack(Connection connection) {
    connection.sent++;
    connection.idleSince = nanoTime.getAsLong();
    if (connection.sent >= MAX_MESSAGES || idle.size() >= MAX_IDLE_CONNECTIONS) {
      connection.close();
    } else {
      idle.offerFirst(connection);
    }
  }

  /** A fresh transport for one-off use (the health check), never pooled. */
  SMTPTransport newTransport() {
    try {
      return (SMTPTransport) session.getTransport(url.protocol());
    } catch (NoSuchProviderException e) {
      throw new IllegalStateException(
          "Angus Mail's " + url.protocol() + " provider is not on the classpath", e);
    }
  }

  /** Connects (and authenticates when the URL has credentials) a transport not yet connected. */
  void connect(SMTPTransport transport) throws MessagingException {
    transport.connect(
        url.host(),
        url.port(),
        url.user().orElse(null),
        url.password().map(Secret::reveal).orElse(null));
  }

  @Override
  public void close() {
    for (Connection pooled; (pooled = idle.pollFirst()) != null; ) {
      pooled.close();
    }
  }

  /** One SMTP connection and how much it has been used. */
  final class Connection {

    final SMTPTransport transport;
    private boolean opened;
    private int sent;
    private long idleSince;

    private Connection(SMTPTransport transport) {
      this.transport = transport;
    }

    /** Connects when this is a new connection; does nothing for a pooled one. */
    void open() throws MessagingException {
      // Not transport.isConnected(): on SMTP that costs a NOOP round trip per message.
      if (!opened) {
        connect(transport);
        opened = true;
      }
    }

    void close() {
      try {
        transport.close();
      } catch (MessagingException | RuntimeException e) {
        // QUIT on a broken connection fails; the socket is closed either way.
      }
    }
  }
}
