package dev.switchboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server on a random local port that answers from a script, for the replies a real
 * server is hard to provoke: {@code reply("RCPT", "550 5.1.1 user unknown")}, {@code reply(".",
 * "451 4.3.0 try later")}, {@code greeting("421 busy")}. Unscripted commands get a success reply,
 * so mail goes through by default. It offers {@code STARTTLS} (GreenMail's self-signed certificate)
 * and {@code AUTH PLAIN LOGIN} when asked, and records every command with whether it arrived over
 * TLS. {@link #NO_REPLY} makes it go quiet (timeouts), {@link #HANG_UP} closes the connection
 * instead of answering.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

  /** Reply value: read the command and say nothing. */
  public static final String NO_REPLY = "<no reply>";

  /** Reply value: close the connection instead of answering. */
  public static final String HANG_UP = "<hang up>";

  /**
   * One command line as received; {@code tls} says whether the connection was encrypted by then.
   */
  public record Command(String line, boolean tls) {
    public String verb() {
      return line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
    }
  }

  private final ServerSocket listener;
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final List<Command> commands = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile String greeting = "220 scripted.test ESMTP";
  private volatile boolean startTls;
  private volatile boolean auth;

  private ScriptedSmtpServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "scripted-smtp-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static ScriptedSmtpServer start() {
    try {
      return new ScriptedSmtpServer();
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on a local port", e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /**
   * The first line(s) sent on connect; {@link #NO_REPLY} for a server that accepts and never
   * speaks.
   */
  public ScriptedSmtpServer greeting(String reply) {
    this.greeting = reply;
    return this;
  }

  /**
   * The reply to a command verb ({@code EHLO}, {@code AUTH}, {@code MAIL}, {@code RCPT}, {@code
   * DATA}, {@code NOOP}, {@code STARTTLS}…) or {@code "."} for the end of the message data.
   * Multi-line replies are given with CRLF.
   */
  public ScriptedSmtpServer reply(String verb, String reply) {
    replies.put(verb.toUpperCase(Locale.ROOT), reply);
    return this;
  }

  public ScriptedSmtpServer offerStartTls() {
    this.startTls = true;
    return this;
  }

  public ScriptedSmtpServer offerAuth() {
    this.auth = true;
    return this;
  }

  public List<Command> commands() {
    return List.copyOf(commands);
  }

  /** Message data received (dot-stuffing undone), one entry per accepted {@code DATA}. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(ScriptedSmtpServer::closeQuietly);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        connections.incrementAndGet();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "scripted-smtp-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      new Session(socket).run();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static SSLContext tls() throws IOException {
    try (InputStream in = ScriptedSmtpServer.class.getResourceAsStream("/greenmail.p12")) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, "changeit".toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "changeit".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load GreenMail's test certificate", e);
    }
  }

  /** One client connection. */
  private final class Session {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private boolean tls;

    Session(Socket socket) throws IOException {
      bind(socket);
    }

    private void bind(Socket s) throws IOException {
      socket = s;
      in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      out = s.getOutputStream();
    }

    void run() throws IOException {
      if (!answer(greeting)) {
        return;
      }
      for (String line; (line = in.readLine()) != null; ) {
        Command command = new Command(line, tls);
        commands.add(command);
        if (!handle(command)) {
          return;
        }
      }
    }

    private boolean handle(Command command) throws IOException {
      String verb = command.verb();
      String scripted = replies.get(verb);
      switch (verb) {
        case "EHLO", "HELO" -> {
          return answer(scripted != null ? scripted : ehlo());
        }
        case "STARTTLS" -> {
          if (scripted != null) {
            return answer(scripted);
          }
          answer("220 2.0.0 Ready to start TLS");
          SSLSocket secured =
              (SSLSocket)
                  tls().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
          secured.setUseClientMode(false);
          secured.startHandshake();
          bind(secured);
          tls = true;
          return true;
        }
        case "AUTH" -> {
          return authenticate(command.line(), scripted);
        }
        case "DATA" -> {
          String reply = scripted != null ? scripted : "354 End data with <CR><LF>.<CR><LF>";
          return answer(reply) && (!reply.startsWith("354") || receiveData());
        }
        case "QUIT" -> {
          answer(scripted != null ? scripted : "221 2.0.0 Bye");
          return false;
        }
        case "MAIL", "RCPT", "NOOP", "RSET" -> {
          return answer(scripted != null ? scripted : "250 2.0.0 OK");
        }
        default -> {
          return answer(scripted != null ? scripted : "500 5.5.1 unknown command");
        }
      }
    }

    private String ehlo() {
      StringBuilder reply = new StringBuilder("250-scripted.test\r\n250-8BITMIME\r\n");
      if (startTls && !tls) {
        reply.append("250-STARTTLS\r\n");
      }
      if (auth) {
        reply.append("250-AUTH PLAIN LOGIN\r\n");
      }
      return reply.append("250 SMTPUTF8").toString();
    }

    private boolean authenticate(String line, String scripted) throws IOException {
      String[] parts = line.split(" ");
      String mechanism = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
      if (mechanism.equals("LOGIN")) {
        answer("334 VXNlcm5hbWU6");
        commands.add(new Command(in.readLine(), tls));
        answer("334 UGFzc3dvcmQ6");
        commands.add(new Command(in.readLine(), tls));
      } else if (parts.length == 2) {
        answer("334 ");
        commands.add(new Command(in.readLine(), tls));
      }
      return answer(scripted != null ? scripted : "235 2.7.0 Authentication successful");
    }

    private boolean receiveData() throws IOException {
      StringBuilder data = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals(".")) {
          String reply = replies.getOrDefault(".", "250 2.0.0 Ok: queued");
          if (reply.startsWith("250")) {
            messages.add(data.toString());
          }
          return answer(reply);
        }
        data.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
      }
      return false;
    }

    /** Writes a reply; false when the script says to stop talking on this connection. */
    private boolean answer(String reply) throws IOException {
      if (reply.equals(HANG_UP)) {
        socket.close();
        return false;
      }
      if (reply.equals(NO_REPLY)) {
        // Keep the connection open and silent until the client gives up.
        while (in.read() != -1) {
          // discard
        }
        return false;
      }
      out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    }
  }
}
