package dev.switchboard.monitoring.sentry;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A Sentry ingest endpoint on a random local port: accepts {@code POST /api/1/envelope/}, keeps
 * each envelope (decompressed when gzip) with its auth header, and answers 200 like Sentry's Relay,
 * which is the only status the Java SDK treats as delivered.
 */
final class FakeSentryIngest implements AutoCloseable {

  /**
   * One received envelope: the {@code X-Sentry-Auth} header and the items, as (header line,
   * payload) pairs.
   */
  record Envelope(String auth, String raw, List<Item> items) {}

  record Item(String header, String payload) {}

  private final HttpServer server;
  private final LinkedBlockingQueue<Envelope> received = new LinkedBlockingQueue<>();

  FakeSentryIngest() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/api/1/envelope/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if ("gzip"
                .equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
              bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
            }
            received.add(parse(exchange.getRequestHeaders().getFirst("X-Sentry-Auth"), bytes));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  String dsn(String publicKey) {
    return "http://" + publicKey + "@127.0.0.1:" + server.getAddress().getPort() + "/1";
  }

  /** The next envelope, or {@code null} when none arrives within {@code timeout}. */
  Envelope next(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void clear() {
    received.clear();
  }

  /** Walks the items by their {@code length} header, or to the next newline when it is absent. */
  static Envelope parse(String auth, byte[] bytes) {
    String raw = new String(bytes, StandardCharsets.UTF_8);
    int position = indexOf(bytes, 0) + 1;
    List<Item> items = new ArrayList<>();
    while (position < bytes.length) {
      int headerEnd = indexOf(bytes, position);
      String header = new String(bytes, position, headerEnd - position, StandardCharsets.UTF_8);
      java.util.regex.Matcher length =
          java.util.regex.Pattern.compile("\"length\":(\\d+)").matcher(header);
      int payloadStart = headerEnd + 1;
      int payloadEnd =
          length.find()
              ? payloadStart + Integer.parseInt(length.group(1))
              : indexOf(bytes, payloadStart);
      items.add(
          new Item(
              header,
              new String(bytes, payloadStart, payloadEnd - payloadStart, StandardCharsets.UTF_8)));
      position = payloadEnd + 1;
    }
    return new Envelope(auth, raw, items);
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
