package dev.switchboard.platform.redis;

import dev.switchboard.platform.config.Secret;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client and one connection, shared (Lettuce connections are thread-safe and pipeline
 * commands). The connection is opened on first use, not at startup, so a Redis that is down does
 * not stop Switchboard: callers get {@link RedisUnavailableException} at once and fall back, and
 * the health check reports it. After a failed connect the next attempt waits {@link
 * #RETRY_CONNECT_AFTER}, so requests do not each pay a connect timeout. Once connected, Lettuce
 * reconnects by itself, at most {@link #RECONNECT_AT_MOST_EVERY} apart (Lettuce's default backs off
 * to 30 s, which would keep limits local for half a minute after Redis is back); while it is
 * disconnected, commands fail at once instead of queueing.
 */
public final class RedisConnections implements AutoCloseable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  static final Duration RETRY_CONNECT_AFTER = Duration.ofSeconds(5);
  static final Duration RECONNECT_AT_MOST_EVERY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final RedisClient client;
  private final ClientResources resources;
  private final String displayUrl;
  private final Clock clock;
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private Instant nextAttempt = Instant.MIN;

  private RedisConnections(
      RedisClient client, ClientResources resources, String displayUrl, Clock clock) {
    this.client = client;
    this.resources = resources;
    this.displayUrl = displayUrl;
    this.clock = clock;
  }

  /**
   * A client for {@code url} ({@code redis://} or {@code rediss://}, credentials in the user info);
   * connects lazily.
   */
  public static RedisConnections create(Secret url, Clock clock) {
    RedisURI uri = RedisURI.create(url.reveal());
    uri.setTimeout(COMMAND_TIMEOUT);
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), RECONNECT_AT_MOST_EVERY, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .autoReconnect(true)
            .build());
    return new RedisConnections(client, resources, url.maskedUrl(), clock);
  }

  /**
   * The shared connection, string keys and byte-array values (what Bucket4j stores).
   *
   * @throws RedisUnavailableException when Redis cannot be reached now
   */
  public StatefulRedisConnection<String, byte[]> connection() {
    StatefulRedisConnection<String, byte[]> current = connection;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (connection != null) {
        return connection;
      }
      Instant now = clock.instant();
      if (now.isBefore(nextAttempt)) {
        throw new RedisUnavailableException(
            "Redis at " + displayUrl + " was unreachable moments ago", null);
      }
      try {
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        return connection;
      } catch (RuntimeException e) {
        nextAttempt = now.plus(RETRY_CONNECT_AFTER);
        log.warn("Cannot connect to Redis at {} ({})", displayUrl, e.getClass().getSimpleName());
        throw new RedisUnavailableException("Redis at " + displayUrl + " is unreachable", e);
      }
    }
  }

  /**
   * Sends {@code PING} and waits at most {@code timeout} for the answer.
   *
   * @return the reply, {@code PONG}
   * @throws RedisUnavailableException when Redis cannot be reached
   * @throws java.util.concurrent.TimeoutException when no answer came in time
   * @throws Exception when the command failed
   */
  public String ping(Duration timeout) throws Exception {
    return connection().async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Scheme, host and port, never credentials. */
  public String displayUrl() {
    return displayUrl;
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, byte[]> current = connection;
    if (current != null) {
      current.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
