package dev.switchboard.storage;

import dev.switchboard.platform.http.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Client file names: refused when they could be a path or carry control characters, and turned into
 * a safe last segment for object keys and downloads. The key itself is chosen by Switchboard, so a
 * name never picks a location.
 */
final class FileNames {

  static final int MAX_LENGTH = 255;
  private static final int MAX_KEY_NAME = 100;

  private FileNames() {}

  /**
   * @return the name, trimmed
   * @throws ApiException 400 {@code validation_failed} on field {@code filename} when it is blank,
   *     longer than 255 characters, has control characters or path separators, or is {@code .} or
   *     {@code ..}
   */
  static String check(String filename) {
    if (filename == null || filename.isBlank()) {
      throw ApiException.invalidField("filename", "filename is required");
    }
    String name = filename.strip();
    if (name.length() > MAX_LENGTH) {
      throw ApiException.invalidField(
          "filename", "filename must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (Character.isISOControl(c)
          || c == 0x2028
          || c == 0x2029
          || Character.getType(c) == Character.FORMAT) {
        throw ApiException.invalidField("filename", "filename must not contain control characters");
      }
      i += Character.charCount(c);
    }
    if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
      throw ApiException.invalidField(
          "filename", "filename must be a name, not a path (no / or \\)");
    }
    return name;
  }

  // Compiled once: String.replaceAll compiles its pattern on every call, five times per presign.
  private static final Pattern NOT_KEY_CHARS = Pattern.compile("[^a-z0-9._-]+");
  private static final Pattern DASHES = Pattern.compile("-{2,}");
  private static final Pattern DOTS = Pattern.compile("\\.{2,}");
  private static final Pattern LEADING_DOTS_DASHES = Pattern.compile("^[.-]+");
  private static final Pattern NOT_OWNER_CHARS = Pattern.compile("[^A-Za-z0-9_-]+");
  private static final Pattern NOT_FALLBACK_CHARS = Pattern.compile("[^A-Za-z0-9._ -]");

  /**
   * The last segment of an object key: ASCII letters, digits, dot, dash and underscore; never
   * starts with a dot.
   */
  static String keySegment(String name) {
    return keySegmentAlready(name) ? name : keySegmentByReplacing(name);
  }

  /** {@link #keySegment} for any name. */
  static String keySegmentByReplacing(String name) {
    String ascii = name.toLowerCase(Locale.ROOT);
    ascii = NOT_KEY_CHARS.matcher(ascii).replaceAll("-");
    ascii = DASHES.matcher(ascii).replaceAll("-");
    ascii = DOTS.matcher(ascii).replaceAll(".");
    ascii = LEADING_DOTS_DASHES.matcher(ascii).replaceAll("");
    if (ascii.length() > MAX_KEY_NAME) {
      int dot = ascii.lastIndexOf('.');
      String ext = dot > 0 && ascii.length() - dot <= 10 ? ascii.substring(dot) : "";
      ascii = ascii.substring(0, MAX_KEY_NAME - ext.length()) + ext;
    }
    return ascii.isEmpty() ? "file" : ascii;
  }

  /**
   * Whether the name is its own key segment (most are: {@code photo.png}), so the replacements
   * below would leave it as it is: lower-case ASCII letters, digits, dot, dash and underscore only,
   * no run of dashes or dots, not starting with a dot or dash, not longer than a segment.
   */
  private static boolean keySegmentAlready(String name) {
    int n = name.length();
    if (n == 0 || n > MAX_KEY_NAME || name.charAt(0) == '.' || name.charAt(0) == '-') {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      if (!allowed || ((c == '.' || c == '-') && c == previous)) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** A key segment for an owner id ({@code usr_…}, {@code key_…}). */
  static String ownerSegment(String owner) {
    return ownerSegmentAlready(owner) ? owner : ownerSegmentByReplacing(owner);
  }

  /** {@link #ownerSegment} for any owner. */
  static String ownerSegmentByReplacing(String owner) {
    String safe = NOT_OWNER_CHARS.matcher(owner).replaceAll("-");
    return safe.length() > 80 ? safe.substring(0, 80) : safe;
  }

  /** Ids are made of these characters already ({@code usr_…}, {@code key_…}). */
  private static boolean ownerSegmentAlready(String owner) {
    int n = owner.length();
    if (n == 0 || n > 80) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = owner.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A {@code Content-Disposition} value: the ASCII fallback name plus the exact name in RFC 5987
   * form.
   *
   * @param inline true only for raster images
   */
  static String disposition(String name, boolean inline) {
    String fallback = NOT_FALLBACK_CHARS.matcher(name).replaceAll("_");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return (inline ? "inline" : "attachment")
        + "; filename=\""
        + fallback
        + "\"; filename*=UTF-8''"
        + encoded;
  }
}
