package dev.switchboard.storage;

import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every 15 minutes: deletes uploads never completed, and rejected ones, after {@link
 * FileService#PENDING_RETENTION} (row, then object); deletes again the objects of deleted and
 * rejected uploads once their upload URL can no longer be used and once more when the pending
 * retention ends (the S3 and R2 URL may have stored them again, also by a slow upload), then
 * forgets those keys; and lets the store forget its own records of deleted keys (the local
 * provider's markers). Several instances running it at once is harmless: deleting twice deletes
 * nothing more.
 */
public class PendingUploadCleanup {

  static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(PendingUploadCleanup.class);

  private final FileService files;
  private final ObjectStorage storage;

  private final int batch;

  PendingUploadCleanup(FileService files, ObjectStorage storage) {
    this(files, storage, BATCH);
  }

  /**
   * With another batch size, so tests can show what happens past a batch without thousands of rows.
   */
  PendingUploadCleanup(FileService files, ObjectStorage storage, int batch) {
    this.files = files;
    this.storage = storage;
    this.batch = batch;
  }

  /** Runs once; returns how many uploads were removed or swept. */
  @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT15M")
  public int run() {
    int removed = drain("abandoned uploads", files::deleteAbandoned);
    int swept = drain("objects of deleted uploads", files::sweepTombstones);
    try {
      int forgotten = storage.forgetDeletedKeys();
      if (forgotten > 0) {
        log.info("Forgot {} deleted keys in the {} store", forgotten, storage.id());
      }
    } catch (RuntimeException e) {
      log.warn("Forgetting deleted keys failed: {}", e.toString());
    }
    return removed + swept;
  }

  /**
   * Each step on its own: the store or the database may be briefly away, and the next run catches
   * up. A batch that did not finish whole ends the step for this run, so a store that is away costs
   * one batch of attempts per run.
   */
  private int drain(String what, IntUnaryOperator step) {
    int total = 0;
    try {
      int done;
      do {
        done = step.applyAsInt(batch);
        total += done;
      } while (done >= batch);
    } catch (RuntimeException e) {
      log.warn("Cleanup of {} failed: {}", what, e.toString());
    }
    if (total > 0) {
      log.info("Cleaned up {} {}", total, what);
    }
    return total;
  }
}
