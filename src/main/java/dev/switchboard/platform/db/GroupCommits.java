package dev.switchboard.platform.db;

import dev.switchboard.platform.config.DatabaseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Makes the {@link GroupCommit} lanes of the hot write paths (webhook intake, presign, single email
 * sends, analytics ingest) on the application's transaction manager and metrics registry.
 */
public final class GroupCommits {

  /** Inputs (by weight) per group unless a lane says otherwise. */
  public static final int MAX_GROUP = 256;

  /** How long a request waits to be taken into a group before it is refused with 503. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** Groups a lane writes and commits at once at most, whatever the pool. */
  public static final int MAX_IN_FLIGHT = 4;

  /**
   * Inputs (by weight) that must be waiting before a lane writes another group beside those in
   * flight: fewer wait for the next commit and go in one group (see {@link GroupCommit}).
   */
  public static final int MIN_OVERLAP = 8;

  /**
   * How long a queued request waits for the groups in flight before its queue is written beside
   * them whatever its size: far above a commit under load (milliseconds), so it changes nothing
   * while groups commit, and bounds the wait behind one that is held up.
   */
  public static final Duration OVERLAP_AFTER = Duration.ofMillis(100);

  private final PlatformTransactionManager transactions;
  private final MeterRegistry meters;
  private final int inFlight;

  /**
   * @param inFlight groups each lane writes at once, each on a connection of its own (1: one group
   *     at a time)
   */
  public GroupCommits(PlatformTransactionManager transactions, MeterRegistry meters, int inFlight) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.meters = Objects.requireNonNull(meters, "meters");
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be at least 1, got " + inFlight);
    }
    this.inFlight = inFlight;
  }

  /** Lanes without metrics (tests and tools), with the groups in flight of a default pool. */
  public static GroupCommits of(PlatformTransactionManager transactions) {
    return new GroupCommits(transactions, new CompositeMeterRegistry(), inFlight(10));
  }

  /**
   * Groups in flight per lane for a connection pool of this size: a third of it, 1 to {@link
   * #MAX_IN_FLIGHT} (the default pool of 10: 3). Job workers and other requests keep the rest; a
   * lane that had every connection would make them wait for one.
   */
  public static int inFlight(int poolSize) {
    return Math.max(1, Math.min(MAX_IN_FLIGHT, poolSize / 3));
  }

  /**
   * As {@link #inFlight(int)} on PostgreSQL, where a commit waits for its WAL flush and commits
   * issued together share one. One on H2: its commits share the store writes already ({@link
   * DurableCommits}), the embedded database is bound by CPU, and several smaller groups cost more
   * per request (single analytics {@code track} calls: 380–430 µs of CPU with one group in flight,
   * 560–620 µs with three, in one sitting).
   */
  public static int inFlight(DatabaseConfig.Kind database, int poolSize) {
    return database == DatabaseConfig.Kind.POSTGRESQL ? inFlight(poolSize) : 1;
  }

  /** Groups each lane writes and commits at once at most. */
  public int inFlight() {
    return inFlight;
  }

  /**
   * A lane whose inputs weigh one each and which joins a transaction the caller already has.
   *
   * @param name the lane's metric tag, such as {@code webhooks}
   */
  public <I, O> GroupCommit<I, O> lane(String name, GroupCommit.Writer<I, O> writer) {
    return new GroupCommit<>(
        name,
        transactions,
        meters,
        writer,
        input -> 1,
        MAX_GROUP,
        true,
        MAX_WAIT,
        inFlight,
        MIN_OVERLAP,
        OVERLAP_AFTER);
  }

  /**
   * A lane that always writes in a transaction of its own, even when the caller has one, with
   * inputs of several rows each (a request's rows are never split across groups).
   *
   * @param weight the rows an input writes
   * @param maxGroup rows per group at most (a single heavier input is written alone)
   */
  public <I, O> GroupCommit<I, O> ownTransactionLane(
      String name, GroupCommit.Writer<I, O> writer, ToIntFunction<I> weight, int maxGroup) {
    return new GroupCommit<>(
        name,
        transactions,
        meters,
        writer,
        weight,
        maxGroup,
        false,
        MAX_WAIT,
        inFlight,
        MIN_OVERLAP,
        OVERLAP_AFTER);
  }
}
