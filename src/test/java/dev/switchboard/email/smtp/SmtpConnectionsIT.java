package dev.switchboard.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.testing.ScriptedSmtpServer;
import dev.switchboard.testing.ScriptedSmtpServer.Command;
import jakarta.mail.Session;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reuse rules of the connection pool, with a hand-moved clock instead of waiting. */
class SmtpConnectionsIT {

  private final ScriptedSmtpServer server = ScriptedSmtpServer.start();
  private final AtomicLong nanos = new AtomicLong();
  private final SmtpConnections connections =
      new SmtpConnections(
          Session.getInstance(new Properties()),
          SmtpUrl.parse(Secret.of("smtp://127.0.0.1:" + server.port())),
          nanos::get);

  @AfterEach
  void stop() {
    connections.close();
    server.close();
  }

  private SmtpConnections.Connection openOne() throws Exception {
    SmtpConnections.Connection connection = connections.borrow();
    connection.open();
    return connection;
  }

  @Test
  void borrowWhenReturnedRecentlyThenSameConnectionWithoutNoop() throws Exception {
    SmtpConnections.Connection first = openOne();
    connections.giveBack(first);
    nanos.addAndGet(SmtpConnections.CHECK_AFTER_IDLE.toNanos() - 1);

    SmtpConnections.Connection second = openOne();

    assertThat(second).isSameAs(first);
    assertThat(server.commands()).extracting(Command::verb).containsExactly("EHLO");
  }

  @Test
  void borrowWhenIdleLongAndServerStillThereThenReusedAfterNoop() throws Exception {
    SmtpConnections.Connection first = openOne();
    connections.giveBack(first);
    nanos.addAndGet(SmtpConnections.CHECK_AFTER_IDLE.toNanos() + 1);

    SmtpConnections.Connection second = openOne();

    assertThat(second).isSameAs(first);
    assertThat(server.commands()).extracting(Command::verb).containsExactly("EHLO", "NOOP");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void borrowWhenIdleLongAndServerDroppedItThenNewConnection() throws Exception {
    SmtpConnections.Connection first = openOne();
    connections.giveBack(first);
    nanos.addAndGet(SmtpConnections.CHECK_AFTER_IDLE.toNanos() + 1);
    server.reply("NOOP", "421 4.4.2 idle timeout");

    SmtpConnections.Connection second = openOne();

    assertThat(second).isNotSameAs(first);
    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void giveBackWhenMoreThanMaxIdleThenExtraConnectionsClosed() throws Exception {
    java.util.List<SmtpConnections.Connection> open = new java.util.ArrayList<>();
    for (int i = 0; i < SmtpConnections.MAX_IDLE_CONNECTIONS + 2; i++) {
      open.add(openOne());
    }
    open.forEach(connections::giveBack);

    long closed = open.stream().filter(c -> !c.transport.isConnected()).count();

    assertThat(closed).isEqualTo(2);
  }
}
