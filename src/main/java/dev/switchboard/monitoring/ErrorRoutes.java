package dev.switchboard.monitoring;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import dev.switchboard.platform.http.ApiException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/errors?limit=&offset=}: the error groups for the dashboard's errors page, newest
 * first. With Sentry configured the list holds only what was recorded before the switch; {@code
 * provider} tells the page where to look.
 */
@RestController
public class ErrorRoutes {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;
  static final int MAX_OFFSET = 1_000_000;

  /** The response: a page of groups plus where new errors go. */
  public record ErrorList(
      String provider, List<ErrorGroup> groups, long total, int limit, int offset) {}

  private final ErrorStore store;
  private final ErrorReporter reporter;

  public ErrorRoutes(ErrorStore store, ErrorReporter reporter) {
    this.store = store;
    this.reporter = reporter;
  }

  @GetMapping("/api/errors")
  @RequiresScope(Scopes.ADMIN)
  ErrorList list(
      @RequestParam(required = false) String limit, @RequestParam(required = false) String offset) {
    int pageSize = integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    int skip = integer("offset", offset, 0, 0, MAX_OFFSET);
    ErrorPage page = store.page(pageSize, skip);
    return new ErrorList(
        reporter.provider(), page.groups(), page.total(), page.limit(), page.offset());
  }

  static int integer(String field, String raw, int fallback, int min, int max) {
    if (raw == null) {
      return fallback;
    }
    String message = field + " must be a whole number from " + min + " to " + max;
    if (!raw.matches("^[0-9]{1,9}$")) {
      throw ApiException.invalidField(field, message);
    }
    int value = Integer.parseInt(raw);
    if (value < min || value > max) {
      throw ApiException.invalidField(field, message);
    }
    return value;
  }
}
