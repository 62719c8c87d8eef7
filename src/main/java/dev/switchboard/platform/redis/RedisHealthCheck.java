package dev.switchboard.platform.redis;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code PING} on the shared connection with its own short timeout, so a Redis that stopped
 * answering is reported down quickly instead of holding the health monitor's thread.
 */
public final class RedisHealthCheck implements HealthCheck {

  static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final RedisConnections redis;
  private final Duration timeout;

  public RedisHealthCheck(RedisConnections redis, Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  @Override
  public HealthResult check() throws InterruptedException {
    try {
      String reply = redis.ping(timeout);
      return "PONG".equalsIgnoreCase(reply)
          ? HealthResult.up("PING ok")
          : HealthResult.down("unexpected reply to PING");
    } catch (RedisUnavailableException e) {
      return HealthResult.down("unreachable");
    } catch (TimeoutException e) {
      return HealthResult.down("no answer to PING within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return HealthResult.down("PING failed (" + e.getCause().getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return HealthResult.down("PING failed (" + e.getClass().getSimpleName() + ")");
    }
  }
}
