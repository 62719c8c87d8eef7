package dev.switchboard.storage;

import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * Opaque list cursors: the (createdAt, id) of the last file shown, base64url so clients do not
 * parse them.
 */
final class FileCursors {

  private FileCursors() {}

  static String encode(Instant createdAt, String id) {
    String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws ApiException 400 {@code validation_failed} on field {@code cursor} when it was not made
   *     by us
   */
  static FileStore.Cursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 2);
      String[] time = parts[0].split("\\.", 2);
      if (parts.length != 2 || time.length != 2 || !parts[1].matches("^file_[0-9a-f]{24}$")) {
        throw new IllegalArgumentException("shape");
      }
      return new FileStore.Cursor(
          Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])), parts[1]);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw ApiException.invalidField("cursor", "cursor must be the next value of a previous page");
    }
  }
}
