package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.util.WebUtils;

/** The "once per request" decisions of {@link RequestFilter}, which are Spring's. */
class RequestFilterTest {

  /** Records its work; {@code inside} runs within it, as a nested dispatch would. */
  static class Recording extends RequestFilter {
    final List<String> work = new ArrayList<>();
    FilterChain inside = (request, response) -> {};
    boolean errorDispatches;

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      work.add(request.getDispatcherType() + " " + Collections.list(request.getAttributeNames()));
      inside.doFilter(request, response);
      chain.doFilter(request, response);
    }

    @Override
    protected void doFilterNestedErrorDispatch(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
      work.add("nested error");
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
      return !errorDispatches;
    }
  }

  static class Other extends Recording {}

  final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/ping");
  final MockHttpServletResponse response = new MockHttpServletResponse();
  final List<String> passed = new ArrayList<>();
  final FilterChain next = (req, res) -> passed.add("next");

  @Test
  void requestWhenFilteredThenNoRequestAttributeIsSetOrLeft() throws Exception {
    Recording filter = new Recording();

    filter.doFilter(request, response, next);

    assertThat(filter.work).containsExactly("REQUEST []");
    assertThat(Collections.list(request.getAttributeNames())).isEmpty();
    assertThat(passed).containsExactly("next");
  }

  @Test
  void nestedDispatchWhenTheFilterIsAtWorkThenItPassesOn() throws Exception {
    Recording filter = new Recording();
    Other other = new Other();
    HttpServletRequest forwarded = nested(request, DispatcherType.FORWARD);
    filter.inside =
        (req, res) -> {
          filter.doFilter(forwarded, res, next);
          other.doFilter(forwarded, res, next);
        };

    filter.doFilter(request, response, next);

    assertThat(filter.work).containsExactly("REQUEST []");
    assertThat(other.work).containsExactly("FORWARD []");
    assertThat(passed).containsExactly("next", "next", "next");
  }

  @Test
  void anotherRequestWhenServedInsideTheFilterOnTheSameThreadThenFilteredAsItsOwn()
      throws Exception {
    Recording filter = new Recording();
    MockHttpServletRequest second = new MockHttpServletRequest("POST", "/api/files/presign");
    filter.inside =
        (req, res) -> {
          filter.inside = (r, s) -> {};
          filter.doFilter(second, new MockHttpServletResponse(), next);
        };

    filter.doFilter(request, response, next);

    assertThat(filter.work).containsExactly("REQUEST []", "REQUEST []");
    assertThat(passed).containsExactly("next", "next");
  }

  @Test
  void nestedErrorDispatchWhenTheFilterIsAtWorkThenNestedErrorHandling() throws Exception {
    Recording filter = new Recording();
    filter.errorDispatches = true;
    filter.inside = (req, res) -> filter.doFilter(nested(request, DispatcherType.ERROR), res, next);

    filter.doFilter(request, response, next);

    assertThat(filter.work).containsExactly("REQUEST []", "nested error");
  }

  @Test
  void errorDispatchWhenTheFilterDoesNotAskForItThenSkipped() throws Exception {
    Recording skipping = new Recording();
    Recording working = new Recording();
    working.errorDispatches = true;

    skipping.doFilter(errorDispatch(), response, next);
    working.doFilter(errorDispatch(), response, next);

    assertThat(skipping.work).isEmpty();
    assertThat(working.work).hasSize(1).allMatch(w -> w.startsWith("ERROR "));
    assertThat(passed).containsExactly("next", "next");
  }

  @Test
  void nextRequestWhenTheLastOneThrewThenTheFilterWorksAgain() throws Exception {
    Recording filter = new Recording();
    filter.inside =
        (req, res) -> {
          throw new IOException("client went away");
        };
    assertThatThrownBy(() -> filter.doFilter(request, response, next))
        .isInstanceOf(IOException.class);

    filter.inside = (req, res) -> {};
    filter.doFilter(new MockHttpServletRequest("GET", "/api/ping"), response, next);

    assertThat(filter.work).hasSize(2);
  }

  /**
   * The same request dispatched again while its filters are at work (as the container wraps it).
   */
  private static HttpServletRequest nested(HttpServletRequest request, DispatcherType type) {
    return new HttpServletRequestWrapper(request) {
      @Override
      public DispatcherType getDispatcherType() {
        return type;
      }

      @Override
      public Object getAttribute(String name) {
        return type == DispatcherType.ERROR && name.equals(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE)
            ? "/api/ping"
            : super.getAttribute(name);
      }
    };
  }

  private static MockHttpServletRequest errorDispatch() {
    MockHttpServletRequest error = new MockHttpServletRequest("GET", "/error");
    error.setDispatcherType(DispatcherType.ERROR);
    error.setAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE, "/api/ping");
    return error;
  }
}
