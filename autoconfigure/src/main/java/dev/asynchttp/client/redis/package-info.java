/**
 * Shared rate limits and 429 cool-downs across instances, through Redis: Bucket4j's
 * compare-and-swap token bucket on Lettuce, and cool-down keys with a TTL announced over
 * pub/sub.
 * <p>
 * Code map: {@link dev.asynchttp.client.redis.RedisSharedLimits} is the
 * {@link dev.asynchttp.client.SharedLimits} the factory asks, per client with
 * {@code rate-limit.shared}, to wrap the local limiter and cool-downs. In a call,
 * {@code ExchangeGuard} first asks {@link dev.asynchttp.client.redis.RedisCoolDowns} (a
 * local view kept fresh by pub/sub, no round trip) whether the host pauses, then reserves a
 * permit from {@link dev.asynchttp.client.redis.RedisRateLimiter} (one Bucket4j
 * compare-and-swap) and waits for it without blocking; the retry policy writes a 429's pause
 * back through {@code RedisCoolDowns}. Both use
 * {@link dev.asynchttp.client.redis.RedisLink}, which knows whether Redis can be used right
 * now; while it cannot, the limiter does as {@code rate-limit.shared-fallback} says (local
 * limit, or fail unsent).
 */
@NullMarked
package dev.asynchttp.client.redis;

import org.jspecify.annotations.NullMarked;
