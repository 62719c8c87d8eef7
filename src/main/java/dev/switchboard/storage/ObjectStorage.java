package dev.switchboard.storage;

import dev.switchboard.platform.integrations.HealthResult;
import java.time.Duration;
import java.util.Optional;

/**
 * Where uploaded bytes live. Keys are chosen by Switchboard ({@code
 * uploads/{owner}/{uuid}/{name}}), never by the client. Presigning is local work (no network); the
 * other methods make one round trip to the store.
 */
public interface ObjectStorage {

  /** The provider id used in config and on the map: {@code local}, {@code s3}, {@code r2}. */
  String id();

  /**
   * A URL the client PUTs the bytes to, valid for {@code validFor}. The content type and the exact
   * length are part of the signature: the store refuses a PUT with another {@code Content-Type} or
   * {@code Content-Length}.
   *
   * @param key the object key
   * @param contentType the type the client must send
   * @param length the exact number of bytes the client must send, at least 1
   * @param validFor how long the URL works
   * @return the URL with the method and the headers the client must send
   */
  PresignedRequest presignUpload(String key, String contentType, long length, Duration validFor);

  /**
   * A URL that downloads the object, valid for {@code validFor}, answered with {@code contentType}
   * and {@code disposition} as its {@code Content-Type} and {@code Content-Disposition}.
   *
   * @param disposition a full header value, e.g. {@code attachment; filename="report.pdf"}
   */
  PresignedRequest presignDownload(
      String key, String contentType, String disposition, Duration validFor);

  /**
   * The object's size and stored content type.
   *
   * @return empty when there is no object under the key
   * @throws StorageException when the store cannot be reached or refuses the credentials
   */
  Optional<StoredObject> head(String key);

  /**
   * Up to the first {@code maxBytes} bytes of the object (a ranged read), for type sniffing.
   *
   * @return empty when there is no object under the key
   * @throws StorageException when the store cannot be reached
   */
  Optional<byte[]> readPrefix(String key, int maxBytes);

  /**
   * Deletes the object; deleting a missing object is not an error.
   *
   * @throws StorageException when the store cannot be reached
   */
  void delete(String key);

  /**
   * Forgets what the store itself keeps about deleted keys once no upload URL for them can still be
   * valid. Called by the cleanup job; stores that keep nothing about deleted keys (S3, R2) have
   * nothing to do.
   *
   * @return how many keys were forgotten
   * @throws StorageException when the store cannot be reached
   */
  default int forgetDeletedKeys() {
    return 0;
  }

  /**
   * A cheap check that the store is usable with the configured credentials (bucket reachable, data
   * dir writable).
   *
   * @return up or down with a short detail, never a secret
   */
  HealthResult health();
}
