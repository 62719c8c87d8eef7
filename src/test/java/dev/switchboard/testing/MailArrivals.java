package dev.switchboard.testing;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GreenMail SMTP server on a free port that logs every delivery in arrival order, with the time
 * it arrived, for tests and benchmarks that send through a separate Switchboard process. The time
 * is taken when GreenMail has the whole message and before it answers {@code 250}, so it is when
 * the sender's attempt succeeded on the wire. Every message lands in one mailbox, so nothing but
 * this log tells recipients apart.
 */
public final class MailArrivals implements AutoCloseable {

  /**
   * One delivery: {@code nanos} is {@link System#nanoTime()} at arrival; {@code index} its position
   * (0-based).
   */
  public record Arrival(int index, long nanos, String recipient, String messageId) {}

  private final GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private final List<Arrival> arrivals = new ArrayList<>();

  private MailArrivals() {}

  /** Starts the server; SMTP without TLS or authentication, every recipient accepted. */
  public static MailArrivals start() {
    MailArrivals server = new MailArrivals();
    server.greenMail.start();
    // One mailbox for every recipient: GreenMail would otherwise create (and log) a user per
    // address.
    GreenMailUser sink = server.greenMail.setUser("sink@arrivals.test", "sink");
    server
        .greenMail
        .getUserManager()
        .setMessageDeliveryHandler(
            (message, address) -> {
              server.record(address.getEmail(), message.getMessage().getMessageID());
              return sink;
            });
    return server;
  }

  private synchronized void record(String recipient, String messageId) {
    arrivals.add(new Arrival(arrivals.size(), System.nanoTime(), recipient, messageId));
  }

  /** {@code smtp://127.0.0.1:port}, for {@code SMTP_URL}. */
  public String smtpUrl() {
    return "smtp://127.0.0.1:" + greenMail.getSmtp().getPort();
  }

  public synchronized int count() {
    return arrivals.size();
  }

  /** Every delivery so far, in arrival order. */
  public synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** Deliveries grouped by recipient, recipients in order of their first arrival. */
  public static Map<String, List<Arrival>> byRecipient(Collection<Arrival> arrivals) {
    Map<String, List<Arrival>> grouped = new LinkedHashMap<>();
    for (Arrival arrival : arrivals) {
      grouped.computeIfAbsent(arrival.recipient(), r -> new ArrayList<>()).add(arrival);
    }
    return grouped;
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
