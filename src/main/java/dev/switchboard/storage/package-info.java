/**
 * File uploads: the client asks for a presigned URL, sends the bytes straight to storage, then
 * tells Switchboard it is done; Switchboard checks the size and the real type (from the bytes)
 * before the file is {@code ready}.
 *
 * <p>Providers implement {@link dev.switchboard.storage.ObjectStorage}: {@code s3} and {@code r2}
 * (one adapter over the S3 API) and {@code local} (the embedded default: files under the data dir,
 * URLs signed with HMAC and served by Switchboard itself with the same rules as S3).
 */
package dev.switchboard.storage;
