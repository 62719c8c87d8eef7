package dev.switchboard.storage;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.ids.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The upload flow: presign (policy check, pending row, signed URL), complete (size and real type
 * checked against the declaration, then ready or rejected), read, list and delete. Files belong to
 * the caller that asked for the upload; another caller's file answers 404, as an unknown one does,
 * so ids reveal nothing.
 */
public final class FileService {

  public static final Duration UPLOAD_URL_VALIDITY = Duration.ofMinutes(10);
  public static final Duration DOWNLOAD_URL_VALIDITY = Duration.ofMinutes(5);

  /**
   * How long after its expiry an upload URL is still treated as usable: covers instances and the
   * store whose clocks differ, the second the local provider rounds its expiry up to, and an upload
   * that started just before the expiry and is still arriving.
   */
  public static final Duration URL_EXPIRY_MARGIN = Duration.ofMinutes(15);

  /** How long a remembered key whose object delete failed waits before it is tried again. */
  static final Duration SWEEP_RETRY_DELAY = Duration.ofMinutes(15);

  /** Pending uploads never completed are deleted after this. */
  public static final Duration PENDING_RETENTION = Duration.ofHours(24);

  public static final int MAX_PAGE = 100;

  private static final Logger log = LoggerFactory.getLogger(FileService.class);
  private final ObjectStorage storage;
  private final FileStore store;
  private final UploadPolicy policy;
  private final ContentSniffer sniffer = new ContentSniffer();
  private final ApplicationEventPublisher events;
  private final Clock clock;

  public FileService(
      ObjectStorage storage,
      FileStore store,
      UploadPolicy policy,
      ApplicationEventPublisher events,
      Clock clock) {
    this.storage = storage;
    this.store = store;
    this.policy = policy;
    this.events = events;
    this.clock = clock;
  }

  /** A pending upload and where to send its bytes. */
  public record Upload(StoredFile file, PresignedRequest request) {}

  /** A file and, once ready, a short-lived download URL. */
  public record FileView(StoredFile file, Optional<PresignedRequest> download) {}

  /** A page of files and the cursor of the next one. */
  public record Page(List<StoredFile> files, Optional<String> next) {}

  /**
   * A new file id, {@code file_} and 24 hex digits as before: the creation time in milliseconds (12
   * digits), then 48 random bits ({@link Ids#timeOrderedHex}). Ids made later sort later, so each
   * new row is appended at the end of the primary key's index instead of on a random page of it: on
   * H2 every store write after a commit rewrites each index page the commit touched, and with
   * random ids a group of N presigns touched N pages. They are not secrets (another caller's file
   * answers 404) and tell no more than the file's {@code createdAt}.
   */
  static String fileId() {
    return Ids.timeOrderedHex("file_", 6);
  }

  /**
   * Checks the declared file against the policy, records it as pending under a key Switchboard
   * chooses, and signs a PUT for exactly that type and length.
   *
   * @throws ApiException 400 {@code validation_failed} (filename, contentType, size), 415 {@code
   *     type_not_allowed}, 413 {@code file_too_large}; nothing is recorded then
   */
  public Upload presign(String owner, String filename, String contentType, Long size) {
    String name = FileNames.check(filename);
    String type = policy.check(contentType, size);
    String key =
        "uploads/"
            + FileNames.ownerSegment(owner)
            + "/"
            + Ids.uuid()
            + "/"
            + FileNames.keySegment(name);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    StoredFile file =
        new StoredFile(
            fileId(),
            owner,
            key,
            name,
            type,
            size,
            FileStatus.PENDING,
            Optional.empty(),
            Optional.empty(),
            now,
            Optional.empty());
    PresignedRequest request = storage.presignUpload(key, type, size, UPLOAD_URL_VALIDITY);
    store.insert(file);
    return new Upload(file, request);
  }

  /**
   * Verifies an uploaded file: the object must exist with the declared length and type, and its
   * first bytes must be of the declared type (and that type allowed). Completing a ready file again
   * returns it unchanged.
   *
   * @throws ApiException 404 {@code not_found} (unknown, or another caller's), 409 {@code
   *     upload_missing} when no bytes arrived yet (the file stays pending), 422 {@code
   *     content_mismatch} or {@code size_mismatch} when the bytes differ from the declaration or
   *     the store recorded no type for them (the object is deleted and the file rejected, for good)
   */
  public StoredFile complete(String owner, String id) {
    StoredFile file = owned(owner, id);
    if (file.status() == FileStatus.REJECTED) {
      throw rejected(file.rejectReason().orElse("the upload was rejected"), "content_mismatch");
    }
    if (file.status() == FileStatus.READY) {
      return file;
    }
    StoredObject object =
        storage
            .head(file.key())
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "upload_missing",
                        "No bytes have arrived for this file yet: PUT them to the upload URL, then complete."));
    if (object.size() != file.size()) {
      return reject(
          file,
          Optional.empty(),
          "size_mismatch",
          "the upload has " + object.size() + " bytes, not the " + file.size() + " declared");
    }
    if (object.contentType().isEmpty()) {
      // Every signed PUT carries its type and the local provider records it before the object, so
      // an object
      // without one did not arrive whole through its URL; its bytes are not trusted.
      return reject(file, Optional.empty(), "content_mismatch", "the upload has no recorded type");
    }
    if (!sameType(object.contentType(), file.contentType())) {
      return reject(
          file,
          Optional.empty(),
          "content_mismatch",
          "the upload was sent as "
              + object.contentType()
              + ", not the declared "
              + file.contentType());
    }
    byte[] prefix = storage.readPrefix(file.key(), ContentSniffer.PREFIX_BYTES).orElse(new byte[0]);
    String detected = sniffer.detect(prefix);
    if (!sniffer.matches(file.contentType(), detected)
        || !policy.allows(detected) && !ContentSniffer.generic(detected)) {
      return reject(
          file,
          Optional.of(detected),
          "content_mismatch",
          "the bytes are " + detected + ", not the declared " + file.contentType());
    }
    if (store.finish(
        file.id(), FileStatus.READY, Optional.of(detected), Optional.empty(), clock.instant())) {
      events.publishEvent(
          new FileUploaded(file.id(), file.owner(), file.contentType(), file.size()));
    }
    return owned(owner, id);
  }

  /**
   * The caller's file, with a 5-minute download URL once it is ready. Raster images are served
   * inline; everything else (SVG and HTML included) as an attachment.
   *
   * @throws ApiException 404 {@code not_found}
   */
  public FileView get(String owner, String id) {
    return view(owned(owner, id));
  }

  /** Any caller's file, for the dashboard. */
  public FileView getAny(String id) {
    return view(store.find(id).orElseThrow(() -> ApiException.notFound("file")));
  }

  /**
   * A page of files, newest first.
   *
   * @param owner only this owner's; empty for everyone's (the dashboard)
   * @param cursor the {@code next} of the previous page
   * @param limit 1 to {@value #MAX_PAGE}
   * @throws ApiException 400 {@code validation_failed} on a bad cursor or limit
   */
  public Page list(Optional<String> owner, Optional<String> cursor, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw ApiException.invalidField("limit", "limit must be 1 to " + MAX_PAGE);
    }
    Optional<FileStore.Cursor> after = cursor.filter(c -> !c.isEmpty()).map(FileCursors::decode);
    List<StoredFile> files = store.page(owner, after, limit + 1);
    if (files.size() <= limit) {
      return new Page(files, Optional.empty());
    }
    List<StoredFile> shown = files.subList(0, limit);
    StoredFile last = shown.get(limit - 1);
    return new Page(
        List.copyOf(shown), Optional.of(FileCursors.encode(last.createdAt(), last.id())));
  }

  /**
   * Deletes the object and the row. While an upload to its URL may still store an object, the key
   * is remembered, so that {@link #sweepTombstones} deletes whatever that URL stores after the row
   * is gone.
   *
   * @throws ApiException 404 {@code not_found}, also when it was already deleted
   */
  public void delete(String owner, String id) {
    StoredFile file = owned(owner, id);
    storage.delete(file.key());
    if (!store.delete(file.id(), sweeps(file))) {
      throw ApiException.notFound("file");
    }
  }

  /** Deletes any caller's file, for the dashboard. */
  public void deleteAny(String id) {
    StoredFile file = store.find(id).orElseThrow(() -> ApiException.notFound("file"));
    delete(file.owner(), file.id());
  }

  /**
   * Deletes pending uploads older than {@link #PENDING_RETENTION}, and rejected files as old, at
   * most {@code batch} of each. The row goes first and only while it is still in the listed status,
   * so a completion that ran since the listing keeps its file; the object is deleted only when this
   * call removed the row. Rejected objects were deleted at completion, but on S3 and R2 the upload
   * URL may have stored them again since.
   *
   * @return how many files were removed
   */
  public int deleteAbandoned(int batch) {
    Instant before = clock.instant().minus(PENDING_RETENTION);
    int removed = 0;
    for (FileStatus status : List.of(FileStatus.PENDING, FileStatus.REJECTED)) {
      for (StoredFile file : store.olderThan(status, before, batch)) {
        if (store.delete(file.id(), status)) {
          storage.delete(file.key());
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * Deletes the objects of deleted and rejected uploads again, twice: once their upload URL can no
   * longer be used (expired more than {@link #URL_EXPIRY_MARGIN} ago), and once more {@link
   * #PENDING_RETENTION} after the upload was created, then forgets their keys; at most {@code
   * batch} keys. On S3 and R2 such a URL stores an object again after the delete, with no row
   * pointing at it, and the store checks the expiry only when a PUT starts, so a slow upload that
   * started just before the expiry can finish after the first sweep. A key whose object delete
   * fails is kept and its next sweep moved {@link #SWEEP_RETRY_DELAY} on, behind the keys due now,
   * and the others are swept on.
   *
   * @return how many keys were swept
   */
  public int sweepTombstones(int batch) {
    Instant now = clock.instant();
    int swept = 0;
    for (FileStore.Tombstone tombstone : store.tombstonesDue(now, batch)) {
      try {
        storage.delete(tombstone.key());
      } catch (StorageException e) {
        // Behind every key due now: a key that keeps failing must not hold the head of the due
        // order and starve
        // the others once there are a batch of them.
        store.postponeTombstone(tombstone.key(), now.plus(SWEEP_RETRY_DELAY));
        log.warn(
            "Sweeping the object of deleted upload {} failed, retried in {}: {}",
            tombstone.key(),
            SWEEP_RETRY_DELAY,
            e.toString());
        continue;
      }
      if (now.isBefore(tombstone.lastSweep())) {
        store.postponeTombstone(tombstone.key(), tombstone.lastSweep());
      } else {
        store.forgetTombstone(tombstone.key());
      }
      swept++;
    }
    return swept;
  }

  /** How many uploads are waiting to be completed. */
  public long pendingCount() {
    return store.count(FileStatus.PENDING);
  }

  public UploadPolicy policy() {
    return policy;
  }

  private FileView view(StoredFile file) {
    if (file.status() != FileStatus.READY) {
      return new FileView(file, Optional.empty());
    }
    boolean inline = ContentSniffer.rasterImage(file.contentType());
    return new FileView(
        file,
        Optional.of(
            storage.presignDownload(
                file.key(),
                file.contentType(),
                FileNames.disposition(file.filename(), inline),
                DOWNLOAD_URL_VALIDITY)));
  }

  private StoredFile owned(String owner, String id) {
    return Optional.ofNullable(id)
        .filter(i -> i.length() <= 40)
        .flatMap(store::find)
        .filter(f -> f.owner().equals(owner))
        .orElseThrow(() -> ApiException.notFound("file"));
  }

  /**
   * When to delete the file's object again after a delete or rejection, while an upload to its URL
   * may still store one: first once the URL (signed right after the row's {@code createdAt})
   * expired more than the margin ago, last {@link #PENDING_RETENTION} after the creation, the bound
   * on how long an upload that started before the expiry is waited for. Empty once that bound has
   * passed.
   */
  private Optional<FileStore.Sweeps> sweeps(StoredFile file) {
    Instant last = file.createdAt().plus(PENDING_RETENTION);
    if (!clock.instant().isBefore(last)) {
      return Optional.empty();
    }
    return Optional.of(
        new FileStore.Sweeps(
            file.createdAt().plus(UPLOAD_URL_VALIDITY).plus(URL_EXPIRY_MARGIN), last));
  }

  /**
   * Rejects the file, then deletes its object, only when this call made the change: an overlapping
   * completion may have made the file ready since this one read the bytes (on S3 and R2 a re-PUT
   * can change them in between), and its object must stay. An object delete that fails is left to
   * the cleanup (the key remembered with the rejection, or the rejected row after {@link
   * #PENDING_RETENTION}): the file is rejected either way. When the file is ready by then it is
   * returned, as completing a ready file does.
   */
  private StoredFile reject(
      StoredFile file, Optional<String> detected, String code, String reason) {
    if (store.reject(file.id(), detected, reason, clock.instant(), sweeps(file))) {
      log.info("Rejected upload {}: {}", file.id(), reason);
      try {
        storage.delete(file.key());
      } catch (StorageException e) {
        log.warn(
            "Deleting the object of rejected upload {} failed, left to the cleanup: {}",
            file.id(),
            e.toString());
      }
      throw rejected(reason, code);
    }
    StoredFile now = owned(file.owner(), file.id());
    if (now.status() == FileStatus.READY) {
      return now;
    }
    throw rejected(now.rejectReason().orElse(reason), code);
  }

  private static ApiException rejected(String reason, String code) {
    return new ApiException(422, code, "The upload was rejected and deleted: " + reason + ".");
  }

  private static boolean sameType(String stored, String declared) {
    String base = stored.split(";", 2)[0].trim();
    return base.equalsIgnoreCase(declared);
  }
}
