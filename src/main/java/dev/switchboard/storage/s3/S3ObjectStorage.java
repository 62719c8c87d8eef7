package dev.switchboard.storage.s3;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.storage.ObjectStorage;
import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.storage.StorageException;
import dev.switchboard.storage.StoredObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Amazon S3 and Cloudflare R2 (and other S3-compatible stores) through the AWS SDK v2. Uploads are
 * presigned PUTs with {@code Content-Type} and {@code Content-Length} among the signed headers, so
 * the store itself refuses another type or length
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html); R2 has no
 * POST policies, so an exact length is the only size limit a store can enforce
 * (https://developers.cloudflare.com/r2/api/s3/presigned-urls/). The client and the presigner are
 * built once: building a presigner costs hundreds of milliseconds, presigning itself is local HMAC
 * work.
 *
 * <p>With an endpoint override (R2, MinIO, S3Mock) checksums are calculated and validated only when
 * an operation requires them: SDK 2.30+ otherwise sends CRC32 headers that R2 and MinIO refuse with
 * 501; and path-style addressing is used, which every S3-compatible store accepts whatever its DNS.
 */
public final class S3ObjectStorage implements ObjectStorage, AutoCloseable {

  /** The longest validity SigV4 allows a presigned URL: 7 days. */
  private static final long MAX_VALIDITY_SECONDS = 7 * 24 * 3600;

  private final String id;
  private final String bucket;
  private final S3Client client;
  private final S3Presigner presigner;

  /** Signs upload URLs without the SDK's pipeline; null when it does not reproduce the SDK. */
  private final UploadSigner uploads;

  /**
   * @param id {@code s3} or {@code r2}
   * @param region the bucket's region; {@code auto} for R2
   * @param endpoint the S3 API endpoint of a non-AWS store; empty for AWS
   */
  public S3ObjectStorage(
      String id,
      String bucket,
      String region,
      Optional<URI> endpoint,
      String accessKeyId,
      Secret secretAccessKey,
      Duration timeout) {
    this.id = id;
    this.bucket = bucket;
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKeyId, secretAccessKey.reveal()));
    boolean compatible = endpoint.isPresent() || id.equals("r2");
    S3Configuration service =
        S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build();
    var clientBuilder =
        S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .serviceConfiguration(service)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(timeout)
                    .socketTimeout(timeout)
                    .build())
            .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(2)));
    var presignerBuilder =
        S3Presigner.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .serviceConfiguration(service);
    if (compatible) {
      clientBuilder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    endpoint.ifPresent(
        e -> {
          clientBuilder.endpointOverride(e);
          presignerBuilder.endpointOverride(e);
        });
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
    this.uploads = uploadSigner(presigner, bucket, accessKeyId, secretAccessKey);
  }

  /**
   * The {@link UploadSigner} that reproduces this presigner's URL for a probe key byte for byte, or
   * null (the SDK then signs every upload URL).
   */
  private static UploadSigner uploadSigner(
      S3Presigner presigner, String bucket, String accessKeyId, Secret secretAccessKey) {
    Duration validity = Duration.ofMinutes(10);
    PresignedPutObjectRequest probe =
        presigner.presignPutObject(
            p ->
                p.signatureDuration(validity)
                    .putObjectRequest(
                        r ->
                            r.bucket(bucket)
                                .key(UploadSigner.PROBE_KEY)
                                .contentType(UploadSigner.PROBE_TYPE)
                                .contentLength(UploadSigner.PROBE_LENGTH)));
    return UploadSigner.matching(
            probe.url().toString(),
            probe.signedHeaders(),
            validity,
            accessKeyId,
            secretAccessKey.reveal())
        .orElse(null);
  }

  /** Whether upload URLs are signed without the SDK's presigner (see {@link UploadSigner}). */
  boolean signsUploadsItself() {
    return uploads != null;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public PresignedRequest presignUpload(
      String key, String contentType, long length, Duration validFor) {
    if (uploads != null
        && validFor.getNano() == 0
        && validFor.getSeconds() >= 1
        && validFor.getSeconds() <= MAX_VALIDITY_SECONDS
        && UploadSigner.signs(key, contentType)) {
      UploadSigner.Signed signed =
          uploads.presign(key, contentType, length, validFor, Instant.now());
      return new PresignedRequest(
          URI.create(signed.url()),
          "PUT",
          Map.of("Content-Type", contentType, "Content-Length", Long.toString(length)),
          signed.expiresAt());
    }
    PresignedPutObjectRequest presigned =
        presigner.presignPutObject(
            p ->
                p.signatureDuration(validFor)
                    .putObjectRequest(
                        r ->
                            r.bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .contentLength(length)));
    return new PresignedRequest(
        uri(presigned.url()),
        "PUT",
        clientHeaders(presigned.signedHeaders()),
        presigned.expiration());
  }

  @Override
  public PresignedRequest presignDownload(
      String key, String contentType, String disposition, Duration validFor) {
    PresignedGetObjectRequest presigned =
        presigner.presignGetObject(
            p ->
                p.signatureDuration(validFor)
                    .getObjectRequest(
                        r ->
                            r.bucket(bucket)
                                .key(key)
                                .responseContentType(contentType)
                                .responseContentDisposition(disposition)));
    return new PresignedRequest(
        uri(presigned.url()),
        "GET",
        clientHeaders(presigned.signedHeaders()),
        presigned.expiration());
  }

  @Override
  public Optional<StoredObject> head(String key) {
    try {
      HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key(key));
      return Optional.of(
          new StoredObject(
              head.contentLength(), Optional.ofNullable(head.contentType()).orElse("")));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw translate("HEAD", e);
    } catch (SdkException e) {
      throw translate("HEAD", e);
    }
  }

  @Override
  public Optional<byte[]> readPrefix(String key, int maxBytes) {
    try {
      ResponseBytes<GetObjectResponse> bytes =
          client.getObjectAsBytes(
              r -> r.bucket(bucket).key(key).range("bytes=0-" + (maxBytes - 1)));
      return Optional.of(bytes.asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      if (e.statusCode() == 416) {
        return Optional.of(new byte[0]);
      }
      throw translate("GET", e);
    } catch (SdkException e) {
      throw translate("GET", e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      client.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw translate("DELETE", e);
    }
  }

  @Override
  public HealthResult health() {
    try {
      client.headBucket(r -> r.bucket(bucket));
      return HealthResult.up("bucket " + bucket + " reachable");
    } catch (S3Exception e) {
      return HealthResult.down(
          "bucket "
              + bucket
              + ": HTTP "
              + e.statusCode()
              + (e.statusCode() == 403
                  ? " (credentials refused)"
                  : e.statusCode() == 404 ? " (no such bucket)" : ""));
    } catch (SdkException e) {
      return HealthResult.down(
          "bucket " + bucket + " unreachable: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }

  /**
   * The signed headers a client must send, without {@code host} (its HTTP library sets that from
   * the URL).
   */
  static Map<String, String> clientHeaders(Map<String, List<String>> signed) {
    Map<String, String> headers = new LinkedHashMap<>();
    signed.forEach(
        (name, values) -> {
          if (!name.equalsIgnoreCase("host") && !values.isEmpty()) {
            headers.put(canonical(name), String.join(",", values));
          }
        });
    return headers;
  }

  private static String canonical(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "content-type" -> "Content-Type";
      case "content-length" -> "Content-Length";
      default -> name;
    };
  }

  private static URI uri(URL url) {
    try {
      return url.toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("the SDK made an invalid URL", e);
    }
  }

  private StorageException translate(String operation, SdkException e) {
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? "" : " " + s3.awsErrorDetails().errorCode();
      return new StorageException(
          operation + " on bucket " + bucket + " failed: HTTP " + status + code,
          status == 429 || status == 503 || status >= 500,
          e);
    }
    // Client-side failures are connection refused, DNS, timeouts: the store may well be back in a
    // moment (the SDK
    // itself reports them as not retryable once its own attempts are used up).
    return new StorageException(
        operation + " on bucket " + bucket + " failed: " + e.getClass().getSimpleName(), true, e);
  }
}
