package dev.switchboard.testing;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bulk send of the built-in {@code welcome} template to {@code user0001@example.test} … through
 * the HTTP API of a running Switchboard, and its progress, for the crash test and the email
 * benchmark.
 */
public final class WelcomeBulk {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpTestClient http;
  private final int count;

  public WelcomeBulk(HttpTestClient http, int count) {
    this.http = http;
    this.count = count;
  }

  /** The address of recipient {@code i} (1-based). */
  public static String recipient(int i) {
    return String.format("user%04d@example.test", i);
  }

  /** Every recipient of a bulk of {@code count}. */
  public static Set<String> recipients(int count) {
    Set<String> all = new TreeSet<>();
    for (int i = 1; i <= count; i++) {
      all.add(recipient(i));
    }
    return all;
  }

  /**
   * Posts the bulk and returns its batch id; fails unless the answer is {@code 202} with the full
   * count.
   */
  public String post() {
    StringBuilder body =
        new StringBuilder(count * 96).append("{\"template\":\"welcome\",\"recipients\":[");
    for (int i = 1; i <= count; i++) {
      body.append(i == 1 ? "" : ",")
          .append("{\"to\":\"")
          .append(recipient(i))
          .append("\",\"variables\":{\"name\":\"User ")
          .append(i)
          .append("\",\"verifyUrl\":\"https://app.example.test/verify?u=")
          .append(i)
          .append("\"}}");
    }
    var response = http.post("/api/email/bulk", body.append("]}").toString());
    JsonNode accepted = JSON.readTree(response.body());
    if (response.statusCode() != 202 || accepted.path("count").asInt() != count) {
      throw new AssertionError(
          "bulk not accepted: " + response.statusCode() + " " + response.body());
    }
    return accepted.path("batchId").asString();
  }

  /** How many messages of the batch are {@code sent} now. */
  public int sent(String batchId) {
    var response = http.get("/api/email/batches/" + batchId);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "batch " + batchId + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).path("counts").path("sent").asInt();
  }

  /**
   * Polls the batch every {@code every} until all are {@code sent}; fails with the last count at
   * the deadline.
   */
  public void awaitAllSent(String batchId, Duration timeout, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int sent = sent(batchId);
    while (sent < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + sent + " of " + count + " sent after " + timeout);
      }
      Thread.sleep(every.toMillis());
      sent = sent(batchId);
    }
  }

  /** The message as {@code GET /api/email/messages/{id}} shows it. */
  public JsonNode message(String id) {
    return JSON.readTree(http.get("/api/email/messages/" + id).body());
  }
}
