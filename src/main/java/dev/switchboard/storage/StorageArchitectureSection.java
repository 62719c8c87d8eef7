package dev.switchboard.storage;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Chapter 5 of the architecture document: where files go, the upload flow and the file policy. */
class StorageArchitectureSection implements ArchitectureSection {

  private final SwitchboardConfig config;

  StorageArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 50;
  }

  @Override
  public String chapter() {
    return "File Storage Integration";
  }

  @Override
  public List<Check> healthChecks() {
    boolean local = config.area(StorageConfig.class).provider().equals("local");
    return List.of(
        new Check(
            "storage",
            local ? "data directory writable" : "HEAD bucket",
            StorageConfiguration.HEALTH_INTERVAL));
  }

  @Override
  public List<Part> parts(Context context) {
    StorageConfig s = config.area(StorageConfig.class);
    String provider =
        switch (s.provider()) {
          case "s3" -> "AWS S3";
          case "r2" -> "Cloudflare R2 (S3 API)";
          default ->
              "Local disk (embedded: "
                  + config.core().dataDir().resolve("storage")
                  + ", one instance)";
        };
    String env =
        s.provider().equals("local")
            ? "STORAGE_PROVIDER=local\n# for S3: STORAGE_PROVIDER=s3 S3_BUCKET=your-bucket S3_REGION=us-east-1 "
                + "AWS_ACCESS_KEY_ID=xxxxx AWS_SECRET_ACCESS_KEY=xxxxx"
            : "STORAGE_PROVIDER="
                + s.provider()
                + "\nS3_BUCKET="
                + s.bucket().orElse("")
                + s.region().map(r -> "\nS3_REGION=" + r).orElse("")
                + s.endpoint().map(e -> "\nS3_ENDPOINT=" + e).orElse("")
                + "\nAWS_ACCESS_KEY_ID="
                + s.accessKeyId().map(StorageConfiguration::maskKeyId).orElse("")
                + "\nAWS_SECRET_ACCESS_KEY="
                + s.secretAccessKey().map(k -> k.masked()).orElse("");
    List<List<String>> types = new ArrayList<>();
    for (Map.Entry<String, Long> e : s.policy().entrySet()) {
      types.add(List.of(e.getKey(), StorageConfiguration.size(e.getValue()), useCase(e.getKey())));
    }
    String body =
        "**Purpose:** User file uploads, generated exports\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of("Provider", provider),
                    List.of("Bucket", s.bucket().orElse("-")),
                    List.of("Region", s.region().orElse(s.provider().equals("r2") ? "auto" : "-")),
                    List.of(
                        "Endpoint",
                        s.endpoint()
                            .map(Object::toString)
                            .orElse(
                                s.provider().equals("local")
                                    ? config.core().publicUrl()
                                        + "/files (signed URLs served by Switchboard)"
                                    : "-")),
                    List.of(
                        "Rate limit",
                        s.rateLimit()
                            + " presign and complete calls per client (`STORAGE_RATE_LIMIT`)")))
            + "\n"
            + "**Environment Variables:**\n"
            + Markdown.code("bash", env)
            + "\n"
            + "**Upload Flow:**\n"
            + "1. Client requests a presigned URL: `POST /api/files/presign {filename, contentType, size}`\n"
            + "2. Switchboard checks type and size against the policy and signs a URL with expiry\n"
            + "3. Client uploads directly to "
            + (s.provider().equals("local") ? "Switchboard's signed URL" : "the bucket")
            + "\n"
            + "4. Client notifies completion: `POST /api/files/{id}/complete`\n"
            + "5. Switchboard verifies size and content type (magic bytes) and stores the file reference\n\n"
            + "**File Types Allowed** (`STORAGE_POLICY`):\n"
            + Markdown.table(List.of("Type", "Max Size", "Use Case"), types);
    return List.of(new Part(s.provider().equals("local") ? "Local Storage" : provider, body));
  }

  private static String useCase(String type) {
    if (type.startsWith("image/")) {
      return "Images (profile photos)";
    }
    if (type.equals("application/pdf")) {
      return "Documents";
    }
    if (type.startsWith("video/")) {
      return "Video";
    }
    return "Uploads";
  }
}
