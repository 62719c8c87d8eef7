package dev.switchboard.storage.s3;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.storage.ObjectStorage;
import dev.switchboard.storage.ObjectStorageContract;
import dev.switchboard.testing.S3MockProcess;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same adapter as R2 configures it: region {@code auto}, an endpoint override, path-style,
 * checksums only when required. S3Mock stands in for R2's S3 API.
 */
class R2ObjectStorageIT extends ObjectStorageContract {

  static S3ObjectStorage storage;

  @BeforeAll
  static void start() throws Exception {
    storage =
        new S3ObjectStorage(
            "r2",
            S3MockProcess.BUCKET,
            "auto",
            Optional.of(S3MockProcess.shared().endpoint()),
            "r2accesskeyid0123456789",
            Secret.of("r2-test-secret-value"),
            Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    storage.close();
  }

  @Override
  protected ObjectStorage storage() {
    return storage;
  }
}
