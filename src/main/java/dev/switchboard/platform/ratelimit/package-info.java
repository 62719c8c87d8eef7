/**
 * Rate limits. {@link dev.switchboard.platform.ratelimit.RateLimiter} is the port: areas call it to
 * shape outbound traffic to a provider's limit, and {@link
 * dev.switchboard.platform.ratelimit.RateLimitFilter} uses it to answer 429 on inbound {@code
 * /api/**} and {@code /v1/**} requests. Two adapters, both Bucket4j token buckets: in memory (one
 * instance) and on Redis when {@code REDIS_URL} is set (limits hold across instances).
 */
package dev.switchboard.platform.ratelimit;
