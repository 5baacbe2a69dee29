package dev.asynchttp.autoconfigure;

import java.util.Map;

import dev.asynchttp.client.AsyncApiClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Fails startup, naming the property and the dependency, when a client asks for
 * {@code rate-limit.shared} and nothing can share its limits.
 *
 * @author async-http
 */
final class SharedLimitsRequirement {

	private static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

	private SharedLimitsRequirement() {
	}

	static void check(Map<String, AsyncApiClientSettings> clients, @Nullable ClassLoader classLoader) {
		clients.forEach((name, settings) -> {
			if (!Boolean.TRUE.equals(settings.rateLimit().shared())) {
				return;
			}
			String property = "async-http.clients." + name + ".rate-limit.shared";
			if (!ClassUtils.isPresent(LETTUCE_FACTORY, classLoader)
					|| !ClassUtils.isPresent("io.lettuce.core.RedisClient", classLoader)) {
				throw new InvalidAsyncHttpPropertyException(property,
						"shared rate limits need Redis, and Spring Data Redis with Lettuce is not on the class path",
						"Add the dependency org.springframework.boot:spring-boot-starter-data-redis and point"
								+ " spring.data.redis.* at your Redis, or remove " + property + ".");
			}
			throw new InvalidAsyncHttpPropertyException(property,
					"shared rate limits need a Lettuce RedisConnectionFactory bean and there is none (Redis"
							+ " auto-configuration excluded, or spring.data.redis.client-type=jedis)",
					"Let Spring Boot's Redis auto-configuration create its Lettuce connection factory, or remove "
							+ property + ".");
		});
	}

}
