package dev.switchboard.platform.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * All of the application's {@link org.springframework.web.filter.OncePerRequestFilter}s (our {@link
 * RequestFilter}s and Spring's character encoding filter) as one servlet filter, registered once
 * with the container for every dispatch type. Tomcat builds a filter chain for every dispatch and
 * takes a shared lock for each registered filter it puts in it ({@code
 * StandardContext.findFilterConfig}); with nineteen filters registered one by one that was nineteen
 * lock acquisitions per request, and the threads of a loaded server queued on them. Here the chain
 * is one filter long; the filters run in the order and for the paths they were registered with,
 * each deciding about dispatch types itself as before (a {@link RequestFilter} skips the error and
 * async dispatches unless it says otherwise). {@link RequestFiltersRegistrar} collects them. A
 * filter left registered on its own (see there) runs after all of these, whatever its order.
 */
public final class RequestFilters implements Filter {

  /** One filter, with what its own registration said: its name, order and path prefixes. */
  record Member(
      Filter filter,
      String name,
      int order,
      boolean registrationBean,
      int index,
      List<String> prefixes) {

    static final Comparator<Member> ORDER =
        Comparator.comparingInt(Member::order)
            // As Spring Boot sorted them: registration beans before filter beans, then as defined.
            .thenComparing(m -> !m.registrationBean())
            .thenComparingInt(Member::index);

    /** Tomcat's rule for a {@code /prefix/*} mapping: the prefix itself or anything below it. */
    boolean applies(String path) {
      if (prefixes.isEmpty()) {
        return true;
      }
      for (String prefix : prefixes) {
        if (path.startsWith(prefix)
            && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
          return true;
        }
      }
      return false;
    }

    /**
     * What the container gave the filter when it was registered on its own: its name, no
     * parameters.
     */
    FilterConfig config(ServletContext context) {
      return new FilterConfig() {
        @Override
        public String getFilterName() {
          return name;
        }

        @Override
        public ServletContext getServletContext() {
          return context;
        }

        @Override
        public String getInitParameter(String parameter) {
          return null;
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
          return Collections.emptyEnumeration();
        }
      };
    }
  }

  private final List<Member> collected = new ArrayList<>();
  private volatile Member[] members;

  private final Set<Filter> heldByRegistrations =
      Collections.newSetFromMap(new IdentityHashMap<>());

  synchronized void add(Member member) {
    collected.add(member);
  }

  /** A registration bean holds this filter: it runs as that registration says, or not at all. */
  synchronized void heldByRegistration(Filter filter) {
    heldByRegistrations.add(filter);
  }

  /** The filters' names in the order they run. */
  public List<String> names() {
    return Arrays.stream(members()).map(Member::name).toList();
  }

  @Override
  public synchronized void init(FilterConfig config) throws ServletException {
    for (Member member : members()) {
      member.filter().init(member.config(config.getServletContext()));
    }
  }

  /**
   * The members in order, fixed at the first use (the container's {@code init}, after every bean
   * was made). A filter bean that a registration bean holds runs as that registration says: in here
   * if it is a member, on its own if not composable, not at all if disabled.
   */
  private Member[] members() {
    Member[] fixed = members;
    if (fixed == null) {
      synchronized (this) {
        if (members == null) {
          List<Member> sorted = new ArrayList<>(collected);
          sorted.removeIf(m -> !m.registrationBean() && heldByRegistrations.contains(m.filter()));
          sorted.sort(Member.ORDER);
          members = sorted.toArray(Member[]::new);
        }
        fixed = members;
      }
    }
    return fixed;
  }

  @Override
  public void destroy() {
    Member[] fixed = members();
    for (int i = fixed.length - 1; i >= 0; i--) {
      fixed[i].filter().destroy();
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    new Pass(members(), request, chain).doFilter(request, response);
  }

  /** One dispatch's way through the filters, then on to the container's chain. */
  private static final class Pass implements FilterChain {
    private final Member[] members;
    private final ServletRequest dispatched;
    private final FilterChain container;
    private String path;
    private int next;

    Pass(Member[] members, ServletRequest dispatched, FilterChain container) {
      this.members = members;
      this.dispatched = dispatched;
      this.container = container;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response)
        throws IOException, ServletException {
      while (next < members.length) {
        Member member = members[next++];
        if (member.prefixes().isEmpty() || member.applies(path())) {
          member.filter().doFilter(request, response, this);
          return;
        }
      }
      container.doFilter(request, response);
    }

    /** The path the container matched this dispatch's mappings against. */
    private String path() {
      if (path == null) {
        HttpServletRequest http = (HttpServletRequest) dispatched;
        String info = http.getPathInfo();
        path = info == null ? http.getServletPath() : http.getServletPath() + info;
      }
      return path;
    }
  }
}
