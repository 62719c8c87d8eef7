package dev.switchboard.analytics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The event ids this process has drawn and not committed yet, so that a reader paging by id never
 * steps past one of them.
 *
 * <p>Ids are drawn from the table's sequence at insert and become visible at commit. Several
 * transactions of this process write events at once (the ingest lane commits several groups
 * together, and an account's {@code signed_up} commits with the account), so a higher id can become
 * visible while a lower one is still being written; a reader that moved its cursor past the higher
 * one would never see the lower one. Every write registers before it draws ({@link #begin}), says
 * the lowest id it drew once its first insert returned ({@link #drew}) and ends with its
 * transaction ({@link #end}). A reader opens a {@link Read} before its query and, after it, learns
 * the lowest id any write overlapping the query may have drawn ({@link #bound}): rows from there on
 * are left for its next page.
 *
 * <p>Why that is enough: an id below a visible one was drawn earlier (the sequence only grows), so
 * the write that drew it had registered before the visible row was written, hence before the query
 * ran; if it was still uncommitted then, it was in flight when the read opened or registered while
 * it was open, and its lowest id bounds the page. Writes of other instances sharing the database
 * are not seen here; readers hold back recent events for them ({@link EventForwarder}'s settle
 * time).
 *
 * <p>Each write in flight also gets a stripe, a small number no other write in flight here has: the
 * hourly counts are kept per stripe, so writes committing at once never wait for each other's
 * counter rows.
 */
final class UncommittedIds {

  /** A write's lowest id before its first insert returned. */
  private static final long UNKNOWN = Long.MAX_VALUE;

  private final Object lock = new Object();
  private final List<Write> writes = new ArrayList<>();
  private final List<Read> reads = new ArrayList<>();
  private final BitSet stripes = new BitSet();

  /** One transaction writing events. */
  static final class Write {
    final int stripe;

    /** Guarded by the lock. */
    private long lowest = UNKNOWN;

    /** Guarded by the lock: its transaction has ended. */
    private boolean ended;

    private Write(int stripe) {
      this.stripe = stripe;
    }
  }

  /** A reader's query: the writes that overlapped it. */
  static final class Read {
    private final List<Write> overlapping = new ArrayList<>();
  }

  /** Registers a write before it draws any id. */
  Write begin() {
    synchronized (lock) {
      int stripe = stripes.nextClearBit(0);
      stripes.set(stripe);
      Write write = new Write(stripe);
      writes.add(write);
      for (Read read : reads) {
        read.overlapping.add(write);
      }
      return write;
    }
  }

  /** The write drew ids from {@code lowest} on (a lower bound will do). */
  void drew(Write write, long lowest) {
    synchronized (lock) {
      if (lowest < write.lowest) {
        write.lowest = lowest;
        lock.notifyAll();
      }
    }
  }

  /** The write's transaction committed or rolled back. */
  void end(Write write) {
    synchronized (lock) {
      if (!write.ended) {
        write.ended = true;
        writes.remove(write);
        stripes.clear(write.stripe);
        lock.notifyAll();
      }
    }
  }

  /** Opens a read; call before the query. */
  Read open() {
    synchronized (lock) {
      Read read = new Read();
      read.overlapping.addAll(writes);
      reads.add(read);
      return read;
    }
  }

  /**
   * Closes a read; call after the query.
   *
   * @param waitMillis how long to wait for a write that has not said its lowest id yet (its first
   *     insert is under way)
   * @return the lowest id a write overlapping the query may have drawn: the query's rows from this
   *     id on may hide a lower id still being written; {@link Long#MAX_VALUE} when none. {@link
   *     Long#MIN_VALUE} when a write did not say in time: nothing of the page is safe.
   */
  long close(Read read, long waitMillis) {
    long deadline = System.nanoTime() + waitMillis * 1_000_000;
    synchronized (lock) {
      try {
        while (true) {
          long bound = Long.MAX_VALUE;
          boolean unknown = false;
          for (Write write : read.overlapping) {
            if (write.lowest != UNKNOWN) {
              bound = Math.min(bound, write.lowest);
            } else if (!write.ended) {
              unknown = true;
            }
            // Ended without a known id: it drew nothing that became visible.
          }
          if (!unknown) {
            return bound;
          }
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            return Long.MIN_VALUE;
          }
          try {
            lock.wait(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Long.MIN_VALUE;
          }
        }
      } finally {
        reads.remove(read);
      }
    }
  }

  /** Writes in flight now (for tests). */
  int inFlight() {
    synchronized (lock) {
      return writes.size();
    }
  }
}
