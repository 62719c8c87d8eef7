package dev.switchboard.storage.local;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.storage.FileService;
import dev.switchboard.storage.ObjectStorage;
import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.storage.StorageException;
import dev.switchboard.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The embedded default: objects are files under {@code <data dir>/storage/objects}, and presigned
 * URLs point at Switchboard itself ({@link LocalStorageRoutes}), signed with HMAC-SHA256 like S3's
 * query-string authentication
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): the method, key,
 * expiry and, for uploads, the {@code Content-Type} and {@code Content-Length} the client sends are
 * signed, so a PUT with another type or length is refused just as S3 refuses it, and an expired or
 * edited URL is refused too. Unlike a bucket, an object is written once: a second PUT to the same
 * URL is refused, so bytes checked at completion cannot be swapped afterwards. A deleted key keeps
 * an empty marker under {@code storage/deleted}, so a still-valid upload URL cannot store an object
 * again after a rejection or a delete, where no row would point at it. A marker is kept {@link
 * #MARKER_RETENTION}, then {@link #forgetDeletedKeys} removes it.
 */
public final class LocalObjectStorage implements ObjectStorage {

  public static final String ID = "local";

  /** Where {@link LocalStorageRoutes} answers; outside {@code /api}, as a bucket is. */
  public static final String PATH = "/storage/local/";

  /** The longest upload URL signed here; it bounds how long a deleted key's marker is needed. */
  public static final Duration MAX_UPLOAD_VALIDITY = FileService.UPLOAD_URL_VALIDITY;

  /**
   * How long after its URL expired an upload may still finish arriving. A later one is refused
   * before it is stored: the key's marker may be pruned by then (see {@link #MARKER_RETENTION}),
   * and the check after the move relies on it.
   */
  public static final Duration UPLOAD_DEADLINE_AFTER_EXPIRY = Duration.ofMinutes(10);

  /**
   * How long a deleted key's marker is kept: a URL signed before the delete expires at most {@link
   * #MAX_UPLOAD_VALIDITY} after it, its body must end within {@link #UPLOAD_DEADLINE_AFTER_EXPIRY}
   * after that, and {@link FileService#URL_EXPIRY_MARGIN} covers the clocks of instances sharing
   * the data dir (the marker is stamped by the deleting instance, the deadline checked and the
   * marker pruned by others): 10 + 10 + 15 minutes.
   */
  public static final Duration MARKER_RETENTION =
      MAX_UPLOAD_VALIDITY.plus(UPLOAD_DEADLINE_AFTER_EXPIRY).plus(FileService.URL_EXPIRY_MARGIN);

  private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$");

  private final Path objects;
  private final Path types;
  private final Path deleted;
  private final URI publicUrl;

  /** The HMAC-SHA256 key's bytes (a {@code SecretKeySpec} would copy them for every signature). */
  private final byte[] keyBytes;

  private final Clock clock;

  public LocalObjectStorage(Path storageDir, URI publicUrl, Clock clock) {
    this.objects = storageDir.resolve("objects").toAbsolutePath().normalize();
    this.types = storageDir.resolve("types").toAbsolutePath().normalize();
    this.deleted = storageDir.resolve("deleted").toAbsolutePath().normalize();
    this.publicUrl = publicUrl;
    this.keyBytes = LocalSigningKey.loadOrCreate(storageDir).clone();
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public PresignedRequest presignUpload(
      String key, String contentType, long length, Duration validFor) {
    if (validFor.compareTo(MAX_UPLOAD_VALIDITY) > 0) {
      // A longer URL would outlive the marker that keeps it from storing a deleted key again.
      throw new IllegalArgumentException(
          "upload URLs are valid for at most " + MAX_UPLOAD_VALIDITY);
    }
    Instant expires = expiry(validFor);
    String signature = sign("PUT", key, expires, contentType, Long.toString(length));
    URI url = signedUrl(key, expires, "", signature);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Content-Length", Long.toString(length));
    return new PresignedRequest(url, "PUT", headers, expires);
  }

  @Override
  public PresignedRequest presignDownload(
      String key, String contentType, String disposition, Duration validFor) {
    Instant expires = expiry(validFor);
    String signature = sign("GET", key, expires, contentType, disposition);
    URI url =
        signedUrl(
            key,
            expires,
            "&type=" + encode(contentType) + "&disposition=" + encode(disposition),
            signature);
    return new PresignedRequest(url, "GET", Map.of(), expires);
  }

  /**
   * {@code <public url><PATH><key>?expires=…<query>&signature=…}, the URL {@link #acceptUpload} and
   * {@link #openDownload} check.
   */
  private URI signedUrl(String key, Instant expires, String query, String signature) {
    return URI.create(
        publicUrl
            + PATH
            + checkedKey(key)
            + "?expires="
            + expires.getEpochSecond()
            + query
            + "&signature="
            + signature);
  }

  @Override
  public Optional<StoredObject> head(String key) {
    Path file = object(key);
    try {
      long size = Files.size(file);
      return Optional.of(new StoredObject(size, storedType(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " in the local store", true, e);
    }
  }

  @Override
  public Optional<byte[]> readPrefix(String key, int maxBytes) {
    try (InputStream in = Files.newInputStream(object(key))) {
      return Optional.of(in.readNBytes(maxBytes));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " in the local store", true, e);
    }
  }

  /**
   * Leaves a marker first, so an upload racing with the delete sees it after storing and removes
   * its bytes. The folders the delete leaves empty go too: each upload has a folder of its own,
   * which would otherwise pile up.
   */
  @Override
  public void delete(String key) {
    try {
      mark(key);
      Files.deleteIfExists(object(key));
      Files.deleteIfExists(type(key));
      removeEmptyFolders(objects, object(key).getParent());
      removeEmptyFolders(types, type(key).getParent());
    } catch (IOException e) {
      throw new StorageException("cannot delete " + key + " in the local store", true, e);
    }
  }

  /**
   * Removes the markers of keys deleted more than {@link #MARKER_RETENTION} ago (no upload to them
   * can still be stored by then, on any instance whose clock is within the margin), and the folders
   * they leave empty.
   */
  @Override
  public int forgetDeletedKeys() {
    Instant before = clock.instant().minus(MARKER_RETENTION);
    try {
      return DeletedMarkers.prune(deleted, before);
    } catch (IOException e) {
      throw new StorageException("cannot prune deleted-key markers in the local store", true, e);
    }
  }

  @Override
  public HealthResult health() {
    try {
      Files.createDirectories(objects);
      Path probe = Files.createTempFile(objects, ".health-", ".tmp");
      Files.delete(probe);
      return HealthResult.up("data dir writable");
    } catch (IOException | RuntimeException e) {
      return HealthResult.down("data dir not writable: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Stores a PUT sent to a presigned URL, after checking its signature against the headers it
   * arrived with. The bytes go to a temporary file first, so an interrupted upload leaves nothing
   * behind.
   *
   * @throws ApiException 403 {@code url_expired} or {@code signature_mismatch} (also when the body
   *     finished arriving more than {@link #UPLOAD_DEADLINE_AFTER_EXPIRY} after the expiry; nothing
   *     is stored then), 411 {@code length_required}, 400 {@code incomplete_body} when fewer bytes
   *     arrive than announced
   */
  void acceptUpload(
      String key,
      String expires,
      String signature,
      String contentType,
      long contentLength,
      InputStream body) {
    if (contentLength < 0) {
      throw new ApiException(
          411, "length_required", "Send the exact Content-Length the upload URL was made for.");
    }
    Instant expiresAt = checkExpiry(expires);
    String expected =
        sign(
            "PUT",
            checkedKey(key),
            expiresAt,
            contentType == null ? "" : contentType,
            Long.toString(contentLength));
    checkSignature(expected, signature);
    if (Files.exists(object(key)) || Files.exists(tombstone(key))) {
      throw alreadyUploaded();
    }
    try {
      Path temp =
          inFolder(
              object(key).getParent(),
              () -> Files.createTempFile(object(key).getParent(), ".upload-", ".tmp"));
      boolean moved = false;
      try {
        long copied;
        try (OutputStream out = Files.newOutputStream(temp)) {
          copied = body.transferTo(out);
        }
        if (copied != contentLength) {
          throw new ApiException(
              400,
              "incomplete_body",
              "The body ended after " + copied + " of " + contentLength + " bytes.");
        }
        if (!clock.instant().isBefore(expiresAt.plus(UPLOAD_DEADLINE_AFTER_EXPIRY))) {
          // The key's marker may be pruned by now, so the check after the move could no longer see
          // a delete.
          throw new ApiException(
              403,
              "url_expired",
              "The upload arrived too long after its signed URL expired; ask for a new one.");
        }
        // The type first, so an object never exists without it: complete refuses an object with no
        // recorded type,
        // and a PUT that fails here can be sent again, where a failure after the move would leave a
        // 409.
        inFolder(type(key).getParent(), () -> Files.writeString(type(key), contentType));
        try {
          Files.move(temp, object(key));
          moved = true;
        } catch (FileAlreadyExistsException e) {
          throw alreadyUploaded();
        }
        if (Files.exists(tombstone(key))) {
          delete(key);
          throw alreadyUploaded();
        }
      } finally {
        Files.deleteIfExists(temp);
        if (!moved) {
          removeFoldersOfRefused(key);
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + key + " in the local store", true, e);
    }
  }

  /**
   * Opens an object for a GET sent to a presigned download URL.
   *
   * @throws ApiException 403 {@code url_expired} or {@code signature_mismatch}, 404 {@code
   *     not_found}
   */
  Download openDownload(
      String key, String expires, String contentType, String disposition, String signature) {
    Instant expiresAt = checkExpiry(expires);
    String expected =
        sign("GET", checkedKey(key), expiresAt, nullToEmpty(contentType), nullToEmpty(disposition));
    checkSignature(expected, signature);
    Path file = object(key);
    try {
      return new Download(Files.newInputStream(file), Files.size(file), contentType, disposition);
    } catch (NoSuchFileException e) {
      throw ApiException.notFound("object");
    } catch (IOException e) {
      throw new StorageException("cannot read " + key + " in the local store", true, e);
    }
  }

  /** An open object and the headers it is served with. */
  record Download(InputStream body, long length, String contentType, String disposition) {}

  private Instant expiry(Duration validFor) {
    return clock.instant().plus(validFor).plusMillis(999).truncatedTo(ChronoUnit.SECONDS);
  }

  private Instant checkExpiry(String expires) {
    long epoch;
    try {
      epoch = Long.parseLong(expires == null ? "" : expires);
    } catch (NumberFormatException e) {
      throw new ApiException(403, "signature_mismatch", "The URL is not a valid signed URL.");
    }
    Instant at = Instant.ofEpochSecond(epoch);
    if (!clock.instant().isBefore(at)) {
      throw new ApiException(403, "url_expired", "The signed URL has expired; ask for a new one.");
    }
    return at;
  }

  private static void checkSignature(String expected, String given) {
    byte[] a = expected.getBytes(StandardCharsets.US_ASCII);
    byte[] b = (given == null ? "" : given).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(a, b)) {
      throw new ApiException(
          403,
          "signature_mismatch",
          "The signature does not match the request: the URL was changed, or the Content-Type or Content-Length "
              + "differ from the ones it was made for.");
    }
  }

  String sign(String method, String key, Instant expires, String... signedValues) {
    StringBuilder text =
        new StringBuilder(method)
            .append('\n')
            .append(key)
            .append('\n')
            .append(expires.getEpochSecond());
    for (String value : signedValues) {
      text.append('\n').append(value);
    }
    return Digests.hex(
        Digests.hmacSha256(keyBytes, text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static String checkedKey(String key) {
    if (key == null || key.length() > 1024 || !KEY.matcher(key).matches() || key.contains("..")) {
      throw ApiException.notFound("object");
    }
    return key;
  }

  /**
   * Creates the key's marker, stamped with this store's clock (the one URL expiries are checked
   * with). Retried because a concurrent prune may remove the folder, empty for a moment, between
   * its creation and the marker's.
   */
  private void mark(String key) throws IOException {
    Path marker = tombstone(key);
    // Through inFolder: createDirectories may meet a shared parent that the cleanup's folder
    // pruning removed, which it
    // reports as FileAlreadyExistsException; only the marker's own existence means "deleted
    // before".
    inFolder(
        marker.getParent(),
        () -> {
          try {
            Files.createFile(marker);
          } catch (FileAlreadyExistsException e) {
            return null; // deleted before: its marker already dates from the first delete, which
            // bounds every URL
          }
          Files.setLastModifiedTime(marker, FileTime.from(clock.instant()));
          return null;
        });
  }

  /**
   * Creates {@code folder} and writes in it, again when a delete removed the folder, or one of its
   * parents (shared with other uploads), empty for a moment, while it was being created or before
   * the write (see {@link #removeEmptyFolders}). {@code createDirectories} reports a parent that
   * another upload created and a delete removed before it could check it as {@link
   * FileAlreadyExistsException}, so that is retried too.
   */
  private static <T> T inFolder(Path folder, FolderWrite<T> write) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(folder);
        return write.run();
      } catch (NoSuchFileException | FileAlreadyExistsException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** A write into a folder {@link #inFolder} just created. */
  @FunctionalInterface
  private interface FolderWrite<T> {
    T run() throws IOException;
  }

  /**
   * A refused upload would otherwise leave its own folder, empty, under objects (each upload has
   * one). Failing to remove it costs only an empty folder, so it does not replace the answer the
   * upload is getting.
   */
  private void removeFoldersOfRefused(String key) {
    try {
      removeEmptyFolders(objects, object(key).getParent());
    } catch (IOException e) {
      // left for the file's delete, which removes the folders it leaves empty
    }
  }

  /** Deletes {@code folder} and its parents below {@code root} while they are empty. */
  private static void removeEmptyFolders(Path root, Path folder) throws IOException {
    for (Path dir = folder;
        dir != null && dir.startsWith(root) && !dir.equals(root);
        dir = dir.getParent()) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException stillUsed) {
        return;
      }
    }
  }

  private Path object(String key) {
    return inside(objects, key);
  }

  private Path type(String key) {
    return inside(types, key);
  }

  private Path tombstone(String key) {
    return inside(deleted, key);
  }

  private static Path inside(Path root, String key) {
    Path path = root.resolve(checkedKey(key)).normalize();
    if (!path.startsWith(root)) {
      throw ApiException.notFound("object");
    }
    return path;
  }

  private String storedType(String key) throws IOException {
    try {
      return Files.readString(type(key)).trim();
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /**
   * Keys are fresh per upload, so a second PUT can only be a replay: refused, so verified bytes
   * stay verified, and deleted ones stay deleted.
   */
  private static ApiException alreadyUploaded() {
    return new ApiException(
        409, "already_uploaded", "This upload URL has been used; ask for a new one.");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
