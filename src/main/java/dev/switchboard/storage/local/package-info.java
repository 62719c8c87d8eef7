/**
 * The {@code local} storage provider: files under the data dir, presigned URLs signed with an HMAC
 * key kept in the data dir, and served by Switchboard itself with the rules S3 applies (expiry,
 * exact length, content type).
 */
package dev.switchboard.storage.local;
