package dev.switchboard.platform.http;

import org.springframework.core.Ordered;

/**
 * The order of the servlet filters every request passes, in one place so they cannot drift apart.
 */
public final class FilterOrder {

  public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

  /** Unusable Content-Type values are refused before anything parses them. */
  public static final int CONTENT_TYPE = Ordered.HIGHEST_PRECEDENCE + 5;

  public static final int BODY_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;
  public static final int AUTHENTICATION = Ordered.HIGHEST_PRECEDENCE + 20;
  public static final int RATE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 30;

  /**
   * Bad credentials are refused here, after the rate limit has counted them against the client's
   * address.
   */
  public static final int CREDENTIAL_REJECTION = Ordered.HIGHEST_PRECEDENCE + 35;

  public static final int IDEMPOTENCY = Ordered.HIGHEST_PRECEDENCE + 40;

  private FilterOrder() {}
}
