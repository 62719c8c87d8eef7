package dev.switchboard.platform.outbound;

/**
 * Told about every attempt of every outbound call. Error monitoring implements it for breadcrumbs
 * and latency metrics. Declare implementations as Spring beans; {@link OutboundHttp} picks them all
 * up.
 */
@FunctionalInterface
public interface OutboundCallListener {

  /**
   * Records one attempt. Called on the calling thread after the attempt ended, before any retry
   * wait. Must be fast and must not throw; an exception is logged and ignored so that it cannot
   * fail the call.
   *
   * @param attempt what was called and how it ended, never with headers, bodies or query strings
   */
  void onAttempt(OutboundAttempt attempt);
}
