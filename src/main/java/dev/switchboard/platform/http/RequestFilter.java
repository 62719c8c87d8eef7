package dev.switchboard.platform.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * The base of Switchboard's servlet filters: a {@link OncePerRequestFilter} that remembers which
 * filters are at work on the request thread instead of in request attributes. Spring's base sets,
 * reads and removes an "already filtered" attribute per filter and dispatch, which Tomcat handles
 * through the request wrappers, its special-attribute table, the attribute map and the listener
 * list; a dozen filters did that on every request, {@code GET /api/ping} included (8–10 % of its
 * request-thread samples in JFR). The decisions are Spring's, in Spring's order: async and error
 * dispatches the filter does not ask for, and requests {@link #shouldNotFilter} names, pass on; a
 * filter at work on the thread is not run again for a nested dispatch of the same request (a nested
 * error dispatch goes to {@link #doFilterNestedErrorDispatch}). A servlet request is served on one
 * thread until its filters return (an async dispatch comes after); each filter at work is kept with
 * the request it works on, unwrapped to the container's own (a forward or include wraps it), so
 * another request served inside a filter on the same thread (a test sending one from a handler,
 * say) is filtered as its own. Each filter class is registered once, so the class identifies the
 * filter, as the attribute name did.
 *
 * <p>At trace level each filter logs the dispatch it works on ({@code FilterChainIT} pins the order
 * with it).
 */
public abstract class RequestFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(RequestFilter.class);

  private static final ThreadLocal<AtWork> AT_WORK = ThreadLocal.withInitial(AtWork::new);

  private final String name = getClass().getSimpleName();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse httpResponse)) {
      throw new ServletException("OncePerRequestFilter only supports HTTP requests");
    }
    AtWork atWork = AT_WORK.get();
    ServletRequest served = served(request);
    boolean alreadyFiltered = atWork.contains(getClass(), served);
    if (skipDispatch(http) || shouldNotFilter(http)) {
      chain.doFilter(request, response);
    } else if (alreadyFiltered) {
      if (DispatcherType.ERROR.equals(request.getDispatcherType())) {
        doFilterNestedErrorDispatch(http, httpResponse, chain);
      } else {
        chain.doFilter(request, response);
      }
    } else {
      if (log.isTraceEnabled()) {
        log.trace("{} {}", request.getDispatcherType(), name);
      }
      atWork.push(this, served);
      try {
        doFilterInternal(http, httpResponse, chain);
      } finally {
        atWork.pop();
      }
    }
  }

  /** Spring's rule: an async or error dispatch the filter does not want. */
  private boolean skipDispatch(HttpServletRequest request) {
    if (isAsyncDispatch(request) && shouldNotFilterAsyncDispatch()) {
      return true;
    }
    return request.getAttribute(WebUtils.ERROR_REQUEST_URI_ATTRIBUTE) != null
        && shouldNotFilterErrorDispatch();
  }

  /** The container's request under any wrappers: the same for every dispatch of one request. */
  private static ServletRequest served(ServletRequest request) {
    ServletRequest served = request;
    while (served instanceof ServletRequestWrapper wrapper) {
      served = wrapper.getRequest();
    }
    return served;
  }

  /**
   * The filters at work on this thread with the requests they work on, outermost first; they finish
   * in reverse order.
   */
  private static final class AtWork {
    private RequestFilter[] filters = new RequestFilter[16];
    private ServletRequest[] requests = new ServletRequest[16];
    private int size;

    boolean contains(Class<?> type, ServletRequest request) {
      for (int i = 0; i < size; i++) {
        if (filters[i].getClass() == type && requests[i] == request) {
          return true;
        }
      }
      return false;
    }

    void push(RequestFilter filter, ServletRequest request) {
      if (size == filters.length) {
        filters = Arrays.copyOf(filters, size * 2);
        requests = Arrays.copyOf(requests, size * 2);
      }
      filters[size] = filter;
      requests[size++] = request;
    }

    void pop() {
      filters[--size] = null;
      requests[size] = null;
    }
  }
}
