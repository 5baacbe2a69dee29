/**
 * Auto-configuration of shared rate limits and cool-downs through Redis, on the Lettuce
 * client of Spring Boot's Redis auto-configuration.
 * <p>
 * Code map: {@link dev.asynchttp.autoconfigure.redis.AsyncHttpRedisAutoConfiguration} makes
 * one {@link dev.asynchttp.client.redis.RedisSharedLimits} on the application's
 * {@code LettuceConnectionFactory}; {@code AsyncHttpAutoConfiguration} hands it to the
 * client factory, which wraps the limits of each client with {@code rate-limit.shared}
 * (see {@link dev.asynchttp.client.redis} for what a call then does).
 * {@link dev.asynchttp.autoconfigure.redis.AsyncHttpRedisHealthAutoConfiguration} adds
 * {@link dev.asynchttp.autoconfigure.redis.SharedLimitsHealthIndicator}, which reads the
 * state the clients already track and sends nothing to Redis.
 */
@NullMarked
package dev.asynchttp.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
