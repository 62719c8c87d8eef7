package dev.switchboard.storage.s3;

import dev.switchboard.platform.crypto.Digests;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigned upload URLs (SigV4 query-string authentication,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html) signed here instead
 * of by the SDK's presigner, which runs its whole request pipeline (interceptors, endpoint rules,
 * request marshalling, a new signing context) for every URL: the endpoint, bucket prefix,
 * credential scope and query parameter order are taken from one URL the SDK presigned for a probe
 * key, the signing key is derived once per day, and each URL is one SHA-256 of the canonical
 * request and one HMAC of the string to sign.
 *
 * <p>Used only when it reproduces the SDK byte for byte: {@link #matching} signs the probe again
 * with the SDK's signing time and compares the whole URL and the signed headers; any difference (a
 * new SDK version, a store whose endpoint rules add parameters) leaves the SDK signing every URL.
 * Keys and content types outside the characters that need no encoding go to the SDK too.
 */
final class UploadSigner {

  static final String PROBE_KEY = "uploads/probe/0/probe.bin";
  static final String PROBE_TYPE = "application/octet-stream";
  static final long PROBE_LENGTH = 1;

  private static final HexFormat HEX = HexFormat.of();
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String SIGNED_HEADERS = "content-length;content-type;host";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
          });

  /** {@code https://host[:port]/[bucket/]}: everything before the key. */
  private final String base;

  /** The encoded path before the key, as signed: {@code /bucket/} or {@code /}. */
  private final String pathPrefix;

  private final String host;
  private final String accessKeyId;
  private final byte[] secret;
  private final String region;
  private final String service;

  /** The query's parameter names in the SDK's order. */
  private final List<String> order;

  /** The same names sorted, as the canonical query lists them, without the signature. */
  private final List<String> sorted;

  /** Parameters the SDK added that do not change per URL, by name: their encoded values. */
  private final Map<String, String> constants;

  private volatile SigningKey signingKey;

  private record SigningKey(String day, byte[] key) {}

  private UploadSigner(
      String base,
      String pathPrefix,
      String host,
      String accessKeyId,
      byte[] secret,
      String region,
      String service,
      Map<String, String> rawQuery) {
    this.base = base;
    this.pathPrefix = pathPrefix;
    this.host = host;
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
    this.service = service;
    this.order = List.copyOf(rawQuery.keySet());
    this.sorted = order.stream().filter(name -> !name.equals("X-Amz-Signature")).sorted().toList();
    Map<String, String> constants = new LinkedHashMap<>(rawQuery);
    constants.keySet().removeAll(PER_URL);
    this.constants = Map.copyOf(constants);
  }

  /** The parameters made for each URL; any other the SDK sends is copied from the probe. */
  private static final List<String> PER_URL =
      List.of(
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Signature");

  /** A URL and when it stops working. */
  record Signed(String url, Instant expiresAt) {}

  /**
   * A signer that reproduces {@code probe}, the SDK's presigned PUT of {@link #PROBE_KEY} ({@link
   * #PROBE_TYPE}, {@link #PROBE_LENGTH} byte), or empty when it does not.
   *
   * @param probeHeaders the headers the SDK signed for the probe
   */
  static Optional<UploadSigner> matching(
      String probe,
      Map<String, List<String>> probeHeaders,
      Duration probeValidity,
      String accessKeyId,
      String secretAccessKey) {
    try {
      URI uri = new URI(probe);
      String rawPath = uri.getRawPath();
      if (uri.getRawQuery() == null
          || rawPath == null
          || !rawPath.endsWith("/" + PROBE_KEY)
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        return Optional.empty();
      }
      String pathPrefix = rawPath.substring(0, rawPath.length() - PROBE_KEY.length());
      int pathStart = probe.indexOf(rawPath, uri.getScheme().length() + 3);
      if (pathStart < 0) {
        return Optional.empty();
      }
      String base = probe.substring(0, pathStart) + pathPrefix;
      Map<String, String> query = new LinkedHashMap<>();
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0 || query.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
          return Optional.empty();
        }
      }
      if (!query.keySet().containsAll(PER_URL)) {
        return Optional.empty();
      }
      String date = query.get("X-Amz-Date");
      String[] credential = URLDecoder.decode(query.get("X-Amz-Credential"), UTF8).split("/", -1);
      if (date == null
          || credential.length != 5
          || !credential[0].equals(accessKeyId)
          || !credential[4].equals("aws4_request")) {
        return Optional.empty();
      }
      UploadSigner signer =
          new UploadSigner(
              base,
              pathPrefix,
              uri.getRawAuthority(),
              accessKeyId,
              ("AWS4" + secretAccessKey).getBytes(UTF8),
              credential[2],
              credential[3],
              query);
      Instant signedAt = parseDate(date);
      if (signedAt == null) {
        return Optional.empty();
      }
      String again =
          signer.url(PROBE_KEY, PROBE_TYPE, PROBE_LENGTH, probeValidity.getSeconds(), signedAt);
      if (!again.equals(probe)
          || !Map.of(
                  "Content-Type", List.of(PROBE_TYPE),
                  "Content-Length", List.of(Long.toString(PROBE_LENGTH)),
                  "Host", List.of(signer.host))
              .equals(canonicalNames(probeHeaders))) {
        return Optional.empty();
      }
      return Optional.of(signer);
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether this signer can sign a PUT of the key and type (else the SDK signs it). */
  static boolean signs(String key, String contentType) {
    return plainKey(key) && plainHeaderValue(contentType);
  }

  /** A presigned PUT of exactly this type and length, signed now. */
  Signed presign(String key, String contentType, long length, Duration validFor, Instant now) {
    String url = url(key, contentType, length, validFor.getSeconds(), now);
    return new Signed(url, now.plus(validFor));
  }

  /** The presigned URL. */
  private String url(String key, String contentType, long length, long expires, Instant at) {
    long second = at.getEpochSecond();
    String date = amzDate(second);
    String day = date.substring(0, 8);
    String credential =
        SdkHttpUtils.urlEncode(
            accessKeyId + "/" + day + "/" + region + "/" + service + "/aws4_request");
    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String expiresText = Long.toString(expires);
    String signedHeaders = SdkHttpUtils.urlEncode(SIGNED_HEADERS);

    StringBuilder canonical = new StringBuilder(512);
    canonical.append("PUT\n").append(pathPrefix).append(key).append('\n');
    char separator = 0;
    for (String name : sorted) {
      if (separator != 0) {
        canonical.append(separator);
      }
      canonical
          .append(name)
          .append('=')
          .append(value(name, credential, date, expiresText, signedHeaders, null));
      separator = '&';
    }
    canonical
        .append("\ncontent-length:")
        .append(length)
        .append("\ncontent-type:")
        .append(contentType)
        .append("\nhost:")
        .append(host)
        .append("\n\n")
        .append(SIGNED_HEADERS)
        .append('\n')
        .append(UNSIGNED_PAYLOAD);
    MessageDigest sha = SHA256.get();
    sha.reset();
    String hashed = HEX.formatHex(sha.digest(canonical.toString().getBytes(UTF8)));
    String toSign = ALGORITHM + '\n' + date + '\n' + scope + '\n' + hashed;
    String signature = HEX.formatHex(Digests.hmacSha256(signingKey(day), toSign.getBytes(UTF8)));

    StringBuilder url = new StringBuilder(base.length() + key.length() + 400);
    url.append(base).append(key);
    separator = '?';
    for (String name : order) {
      url.append(separator)
          .append(name)
          .append('=')
          .append(value(name, credential, date, expiresText, signedHeaders, signature));
      separator = '&';
    }
    return url.toString();
  }

  private String value(
      String name,
      String credential,
      String date,
      String expires,
      String signedHeaders,
      String signature) {
    return switch (name) {
      case "X-Amz-Algorithm" -> ALGORITHM;
      case "X-Amz-Credential" -> credential;
      case "X-Amz-Date" -> date;
      case "X-Amz-Expires" -> expires;
      case "X-Amz-SignedHeaders" -> signedHeaders;
      case "X-Amz-Signature" -> signature;
      default -> constants.get(name);
    };
  }

  /**
   * The signing key of the day: HMAC chain over day, region, service, cached until the day changes.
   */
  private byte[] signingKey(String day) {
    SigningKey current = signingKey;
    if (current != null && current.day.equals(day)) {
      return current.key;
    }
    byte[] key = Digests.hmacSha256(secret, day.getBytes(UTF8));
    key = Digests.hmacSha256(key, region.getBytes(UTF8));
    key = Digests.hmacSha256(key, service.getBytes(UTF8));
    key = Digests.hmacSha256(key, "aws4_request".getBytes(UTF8));
    signingKey = new SigningKey(day, key);
    return key;
  }

  /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
  static String amzDate(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    char[] c = new char[16];
    int year = t.getYear();
    c[0] = digit(year / 1000);
    c[1] = digit(year / 100);
    c[2] = digit(year / 10);
    c[3] = digit(year);
    two(c, 4, t.getMonthValue());
    two(c, 6, t.getDayOfMonth());
    c[8] = 'T';
    two(c, 9, t.getHour());
    two(c, 11, t.getMinute());
    two(c, 13, t.getSecond());
    c[15] = 'Z';
    return new String(c);
  }

  private static Instant parseDate(String date) {
    if (date.length() != 16 || date.charAt(8) != 'T' || date.charAt(15) != 'Z') {
      return null;
    }
    try {
      LocalDateTime t =
          LocalDateTime.of(
              Integer.parseInt(date.substring(0, 4)),
              Integer.parseInt(date.substring(4, 6)),
              Integer.parseInt(date.substring(6, 8)),
              Integer.parseInt(date.substring(9, 11)),
              Integer.parseInt(date.substring(11, 13)),
              Integer.parseInt(date.substring(13, 15)));
      return t.toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static char digit(int n) {
    return (char) ('0' + n % 10);
  }

  private static void two(char[] c, int at, int n) {
    c[at] = digit(n / 10);
    c[at + 1] = digit(n);
  }

  /**
   * Only letters, digits, {@code -._~} and {@code /}: nothing SigV4 would encode in the path (S3
   * encodes each segment once, slashes kept).
   */
  private static boolean plainKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 1024) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (!((ch >= 'a' && ch <= 'z')
          || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9')
          || ch == '-'
          || ch == '.'
          || ch == '_'
          || ch == '~'
          || ch == '/')) {
        return false;
      }
    }
    return true;
  }

  /** Printable ASCII without spaces: a header value signed as it is (nothing to trim or fold). */
  private static boolean plainHeaderValue(String value) {
    if (value == null || value.isEmpty() || value.length() > 1024) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch <= ' ' || ch > '~') {
        return false;
      }
    }
    return true;
  }

  private static Map<String, List<String>> canonicalNames(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            out.put(
                switch (name.toLowerCase(java.util.Locale.ROOT)) {
                  case "content-type" -> "Content-Type";
                  case "content-length" -> "Content-Length";
                  case "host" -> "Host";
                  default -> name;
                },
                values));
    return out;
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
