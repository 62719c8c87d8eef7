package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A free TCP port, for tests whose public URL must be known before the server starts (local storage
 * URLs are built from {@code SWITCHBOARD_PUBLIC_URL}): set {@code PORT} and the URL to it and use
 * {@code DEFINED_PORT}.
 */
public final class FreePort {

  private FreePort() {}

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
