package dev.switchboard.storage;

import dev.switchboard.platform.http.ApiException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which content types may be uploaded and how large, from {@code STORAGE_POLICY} ({@code
 * image/*:5MB,...}). An exact entry ({@code image/png}) wins over its wildcard ({@code image/*}).
 */
public final class UploadPolicy {

  private static final Pattern TYPE =
      Pattern.compile("^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$");

  private final Map<String, Long> limits;

  public UploadPolicy(Map<String, Long> limits) {
    this.limits = Map.copyOf(limits);
  }

  /**
   * Checks a declared upload.
   *
   * @return the content type, normalised to lower case
   * @throws ApiException 400 {@code validation_failed} on a malformed type or a size below 1, 415
   *     {@code type_not_allowed} on a type outside the policy, 413 {@code file_too_large} over its
   *     limit
   */
  public String check(String contentType, Long size) {
    if (contentType == null || contentType.isBlank()) {
      throw ApiException.invalidField("contentType", "contentType is required, e.g. image/png");
    }
    String type = contentType.trim().toLowerCase(Locale.ROOT);
    if (!TYPE.matcher(type).matches()) {
      throw ApiException.invalidField(
          "contentType", "contentType must be a media type like image/png, without parameters");
    }
    if (size == null || size < 1) {
      throw ApiException.invalidField(
          "size", "size must be the file's length in bytes, at least 1");
    }
    long max =
        maxSize(type)
            .orElseThrow(
                () ->
                    new ApiException(
                        415,
                        "type_not_allowed",
                        type
                            + " uploads are not allowed; allowed types are "
                            + String.join(", ", limits.keySet())
                            + "."));
    if (size > max) {
      throw new ApiException(
          413,
          "file_too_large",
          "A " + type + " file may be at most " + max + " bytes; this one is " + size + ".");
    }
    return type;
  }

  /** True when the policy has an entry for the type (exact or wildcard). */
  public boolean allows(String contentType) {
    return maxSize(contentType.toLowerCase(Locale.ROOT)).isPresent();
  }

  /** The largest size allowed for any type: the body limit of local uploads. */
  public long largest() {
    return limits.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  public Map<String, Long> limits() {
    return limits;
  }

  private Optional<Long> maxSize(String type) {
    Long exact = limits.get(type);
    if (exact != null) {
      return Optional.of(exact);
    }
    int slash = type.indexOf('/');
    return slash < 0
        ? Optional.empty()
        : Optional.ofNullable(limits.get(type.substring(0, slash) + "/*"));
  }
}
