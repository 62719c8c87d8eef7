package dev.switchboard.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.http.ErrorResponses;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

class AnalyticsCorsTest {

  final AnalyticsCors cors =
      new AnalyticsCors(
          List.of(URI.create("https://app.example.com")),
          false,
          new ErrorResponses(
              JsonMapper.builder().build(), List.of(), SecretScrubber.of(List.of())));

  MockHttpServletResponse run(String method, String origin) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, "/v1/batch");
    if (origin != null) {
      request.addHeader("Origin", origin);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    cors.doFilter(request, response, new MockFilterChain());
    return response;
  }

  @Test
  void preflightWhenOriginAllowedThen204WithHeaders() throws Exception {
    MockHttpServletResponse response = run("OPTIONS", "https://app.example.com");

    assertThat(response.getStatus()).isEqualTo(204);
    assertThat(response.getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("https://app.example.com");
    assertThat(response.getHeader("Access-Control-Allow-Headers")).contains("Content-Encoding");
  }

  @Test
  void postWhenOriginNotAllowedThen403ErrorShape() throws Exception {
    MockHttpServletResponse response = run("POST", "https://evil.example.net");

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getContentAsString()).contains("\"code\":\"origin_not_allowed\"");
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void postWhenNoOriginThenPassesUntouched() throws Exception {
    MockHttpServletResponse response = run("POST", null);

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
  }
}
