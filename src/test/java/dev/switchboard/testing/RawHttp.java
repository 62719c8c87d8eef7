package dev.switchboard.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as written over a socket, for requests an HTTP client library refuses to send
 * (a NUL in the path, a request line over the header limit, bytes no URI allows), and parses the
 * one response. The response is read by its own framing (Content-Length or chunks), so a server
 * that closes without reading the request body cannot cut the answer short.
 */
public final class RawHttp {

  private RawHttp() {}

  /** The parsed answer: status, lower-cased header names, body as text. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code method target HTTP/1.1} with {@code Host} and {@code Connection: close} plus the
   * given header lines.
   */
  public static Response request(int port, String method, String target, String... headerLines) {
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(target)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(port)
            .append("\r\n")
            .append("Connection: close\r\n");
    for (String line : headerLines) {
      head.append(line).append("\r\n");
    }
    head.append("\r\n");
    return send(port, head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends these bytes as they are and reads one response. */
  public static Response send(int port, byte[] raw) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(raw);
      socket.getOutputStream().flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response read(InputStream in) throws IOException {
    int status;
    Map<String, String> headers = new LinkedHashMap<>();
    do { // 1xx answers (100 Continue) come before the real one
      status = Integer.parseInt(line(in).split(" ")[1]);
      headers.clear();
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    } while (status >= 100 && status < 200);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (status == 204 || status == 304) {
      return new Response(status, headers, "");
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else {
      try {
        in.transferTo(body);
      } catch (java.net.SocketException reset) {
        // What arrived before the reset is the answer.
      }
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static int chunkSize(String line) {
    return Integer.parseInt(line.split(";")[0].trim(), 16);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException(
            "Connection closed mid-response after: " + line.toString(StandardCharsets.ISO_8859_1));
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
