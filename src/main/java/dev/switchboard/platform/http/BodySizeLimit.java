package dev.switchboard.platform.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.annotation.Order;

/**
 * Rejects bodies over the limit with 413 {@code payload_too_large} before they are parsed: at once
 * when {@code Content-Length} says so, and while reading when a chunked body grows past it. The
 * default is 1 MiB; areas that accept more (bulk email, analytics batches) declare a {@link Rule}
 * bean for their path.
 */
@Order(FilterOrder.BODY_LIMIT)
public class BodySizeLimit extends RequestFilter {

  public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

  /** A larger (or smaller) limit for paths starting with {@code pathPrefix}. */
  public record Rule(String pathPrefix, long maxBytes) {}

  private final List<Rule> rules;
  private final ErrorResponses errors;

  public BodySizeLimit(List<Rule> rules, ErrorResponses errors) {
    this.rules = rules;
    this.errors = errors;
  }

  /** The limit of the longest matching prefix (a loop: this runs on every request). */
  long limitFor(String path) {
    Rule best = null;
    for (Rule rule : rules) {
      if (path.startsWith(rule.pathPrefix())
          && (best == null || rule.pathPrefix().length() > best.pathPrefix().length())) {
        best = rule;
      }
    }
    return best == null ? DEFAULT_MAX_BYTES : best.maxBytes();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = limitFor(request.getRequestURI());
    if (request.getContentLengthLong() > limit) {
      // Tell the client not to keep sending the rest of a body we will not read.
      response.setHeader("Connection", "close");
      errors.write(request, response, tooLarge(limit));
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(
        413, "payload_too_large", "The request body is larger than " + limit + " bytes.");
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private long count;

    CountingStream(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b != -1) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(int n) {
      count += n;
      if (count > limit) {
        throw tooLarge(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
