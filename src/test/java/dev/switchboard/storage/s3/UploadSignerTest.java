package dev.switchboard.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Upload URLs signed without the SDK's pipeline are the SDK's own, byte for byte: for AWS
 * (virtual-hosted), R2 and a path-style endpoint, each URL is compared with the SDK's presign of
 * the same key, type and length at the same instant.
 */
class UploadSignerTest {

  private static final String ACCESS_KEY = "AKIAUPLOADSIGNER0001";
  private static final String SECRET = "upload-signer-test-secret/with+odd=chars";

  @ParameterizedTest
  @CsvSource({
    "us-east-1, , switchboard-uploads",
    "eu-west-1, , switchboard-uploads",
    "auto, https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com, switchboard",
    "us-east-1, http://127.0.0.1:9000, bucket",
    "eu-central-1, https://minio.example.com, my.bucket"
  })
  void presignWhenComparedWithTheSdkThenUrlsAndExpiryAreIdentical(
      String region, String endpoint, String bucket) {
    S3Presigner presigner = presigner(region, Optional.ofNullable(endpoint).map(URI::create));
    Duration validity = Duration.ofMinutes(10);
    UploadSigner signer = signerFor(presigner, bucket, validity);
    for (String[] upload :
        List.of(
            new String[] {
              "uploads/key_abc/5b1d0c8e-1f7a-4c55-9b8e-0d3c9f0a1b2c/photo.png", "image/png"
            },
            new String[] {
              "uploads/usr_0123456789ab/0f0e0d0c-0b0a-4908-8706-050403020100/a.b-c_d.pdf",
              "application/pdf"
            },
            new String[] {"uploads/u/1/file", "image/svg+xml"},
            new String[] {
              "a~b/C.D", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            })) {
      for (long length : new long[] {1, 65536, 5L * 1024 * 1024 * 1024}) {
        for (Duration validFor : List.of(validity, Duration.ofSeconds(1), Duration.ofDays(7))) {
          PresignedPutObjectRequest sdk =
              presigner.presignPutObject(
                  p ->
                      p.signatureDuration(validFor)
                          .putObjectRequest(
                              r ->
                                  r.bucket(bucket)
                                      .key(upload[0])
                                      .contentType(upload[1])
                                      .contentLength(length)));
          Instant signedAt = sdk.expiration().minus(validFor);

          UploadSigner.Signed ours =
              signer.presign(upload[0], upload[1], length, validFor, signedAt);

          assertThat(UploadSigner.signs(upload[0], upload[1])).isTrue();
          assertThat(ours.url()).isEqualTo(sdk.url().toString());
          assertThat(ours.expiresAt()).isEqualTo(sdk.expiration());
          assertThat(S3ObjectStorage.clientHeaders(sdk.signedHeaders()))
              .isEqualTo(
                  Map.of("Content-Type", upload[1], "Content-Length", Long.toString(length)));
        }
      }
    }
    presigner.close();
  }

  @ParameterizedTest
  @CsvSource({
    "'uploads/u/1/with space.png', image/png",
    "'uploads/u/1/ünï.png', image/png",
    "'uploads/u/1/a%2Fb.png', image/png",
    "'uploads/u/1/a+b.png', image/png",
    "'', image/png",
    "'uploads/u/1/a.png', 'image/png; charset=x'",
    "'uploads/u/1/a.png', ''"
  })
  void signsWhenTheKeyOrTypeNeedsEncodingOrTrimmingThenLeavesItToTheSdk(String key, String type) {
    assertThat(UploadSigner.signs(key, type)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"us-east-1, ''", "auto, https://acct.r2.cloudflarestorage.com"})
  void storageWhenBuiltThenSignsUploadsItselfAndItsUrlsCarryTheSignedParameters(
      String region, String endpoint) {
    S3ObjectStorage storage =
        new S3ObjectStorage(
            region.equals("auto") ? "r2" : "s3",
            "switchboard",
            region,
            Optional.of(endpoint).filter(e -> !e.isEmpty()).map(URI::create),
            ACCESS_KEY,
            dev.switchboard.platform.config.Secret.of(SECRET),
            Duration.ofSeconds(5));
    try {
      assertThat(storage.signsUploadsItself()).isTrue();
      var upload =
          storage.presignUpload("uploads/u/1/a.png", "image/png", 42, Duration.ofMinutes(10));
      assertThat(upload.url().getRawQuery())
          .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost")
          .contains("X-Amz-Expires=600")
          .contains("X-Amz-Credential=" + ACCESS_KEY + "%2F")
          .doesNotContain(SECRET);
      assertThat(upload.headers())
          .isEqualTo(Map.of("Content-Type", "image/png", "Content-Length", "42"));
      assertThat(upload.method()).isEqualTo("PUT");
    } finally {
      storage.close();
    }
  }

  private static UploadSigner signerFor(S3Presigner presigner, String bucket, Duration validity) {
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
    Optional<UploadSigner> signer =
        UploadSigner.matching(
            probe.url().toString(), probe.signedHeaders(), validity, ACCESS_KEY, SECRET);
    assertThat(signer).as("reproduces the SDK's probe URL %s", probe.url()).isPresent();
    return signer.get();
  }

  private static S3Presigner presigner(String region, Optional<URI> endpoint) {
    var builder =
        S3Presigner.builder()
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
