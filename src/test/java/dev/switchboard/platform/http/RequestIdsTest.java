package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestIdsTest {

  private final RequestIds filter = new RequestIds();

  @Test
  void filterWhenNoIncomingIdThenGivesDistinctNinetySixBitIds() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = idFor(null);
      assertThat(id).matches("req_[0-9a-f]{24}");
      seen.add(id);
    }
    assertThat(seen).hasSize(1_000);
  }

  @Test
  void filterWhenIncomingIdWellFormedThenKeepsIt() throws Exception {
    assertThat(idFor("proxy-1234.abc_DEF")).isEqualTo("proxy-1234.abc_DEF");
  }

  @Test
  void filterWhenIncomingIdMalformedThenReplacesIt() throws Exception {
    assertThat(idFor("short")).startsWith("req_");
    assertThat(idFor("bad id with spaces")).startsWith("req_");
    assertThat(idFor("x".repeat(65))).startsWith("req_");
    assertThat(idFor("ok-id-1\nforged: header")).startsWith("req_");
  }

  private String idFor(String incoming) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/ping");
    if (incoming != null) {
      request.addHeader(RequestIds.HEADER, incoming);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    String id = response.getHeader(RequestIds.HEADER);
    assertThat(RequestIds.of(request)).isEqualTo(id);
    return id;
  }
}
