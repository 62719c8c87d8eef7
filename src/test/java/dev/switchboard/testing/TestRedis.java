package dev.switchboard.testing;

/**
 * The machine's Redis at 127.0.0.1:6379 (started by .ci/run). Tests use unique key prefixes, never
 * FLUSHALL.
 */
public final class TestRedis {

  public static final String URL = System.getProperty("test.redis.url", "redis://127.0.0.1:6379");

  private TestRedis() {}
}
