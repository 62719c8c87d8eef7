package dev.switchboard.platform.db;

import dev.switchboard.platform.http.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for one hot write path: concurrent requests' rows are written in one transaction and
 * each request returns after that shared commit, so an answer still means its rows are durable (on
 * H2 too: the commit waits for the store write, {@link DurableCommits}), while N overlapping
 * requests cost one commit instead of N.
 *
 * <p>No thread of its own: a request queues its input; if no group is being written, it takes
 * everything queued (up to the lane's maximum) and writes it on a connection of its own, otherwise
 * it parks. A further group is written beside those in flight (up to the lane's groups in flight)
 * only once the queue holds at least {@code minOverlap} (by weight): on PostgreSQL a commit waits
 * for its WAL flush, and commits issued together share a flush, so a lane is not bound by one flush
 * at a time; but every group is a transaction of its own (a connection checkout, begin, statement,
 * commit, and the server's work for each), and on a machine bound by CPU a request that started a
 * group alone whenever a place was free made several small groups where one would do (presign on
 * PostgreSQL: about 600 µs of server CPU a request with three groups in flight, 365 with one). The
 * writer of a group wakes exactly its requests after the commit and hands its place to the request
 * at the head of the queue, which writes the next group (no herd of waiters woken per commit); a
 * writer with other groups still in flight hands it over only when the queue holds {@code
 * minOverlap}, and otherwise leaves the queue to the last of them, which always takes it. A request
 * queued longer than {@code overlapAfter} writes the queue beside the groups in flight whatever its
 * size, if a place is free: a group held up (by a row lock, say) delays the requests behind it by
 * that much at most, not until enough others arrive. A lone request writes at once, as it did
 * without the lane.
 *
 * <p>Groups of one lane may therefore commit in any order. A reader that pages by an id drawn at
 * insert must not pass an id still being written: analytics' forwarding cursor reads below the
 * lowest id of its writes in flight ({@code analytics.UncommittedIds}).
 *
 * <p>A failing input does not fail the others: when the group's transaction throws, it is rolled
 * back and each input is written again in a transaction of its own, so each request gets exactly
 * the outcome it would have had alone (savepoints would cost two more statements per input on every
 * group to save work only when something fails). Waiting is bounded: the queue holds at most four
 * groups' worth, and a request not taken into a group within {@link GroupCommits#MAX_WAIT} is
 * refused with a retryable 503 {@code database_busy}, nothing written. Once taken, it waits for its
 * group's outcome, which the database's own timeouts bound.
 */
public final class GroupCommit<I, O> {

  /** Writes a group's inputs in the open transaction. */
  @FunctionalInterface
  public interface Writer<I, O> {
    /**
     * @param inputs one or more requests' inputs, in arrival order
     * @return one output per input, in the same order
     */
    List<O> write(List<I> inputs);
  }

  private final String name;
  private final TransactionTemplate transactions;
  private final Writer<I, O> writer;
  private final ToIntFunction<I> weight;
  private final int maxGroup;
  private final int maxQueued;
  private final boolean joinsCaller;
  private final long maxWaitNanos;
  private final int maxWriters;
  private final int minOverlap;
  private final long overlapAfterNanos;

  private final Object lock = new Object();
  private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
  private int queuedWeight;
  private int spaceWaiters;

  /**
   * Threads writing a group, or handed a place to write the next one; at most {@link #maxWriters}.
   */
  private int writers;

  /** A taken request is woken by its writer; this only bounds a missed wake-up. */
  private static final long PARK_TAKEN_NANOS = 1_000_000_000L;

  private final DistributionSummary groupSize;
  private final Counter writtenAlone;
  private final Counter refused;

  GroupCommit(
      String name,
      PlatformTransactionManager transactions,
      MeterRegistry meters,
      Writer<I, O> writer,
      ToIntFunction<I> weight,
      int maxGroup,
      boolean joinsCaller,
      Duration maxWait,
      int maxWriters,
      int minOverlap,
      Duration overlapAfter) {
    if (maxGroup < 1) {
      throw new IllegalArgumentException("maxGroup must be at least 1, got " + maxGroup);
    }
    if (maxWriters < 1) {
      throw new IllegalArgumentException("maxWriters must be at least 1, got " + maxWriters);
    }
    if (minOverlap < 1) {
      throw new IllegalArgumentException("minOverlap must be at least 1, got " + minOverlap);
    }
    this.maxWriters = maxWriters;
    // A lane whose groups are smaller still overlaps once a whole group waits.
    this.minOverlap = Math.min(minOverlap, maxGroup);
    this.overlapAfterNanos = overlapAfter.toNanos();
    this.name = name;
    this.transactions = new TransactionTemplate(transactions);
    // Its own transaction always: the group may hold other requests' rows.
    this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.writer = writer;
    this.weight = weight;
    this.maxGroup = maxGroup;
    this.maxQueued = 4 * maxGroup;
    this.joinsCaller = joinsCaller;
    this.maxWaitNanos = maxWait.toNanos();
    this.groupSize =
        DistributionSummary.builder("switchboard.db.group.size")
            .description("Requests written per group commit")
            .tag("lane", name)
            .register(meters);
    this.writtenAlone =
        Counter.builder("switchboard.db.group.retried")
            .description("Groups rolled back and written again one request at a time")
            .tag("lane", name)
            .register(meters);
    this.refused =
        Counter.builder("switchboard.db.group.refused")
            .description("Requests refused because the lane stayed full")
            .tag("lane", name)
            .register(meters);
  }

  /**
   * Writes one request's input and returns after the commit that made it durable. When the lane
   * joins callers and the calling thread is in a transaction already, the input is written in it,
   * now: it commits or rolls back with the caller's own work, as before.
   *
   * @return the writer's output for this input
   * @throws ApiException 503 {@code database_busy} when it could not be taken into a group in time;
   *     nothing is written then. Otherwise whatever the writer throws for this input alone.
   */
  public O write(I input) {
    if (joinsCaller && TransactionSynchronizationManager.isActualTransactionActive()) {
      return only(writer.write(List.of(input)));
    }
    Pending<I, O> mine =
        new Pending<>(
            input, weight.applyAsInt(input), DurableCommits.answering(), Thread.currentThread());
    long queuedAt = System.nanoTime();
    long deadline = queuedAt + maxWaitNanos;
    List<Pending<I, O>> group = null;
    synchronized (lock) {
      if (queue.isEmpty() && writers == 0) {
        // Nothing queued and nothing being written: this request writes its group at once, without
        // going through the queue.
        writers++;
        mine.taken = true;
        group = new ArrayList<>(1);
        group.add(mine);
      } else {
        while (queuedWeight > 0 && queuedWeight + mine.weight > maxQueued) {
          waitForSpace(deadline);
        }
        queue.add(mine);
        queuedWeight += mine.weight;
        if (writers == 0 || writers < maxWriters && queuedWeight >= minOverlap) {
          writers++;
          group = take(null);
        }
      }
    }
    boolean interrupted = false;
    try {
      while (true) {
        if (group != null) {
          lead(group);
          group = null;
        }
        if (mine.done) {
          return mine.outcome();
        }
        long now = System.nanoTime();
        long left = deadline - now;
        long waited = now - queuedAt;
        synchronized (lock) {
          if (mine.lead) {
            // A writer handed its place over: this request, taken out of the queue then, leads the
            // next group with whatever has queued since.
            mine.lead = false;
            group = take(mine);
            continue;
          }
          if (!mine.taken && left <= 0) {
            queue.remove(mine);
            queuedWeight -= mine.weight;
            throw refuse();
          }
          if (!mine.taken && writers < maxWriters && waited >= overlapAfterNanos) {
            // The groups in flight take longer than a commit should (one held up by a lock, say):
            // the queue no longer waits for them, whatever its size.
            writers++;
            group = take(null);
            continue;
          }
        }
        // Each waiter is woken alone: when its group is committed, or when it is to write the next;
        // a queued one also once it has waited overlapAfter, and every overlapAfter after that, to
        // see whether a place is free (a writer ending beside a held-up group wakes no one).
        LockSupport.parkNanos(
            this,
            mine.taken
                ? PARK_TAKEN_NANOS
                : Math.max(
                    1,
                    Math.min(
                        left,
                        waited < overlapAfterNanos
                            ? overlapAfterNanos - waited
                            : overlapAfterNanos)));
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes a group, wakes its requests, and hands its place to the head of the queue, if any. */
  private void lead(List<Pending<I, O>> group) {
    try {
      writeGroup(group);
    } finally {
      Pending<I, O> next = null;
      synchronized (lock) {
        for (Pending<I, O> p : group) {
          if (!p.done) {
            // Only when the write itself broke down (an Error): no request waits forever.
            p.finish(null, new IllegalStateException("lane " + name + ": the group write failed"));
          }
        }
        if (queue.isEmpty() || writers > 1 && queuedWeight < minOverlap) {
          // With other groups still in flight a small queue waits for the last of them: one group
          // of it rather than one per writer finishing.
          writers--;
        } else {
          // Out of the queue at once: another writer finishing now hands its place to the next one.
          next = queue.poll();
          next.taken = true;
          queuedWeight -= next.weight;
          next.lead = true;
        }
      }
      Thread self = Thread.currentThread();
      for (Pending<I, O> p : group) {
        // Not this thread: a permit left on it would end its next park at once, wherever that is
        // (Tomcat's wait for the next request), for a wasted round.
        if (p.thread != self) {
          LockSupport.unpark(p.thread);
        }
      }
      if (next != null) {
        LockSupport.unpark(next.thread);
      }
    }
  }

  /** Waits for room in the queue (rare: four groups' worth are queued); refuses at the deadline. */
  private void waitForSpace(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw refuse();
    }
    spaceWaiters++;
    try {
      lock.wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refuse();
    } finally {
      spaceWaiters--;
    }
  }

  private ApiException refuse() {
    refused.increment();
    return new ApiException(
        503,
        "database_busy",
        "The database is not keeping up; retry shortly.",
        true,
        null,
        Map.of("Retry-After", "1"));
  }

  /**
   * Everything queued, up to a group's weight; at least one request however heavy.
   *
   * @param leader the request handed a writer's place (already out of the queue), or null
   */
  private List<Pending<I, O>> take(Pending<I, O> leader) {
    List<Pending<I, O>> group = new ArrayList<>(Math.min(queue.size() + 1, maxGroup));
    int total = 0;
    if (leader != null) {
      group.add(leader);
      total = leader.weight;
    }
    int fromQueue = 0;
    while (!queue.isEmpty() && (group.isEmpty() || total + queue.peek().weight <= maxGroup)) {
      Pending<I, O> next = queue.poll();
      next.taken = true;
      total += next.weight;
      fromQueue += next.weight;
      group.add(next);
    }
    queuedWeight -= fromQueue;
    if (spaceWaiters > 0) {
      lock.notifyAll();
    }
    return group;
  }

  private void writeGroup(List<Pending<I, O>> group) {
    if (!DurableCommits.answering() && anyAnswering(group)) {
      // A request that answers a client is in the group: the commit must reach the file first.
      try {
        DurableCommits.answering(() -> writeGroupNow(group));
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    } else {
      writeGroupNow(group);
    }
  }

  private void writeGroupNow(List<Pending<I, O>> group) {
    groupSize.record(group.size());
    List<I> inputs;
    if (group.size() == 1) {
      inputs = Collections.singletonList(group.get(0).input);
    } else {
      inputs = new ArrayList<>(group.size());
      for (Pending<I, O> p : group) {
        inputs.add(p.input);
      }
    }
    List<O> outputs;
    try {
      outputs = transactions.execute(status -> writer.write(inputs));
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        finish(group.get(0), null, e);
        return;
      }
      writtenAlone.increment();
      for (Pending<I, O> p : group) {
        try {
          finish(p, transactions.execute(status -> only(writer.write(List.of(p.input)))), null);
        } catch (RuntimeException alone) {
          finish(p, null, alone);
        }
      }
      return;
    } catch (Error e) {
      group.forEach(p -> finish(p, null, e));
      throw e;
    }
    if (outputs == null || outputs.size() != group.size()) {
      IllegalStateException wrong =
          new IllegalStateException(
              "lane " + name + ": the writer returned no output per input for " + group.size());
      group.forEach(p -> finish(p, null, wrong));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      finish(group.get(i), outputs.get(i), null);
    }
  }

  private static boolean anyAnswering(List<? extends Pending<?, ?>> group) {
    for (Pending<?, ?> p : group) {
      if (p.answering) {
        return true;
      }
    }
    return false;
  }

  private void finish(Pending<I, O> p, O output, Throwable failure) {
    p.finish(output, failure);
  }

  private O only(List<O> outputs) {
    if (outputs == null || outputs.size() != 1) {
      throw new IllegalStateException("lane " + name + ": the writer returned no single output");
    }
    return outputs.get(0);
  }

  /** One request's input, its waiting thread and, once its group is written, its outcome. */
  private static final class Pending<I, O> {
    final I input;
    final int weight;
    final boolean answering;
    final Thread thread;

    /** Guarded by the lane's lock; read without it only to choose how long to park. */
    volatile boolean taken;

    /** Guarded by the lane's lock: this request is to write the next group. */
    boolean lead;

    private O output;
    private Throwable failure;
    volatile boolean done;

    Pending(I input, int weight, boolean answering, Thread thread) {
      this.input = input;
      this.weight = Math.max(1, weight);
      this.answering = answering;
      this.thread = thread;
    }

    void finish(O output, Throwable failure) {
      this.output = output;
      this.failure = failure;
      this.done = true; // publishes output and failure
    }

    O outcome() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return output;
    }
  }
}
