package dev.switchboard.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.storage.Samples;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads and deletes of other keys under one owner at once: a delete removes the owner's folder
 * while it is empty for a moment, also while an upload is creating its own folder in it, and that
 * upload must still be stored. A stress test: the window is narrow, so it shows the race only
 * probabilistically (without the retry around folder creation it failed within a second in each of
 * 3 runs on a 2-core machine).
 */
class LocalUploadRaceTest {

  static final byte[] PNG = Samples.png();

  @TempDir Path dir;

  @Test
  void acceptUploadWhenDeletesUnderTheSameOwnerRemoveItsFoldersMeanwhileThenEveryUploadStored()
      throws Exception {
    LocalObjectStorage local =
        new LocalObjectStorage(dir, URI.create("http://127.0.0.1:1"), Clock.systemUTC());
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> running = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        running.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 800 && failures.isEmpty(); i++) {
                    String key = "uploads/usr_race/" + UUID.randomUUID() + "/a.png";
                    try {
                      accept(
                          local,
                          key,
                          local.presignUpload(
                              key, "image/png", PNG.length, Duration.ofMinutes(10)));
                      assertThat(local.head(key)).isPresent();
                      local.delete(key);
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(failures).isEmpty();
  }

  private static void accept(LocalObjectStorage local, String key, PresignedRequest upload) {
    Map<String, String> query = new HashMap<>();
    for (String pair : upload.url().getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], kv[1]);
    }
    local.acceptUpload(
        key,
        query.get("expires"),
        query.get("signature"),
        "image/png",
        PNG.length,
        new ByteArrayInputStream(PNG));
  }
}
