package dev.asynchttp.autoconfigure.redis;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.client.SharedLimits;
import dev.asynchttp.client.redis.RedisSharedLimits;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of {@link RedisSharedLimits} for clients with
 * {@code rate-limit.shared: true}, on the {@link LettuceConnectionFactory} of Spring Boot's
 * Redis auto-configuration ({@code spring.data.redis.*}). It connects only when a shared
 * client is built, so an application that uses Redis for something else pays nothing.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(before = AsyncHttpAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ LettuceConnectionFactory.class, RedisClient.class, Bucket4jLettuce.class })
@ConditionalOnBooleanProperty(name = "async-http.enabled", matchIfMissing = true)
@ConditionalOnBean(LettuceConnectionFactory.class)
public final class AsyncHttpRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SharedLimits.class)
	RedisSharedLimits asyncHttpSharedLimits(LettuceConnectionFactory connectionFactory) {
		// Boot's client, with its URI, credentials, SSL, timeouts and client resources.
		return new RedisSharedLimits(connectionFactory::getRequiredNativeClient,
				RedisSharedLimits.DEFAULT_PROBE_INTERVAL);
	}

}
