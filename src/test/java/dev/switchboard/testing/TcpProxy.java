package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP pipe on a random local port to a real server (by default the machine's PostgreSQL), for
 * outage tests: {@link #cut()} closes the listener and every open connection, as if the server
 * died; {@link #restore()} listens again on the same port. {@link #freeze()} keeps every connection
 * open but holds the bytes, as a server that hangs; {@link #thaw()} delivers them.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tcp-proxy");
            t.setDaemon(true);
            return t;
          });
  private final int port;
  private ServerSocket listener;
  private final Object thawed = new Object();
  private volatile boolean frozen;

  public TcpProxy(String targetHost, int targetPort) {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.listener = bindBelowEphemeral();
    this.port = listener.getLocalPort();
    accept(listener);
  }

  /**
   * A port below the kernel's ephemeral range (read line by line: {@code Files.readString} of this
   * procfs file, whose size reads as 0, returned only its first character, so every proxy fell back
   * to an ephemeral port): while the proxy is cut, a client reconnecting to a port in that range
   * can be given the same port as its own source port and connect to itself (TCP simultaneous
   * open), which holds the port and made {@link #restore()} fail with "Address already in use". No
   * outgoing connection is given a port below the range.
   */
  private static ServerSocket bindBelowEphemeral() {
    int low = 32768;
    try {
      low =
          Integer.parseInt(
              java.nio.file.Files.readAllLines(
                      java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                  .get(0)
                  .trim()
                  .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      // Not Linux: the default range's lower bound.
    }
    int from = Math.max(1024, low / 2);
    var random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200 && low - from > 1; attempt++) {
      try {
        return bindOnce(random.nextInt(from, low));
      } catch (IOException taken) {
        // Another listener has it: try another.
      }
    }
    return bind(0);
  }

  /** A proxy to the machine's PostgreSQL. */
  public static TcpProxy toPostgres() {
    return new TcpProxy(PostgresTestDatabase.HOST, PostgresTestDatabase.PORT);
  }

  public int port() {
    return port;
  }

  /** Stops accepting and closes every open connection on both sides. */
  public synchronized void cut() {
    closeQuietly(listener);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  /** Listens again on the same port after {@link #cut()}; does nothing while still listening. */
  public synchronized void restore() {
    if (!listener.isClosed()) {
      return;
    }
    listener = rebind(port);
    accept(listener);
  }

  /**
   * Binds the port again. The listener closed by {@link #cut()} releases it only when its accept
   * thread has woken up, which can take a moment on a loaded machine, so "in use" is retried for a
   * while before it counts.
   */
  private static ServerSocket rebind(int port) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        return bindOnce(port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot listen on port " + port, e);
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("cannot listen on port " + port, e);
        }
      }
    }
  }

  /**
   * Holds what either side sends (connections stay open, nothing is lost or reordered), so the
   * client waits for answers that do not come.
   */
  public void freeze() {
    frozen = true;
  }

  /** Delivers what was held by {@link #freeze()} and lets bytes flow again. */
  public void thaw() {
    synchronized (thawed) {
      frozen = false;
      thawed.notifyAll();
    }
  }

  @Override
  public void close() {
    thaw();
    cut();
    threads.shutdownNow();
  }

  private static ServerSocket bind(int port) {
    try {
      return bindOnce(port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on port " + port, e);
    }
  }

  private static ServerSocket bindOnce(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private void accept(ServerSocket server) {
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket client = server.accept();
              connect(server, client);
            } catch (IOException e) {
              // The listener was closed by cut(), or one upstream connect failed; the loop
              // condition decides.
            }
          }
        });
  }

  private void connect(ServerSocket server, Socket client) throws IOException {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 2_000);
    } catch (IOException e) {
      closeQuietly(client);
      throw e;
    }
    synchronized (this) {
      // cut() may have run between accept() and here; a connection must not outlive it.
      if (server.isClosed()) {
        closeQuietly(client);
        closeQuietly(upstream);
        return;
      }
      open.add(client);
      open.add(upstream);
    }
    threads.execute(() -> pipe(client, upstream));
    threads.execute(() -> pipe(upstream, client));
  }

  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitThawed();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away; closing both below ends the other direction too.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private void awaitThawed() throws IOException {
    synchronized (thawed) {
      while (frozen) {
        try {
          thawed.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while frozen", e);
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Already closed.
    }
  }
}
