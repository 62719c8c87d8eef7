package dev.switchboard.platform.db;

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

  private final PlatformTransactionManager transactions;
  private final MeterRegistry meters;

  public GroupCommits(PlatformTransactionManager transactions, MeterRegistry meters) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** Lanes without metrics (tests and tools). */
  public static GroupCommits of(PlatformTransactionManager transactions) {
    return new GroupCommits(transactions, new CompositeMeterRegistry());
  }

  /**
   * A lane whose inputs weigh one each and which joins a transaction the caller already has.
   *
   * @param name the lane's metric tag, such as {@code webhooks}
   */
  public <I, O> GroupCommit<I, O> lane(String name, GroupCommit.Writer<I, O> writer) {
    return new GroupCommit<>(
        name, transactions, meters, writer, input -> 1, MAX_GROUP, true, MAX_WAIT);
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
    return new GroupCommit<>(name, transactions, meters, writer, weight, maxGroup, false, MAX_WAIT);
  }
}
