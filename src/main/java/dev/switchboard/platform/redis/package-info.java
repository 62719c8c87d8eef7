/**
 * The Redis connection, present only when {@code REDIS_URL} is set: one Lettuce client and
 * connection shared by the global rate limits and the {@code redis} health check, closed on
 * shutdown. Lettuce types stay in this package and in the Redis rate limiter that hands the
 * connection to Bucket4j.
 */
package dev.switchboard.platform.redis;
