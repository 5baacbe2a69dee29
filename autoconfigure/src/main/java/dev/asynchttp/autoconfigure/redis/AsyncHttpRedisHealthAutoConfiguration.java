package dev.asynchttp.autoconfigure.redis;

import dev.asynchttp.client.redis.RedisSharedLimits;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asynchttpShared} health indicator: whether clients with
 * {@code rate-limit.shared} share their limits right now. Switched off with
 * {@code management.health.asynchttpshared.enabled=false}.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncHttpRedisAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, RedisSharedLimits.class })
@ConditionalOnBean(RedisSharedLimits.class)
public final class AsyncHttpRedisHealthAutoConfiguration {

	// On the method: a class-level one would be loaded, and fail, before
	// @ConditionalOnClass could skip this class without spring-boot-health.
	@Bean
	@ConditionalOnEnabledHealthIndicator("asynchttpshared")
	@ConditionalOnMissingBean(name = "asynchttpSharedHealthIndicator")
	SharedLimitsHealthIndicator asynchttpSharedHealthIndicator(RedisSharedLimits sharedLimits) {
		return new SharedLimitsHealthIndicator(sharedLimits);
	}

}
