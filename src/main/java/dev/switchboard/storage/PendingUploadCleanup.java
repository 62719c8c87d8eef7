package dev.switchboard.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes uploads never completed, and rejected ones, after {@link FileService#PENDING_RETENTION} (row, then object)
 * every 15 minutes. Several instances running it at once is harmless: deleting twice deletes nothing more. Objects
 * whose row is already gone are not found here (see docs/storage.md, Cleanup).
 */
public class PendingUploadCleanup {

  static final int BATCH = 500;
  private static final Logger log = LoggerFactory.getLogger(PendingUploadCleanup.class);

  private final FileService files;

  PendingUploadCleanup(FileService files) {
    this.files = files;
  }

  /** Runs once; returns how many files were removed. */
  @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT15M")
  public int run() {
    try {
      int removed = 0;
      int batch;
      do {
        batch = files.deleteAbandoned(BATCH);
        removed += batch;
      } while (batch >= BATCH);
      if (removed > 0) {
        log.info("Deleted {} abandoned uploads", removed);
      }
      return removed;
    } catch (RuntimeException e) {
      // The store or the database may be briefly away; the next run catches up.
      log.warn("Abandoned upload cleanup failed: {}", e.toString());
      return 0;
    }
  }
}
