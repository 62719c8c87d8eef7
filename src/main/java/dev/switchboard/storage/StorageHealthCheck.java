package dev.switchboard.storage;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;

/**
 * The storage box's check: the store's own check (bucket reachable, data dir writable), plus the
 * pending count.
 */
final class StorageHealthCheck implements HealthCheck {

  private final ObjectStorage storage;
  private final FileService files;

  StorageHealthCheck(ObjectStorage storage, FileService files) {
    this.storage = storage;
    this.files = files;
  }

  @Override
  public HealthResult check() {
    HealthResult store = storage.health();
    return new HealthResult(
        store.status(), store.detail() + "; pending uploads " + files.pendingCount());
  }
}
