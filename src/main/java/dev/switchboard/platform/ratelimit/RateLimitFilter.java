package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;

/**
 * Limits {@code /api/**} and {@code /v1/**} per caller ({@link Caller#orAnonymous}): the API-wide
 * {@code SWITCHBOARD_API_RATE_LIMIT}, plus every {@link RateLimitRule} whose prefix matches (or,
 * for a rule that {@linkplain RateLimitRule#replacesApiLimit() replaces it}, that rule instead).
 * Over a limit the answer is 429 {@code rate_limited} with {@code Retry-After}; every limited
 * response carries {@code RateLimit-Limit} and {@code RateLimit-Remaining} of the tightest limit.
 * Actuator and the dashboard are not limited here.
 */
@Order(FilterOrder.RATE_LIMIT)
public class RateLimitFilter extends RequestFilter {

  public static final String API_RULE = "api";

  private final RateLimiter limiter;
  private final RateLimitRule apiRule;
  private final List<RateLimitRule> rules;
  private final List<RateLimitRule> apiRuleOnly;
  private final ErrorResponses errors;

  public RateLimitFilter(
      RateLimiter limiter,
      SwitchboardConfig config,
      List<RateLimitRule> rules,
      ErrorResponses errors) {
    this.limiter = limiter;
    this.apiRule = new RateLimitRule(API_RULE, "/", config.core().apiRateLimit());
    this.rules = List.copyOf(rules);
    this.apiRuleOnly = List.of(apiRule);
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = path(request);
    boolean api = path.startsWith("/api/") || path.equals("/api") || path.startsWith("/v1/");
    // Outside the API, only paths an area declared a rule for (the dashboard sign-in form) are
    // limited.
    return !api && rules.stream().noneMatch(rule -> rule.appliesTo(path));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String caller = Caller.orAnonymous(request).id();
    RateLimiter.Decision tightest = null;
    Rate tightestRate = null;
    for (RateLimitRule rule : applicable(path(request))) {
      RateLimiter.Decision decision = limiter.tryAcquire(rule.name() + ":" + caller, rule.rate());
      if (!decision.allowed()) {
        errors.write(request, response, limited(rule.rate(), decision));
        return;
      }
      if (tightest == null || decision.remaining() < tightest.remaining()) {
        tightest = decision;
        tightestRate = rule.rate();
      }
    }
    response.setHeader("RateLimit-Limit", Long.toString(tightestRate.permits()));
    response.setHeader("RateLimit-Remaining", Long.toString(tightest.remaining()));
    chain.doFilter(request, response);
  }

  /**
   * The area rules first: a request they refuse then does not also use up the caller's API-wide
   * budget. A rule that replaces the API-wide limit (provider webhooks) leaves it out.
   */
  private List<RateLimitRule> applicable(String path) {
    List<RateLimitRule> matching = null;
    boolean replaced = false;
    for (RateLimitRule rule : rules) {
      if (rule.appliesTo(path)) {
        if (matching == null) {
          matching = new ArrayList<>(2);
        }
        matching.add(rule);
        replaced |= rule.replacesApiLimit();
      }
    }
    if (matching == null) {
      // Most API requests: no area rule, the API-wide limit alone.
      return apiRuleOnly;
    }
    if (!replaced) {
      matching.add(apiRule);
    }
    return matching;
  }

  static ApiException limited(Rate rate, RateLimiter.Decision decision) {
    long seconds = decision.retryAfterSeconds();
    return new ApiException(
        429,
        "rate_limited",
        "Too many requests; the limit is " + rate + ". Retry after " + seconds + " s.",
        true,
        null,
        Map.of(
            "Retry-After",
            Long.toString(seconds),
            "RateLimit-Limit",
            Long.toString(rate.permits()),
            "RateLimit-Remaining",
            Long.toString(decision.remaining())));
  }

  /**
   * The decoded, normalised path (the container has removed {@code ;params}, {@code //} and dot
   * segments).
   */
  private static String path(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = servletPath == null ? "" : servletPath;
    // Asked twice per request (shouldNotFilter, then the rules): no new string without a path info.
    if (pathInfo != null) {
      path += pathInfo;
    }
    return path.isEmpty() ? request.getRequestURI() : path;
  }
}
