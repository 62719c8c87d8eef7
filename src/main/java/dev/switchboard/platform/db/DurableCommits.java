package dev.switchboard.platform.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * Makes a commit on the embedded H2 database mean "in the database file" before {@code commit()}
 * returns, as it does on PostgreSQL, so an answer sent after a commit survives a killed process.
 *
 * <p>H2's MVStore keeps committed changes in memory and writes them to its file from a background
 * thread every {@code WRITE_DELAY} ms: SIGKILL in that window lost mails that had been answered
 * 202. {@code WRITE_DELAY=0} writes and syncs on every commit, one at a time (about 3 ms a commit
 * here). Instead, after a transaction that wrote something commits, this asks for a store write
 * (the store commit {@code CHECKPOINT} makes, and the wait for writes H2 had queued: {@link
 * #writeStore}) and waits for one that started after its commit; concurrent committers share one
 * write (group commit), so a burst of N requests costs a few writes, not N. The write reaches the
 * operating system (it survives the process); like H2 itself it is not {@code fsync}ed per commit,
 * so an operating-system crash or power loss can still lose the last moments
 * (docs/configuration.md).
 *
 * <p>Wraps the physical connections the pool hands out: a connection that executed a write
 * statement flushes after its {@code commit()}, or right after the statement in auto-commit mode;
 * read-only work never waits. Only threads that will answer a client wait ({@link #answering}, set
 * by {@link DurableAnswersFilter} for every HTTP request): background work (job claims and
 * completions, schedules, migrations) keeps H2's write within {@code WRITE_DELAY}, as before, since
 * what it could lose is redone (a job whose completion was lost runs again after its lease).
 * Flushing those too tripled the file's growth in the email crash test for no promise kept.
 */
public final class DurableCommits implements DataSource {

  private volatile int loginTimeoutSeconds = 5;

  private static final Set<String> WRITES =
      Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private static final ThreadLocal<Boolean> ANSWERING = new ThreadLocal<>();

  private final DataSource target;
  private final Object lock = new Object();
  private long registered;
  private long written;
  private boolean writing;
  private final AtomicLong storeWrites = new AtomicLong();
  private final AtomicLong flushedCommits = new AtomicLong();

  /**
   * @param target the H2 data source the pool takes its physical connections from
   */
  public DurableCommits(DataSource target) {
    this.target = target;
  }

  /** Store writes done so far (each covering one or more commits). */
  public long storeWrites() {
    return storeWrites.get();
  }

  /** Commits that waited for a store write. */
  public long flushedCommits() {
    return flushedCommits.get();
  }

  /**
   * Runs {@code work} as a thread that answers a client: its commits reach the file before they
   * return.
   *
   * @param work the request's processing
   */
  public static void answering(ThrowingRunnable work) throws Exception {
    Boolean outer = ANSWERING.get();
    ANSWERING.set(Boolean.TRUE);
    try {
      work.run();
    } finally {
      if (outer == null) {
        ANSWERING.remove();
      }
    }
  }

  /** Whether commits on this thread must be in the file before they return. */
  static boolean answering() {
    return ANSWERING.get() != null;
  }

  /** A piece of work that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(target.getConnection(username, password));
  }

  /**
   * Returns once a store write that began after this call has finished: everything committed before
   * the call is in the database file. Concurrent callers share writes.
   */
  void awaitStoreWrite(Connection raw) throws SQLException {
    long ticket;
    synchronized (lock) {
      ticket = ++registered;
    }
    flushedCommits.incrementAndGet();
    while (true) {
      long upTo;
      synchronized (lock) {
        while (written < ticket && writing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(
                "interrupted while waiting for the commit to reach the database file", e);
          }
        }
        if (written >= ticket) {
          return;
        }
        writing = true;
        upTo = registered;
      }
      boolean ok = false;
      try {
        writeStore(raw);
        storeWrites.incrementAndGet();
        ok = true;
      } finally {
        synchronized (lock) {
          writing = false;
          if (ok) {
            written = Math.max(written, upTo);
          }
          lock.notifyAll();
        }
      }
    }
  }

  /**
   * Writes everything committed so far to the database file and returns once it is there.
   *
   * <p>{@code CHECKPOINT} alone did not always: H2's background writer commits the store without
   * waiting for the file write (it serialises the changes, queues the write on its save thread and
   * returns), and a store commit asked for after that finds nothing unsaved and returns at once,
   * while the write holding this commit may still be queued. SIGKILL in that moment lost answered
   * webhooks in the crash test (5 of 305, once in four runs). So on the embedded database the store
   * commit is made directly, and when it found nothing to write, this waits for the writes H2 had
   * queued before (its serialisation and save threads each run their tasks in order, so a task
   * queued now ends after them). When the commit did write, it waited for its own write, which
   * follows those already queued, so no further wait is needed.
   */
  private void writeStore(Connection raw) throws SQLException {
    MVStore store = embeddedStore(raw);
    if (store == null) {
      // H2 as a server (jdbc:h2:tcp:): its store is in another process; this is all that can be
      // asked of it from here.
      try (Statement s = raw.createStatement()) {
        s.execute("CHECKPOINT");
      }
      return;
    }
    try {
      if (store.commit() < 0) {
        FileStore<?> file = store.getFileStore();
        if (file != null) {
          file.executeFileStoreOperation(NOTHING);
        }
      }
    } catch (RuntimeException e) {
      throw new SQLException("the commit could not be written to the database file", e);
    }
  }

  private static final Runnable NOTHING = () -> {};

  /**
   * The store of the embedded database behind {@code raw}, or null when H2 runs as a server. Asked
   * each time (a few field reads): once every connection is closed, H2 closes the database, and the
   * next connection opens a new one with a new store.
   */
  private static MVStore embeddedStore(Connection raw) throws SQLException {
    Session session = raw.unwrap(JdbcConnection.class).getSession();
    return session instanceof SessionLocal local
        ? local.getDatabase().getStore().getMvStore()
        : null;
  }

  private Connection wrap(Connection raw) {
    return (Connection)
        Proxy.newProxyInstance(
            DurableCommits.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(raw));
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection raw;
    private boolean wrote;

    ConnectionHandler(Connection raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "commit" -> {
          invokeOn(raw, method, args);
          if (wrote) {
            wrote = false;
            if (answering()) {
              awaitStoreWrite(raw);
            }
          }
          return null;
        }
        case "rollback" -> {
          if (args == null || args.length == 0) {
            wrote = false;
          }
          return invokeOn(raw, method, args);
        }
        case "unwrap" -> {
          return ((Class<?>) args[0]).isInstance(proxy) ? proxy : raw.unwrap((Class<?>) args[0]);
        }
        case "isWrapperFor" -> {
          return ((Class<?>) args[0]).isInstance(proxy) || raw.isWrapperFor((Class<?>) args[0]);
        }
        default -> {
          Object result = invokeOn(raw, method, args);
          if (result instanceof Statement statement
              && (name.equals("createStatement") || name.startsWith("prepare"))) {
            return wrapStatement(statement);
          }
          return result;
        }
      }
    }

    private Object wrapStatement(Statement statement) {
      Class<?> type =
          statement instanceof CallableStatement
              ? CallableStatement.class
              : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
      return Proxy.newProxyInstance(
          DurableCommits.class.getClassLoader(),
          new Class<?>[] {type},
          (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("unwrap")) {
              return ((Class<?>) args[0]).isInstance(proxy)
                  ? proxy
                  : statement.unwrap((Class<?>) args[0]);
            }
            if (name.equals("getConnection")) {
              return statement.getConnection();
            }
            Object result = invokeOn(statement, method, args);
            if (WRITES.contains(name)) {
              if (raw.getAutoCommit()) {
                if (answering()) {
                  awaitStoreWrite(raw);
                }
              } else {
                wrote = true;
              }
            }
            return result;
          });
    }
  }

  private static Object invokeOn(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // Kept here: Spring's DriverManagerDataSource refuses it, and Hikari reads it back as the
    // time to wait for its connection filler when the pool closes (0 made every close warn).
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }
}
