package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.jobs.JobStatus;
import dev.switchboard.platform.jobs.JobWorker;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 10,000-recipient bulk send on PostgreSQL: accepted in one transaction, every message queued
 * with its job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EmailBulkPostgresIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/email-bulk-pg-" + UUID.randomUUID());
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
  }

  @LocalServerPort int port;

  @Autowired JobWorker worker;

  @Autowired JobQueue jobs;

  @Test
  void bulkWhenTenThousandRecipientsThenAllStoredAndQueuedInOneRequest() {
    // Measure the request alone: with the worker stopped, the queue stays as the request left it.
    worker.stop();
    StringBuilder recipients = new StringBuilder();
    for (int i = 0; i < EmailService.MAX_RECIPIENTS; i++) {
      recipients
          .append(i == 0 ? "" : ",")
          .append("{\"to\":\"bulk")
          .append(i)
          .append("@example.com\",\"variables\":{\"name\":\"User ")
          .append(i)
          .append("\",\"verifyUrl\":\"https://app.test/verify?u=")
          .append(i)
          .append("\"}}");
    }
    HttpTestClient http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    String body = "{\"template\":\"welcome\",\"recipients\":[" + recipients + "]}";
    http.post(
        "/api/email/bulk",
        "{\"template\":\"welcome\",\"recipients\":[{\"to\":\"warm@example.com\","
            + "\"variables\":{\"name\":\"W\",\"verifyUrl\":\"https://app.test/u\"}}]}");

    long start = System.nanoTime();
    HttpResponse<String> response = http.post("/api/email/bulk", body);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(
        "EmailBulkPostgresIT: 10,000-recipient bulk ("
            + body.length() / 1024
            + " KiB) accepted in "
            + millis
            + " ms");

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode accepted = JsonMapper.builder().build().readTree(response.body());
    assertThat(accepted.path("count").asInt()).isEqualTo(10_000);
    JsonNode batch =
        JsonMapper.builder()
            .build()
            .readTree(http.get("/api/email/batches/" + accepted.path("batchId").asString()).body());
    assertThat(batch.path("counts").path("queued").asInt()).isEqualTo(10_000);
    assertThat(jobs.stats().count(EmailSendJob.TYPE, JobStatus.READY)).isEqualTo(10_001);
  }
}
