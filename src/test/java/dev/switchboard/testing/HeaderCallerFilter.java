package dev.switchboard.testing;

import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.FilterOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands in for authentication in tests: {@code X-Test-Caller: key_abc} makes the request come from
 * that API key, {@code X-Test-User: usr_abc} from that signed-in account (see {@link
 * TestAccounts}). Not a component; a test declares it as a bean when it needs distinct callers.
 * Runs just after real authentication.
 */
public class HeaderCallerFilter extends OncePerRequestFilter implements Ordered {

  public static final String HEADER = "X-Test-Caller";
  public static final String USER_HEADER = "X-Test-User";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = request.getHeader(HEADER);
    if (id != null && !id.isBlank()) {
      request.setAttribute(Caller.ATTRIBUTE, new Caller(id, Caller.Kind.API_KEY, Set.of()));
    }
    String user = request.getHeader(USER_HEADER);
    if (user != null && !user.isBlank()) {
      request.setAttribute(Caller.ATTRIBUTE, new Caller(user, Caller.Kind.USER, Set.of()));
    }
    chain.doFilter(request, response);
  }

  @Override
  public int getOrder() {
    return FilterOrder.AUTHENTICATION + 1;
  }
}
