package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.http.RequestIds;
import dev.switchboard.testing.HeaderCallerFilter;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** What the inbound-limit tests check on both backends. */
final class RateLimitResponses {

  private RateLimitResponses() {}

  static List<HttpResponse<String>> get(
      HttpTestClient http, int times, String path, String caller) {
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      responses.add(http.get(path, HeaderCallerFilter.HEADER, caller));
    }
    return responses;
  }

  /** Three answers with a falling budget, then 429 in the error shape with the retry headers. */
  static void assertFourthOfThreePerMinuteIsLimited(List<HttpResponse<String>> responses) {
    assertThat(responses).hasSize(4);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = responses.get(i);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("RateLimit-Limit")).hasValue("3");
      assertThat(r.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(2 - i));
    }
    HttpResponse<String> limited = responses.get(3);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 20L));
    assertThat(limited.headers().firstValue("RateLimit-Limit")).hasValue("3");
    assertThat(limited.headers().firstValue("RateLimit-Remaining")).hasValue("0");
    assertThat(limited.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    String requestId = limited.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(limited.body())
        .contains("\"status\":429")
        .contains("\"code\":\"rate_limited\"")
        .contains("\"message\":\"Too many requests")
        .contains("\"requestId\":\"" + requestId + "\"");
  }
}
