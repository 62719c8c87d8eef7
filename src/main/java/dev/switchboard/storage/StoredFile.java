package dev.switchboard.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * One upload as recorded.
 *
 * @param id {@code file_…}
 * @param owner the account or API key id that asked for the upload
 * @param key the object key in the store
 * @param filename the name the client gave, as validated (shown and used for downloads)
 * @param contentType the declared (and signed) content type
 * @param size the declared (and signed) length in bytes
 * @param status pending, ready or rejected
 * @param detectedType the type sniffed from the bytes at completion
 * @param rejectReason why it was rejected
 * @param createdAt when the URL was handed out
 * @param completedAt when it became ready or rejected
 */
public record StoredFile(
    String id,
    String owner,
    String key,
    String filename,
    String contentType,
    long size,
    FileStatus status,
    Optional<String> detectedType,
    Optional<String> rejectReason,
    Instant createdAt,
    Optional<Instant> completedAt) {}
