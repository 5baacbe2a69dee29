package dev.asynchttp.autoconfigure.redis;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.InvalidAsyncHttpPropertyException;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.SharedLimits;
import dev.asynchttp.client.redis.RedisSharedLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncHttpRedisAutoConfiguration} and the startup checks of
 * {@code rate-limit.shared}; none of them needs a running Redis.
 */
class AsyncHttpRedisAutoConfigurationTests {

	private static final String SHARED = "async-http.clients.api.rate-limit.shared";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				AsyncHttpRedisAutoConfiguration.class, AsyncHttpRedisHealthAutoConfiguration.class,
				AsyncHttpAutoConfiguration.class))
		// Nothing listens there: these tests must not depend on a Redis.
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1",
				"async-http.clients.api.rate-limit.permits-per-period=5");

	@Test
	void sharedWithoutSpringDataRedisOnTheClassPathFailsStartupNamingTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.withPropertyValues(SHARED + "=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidAsyncHttpPropertyException failure = rootCause(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo(SHARED);
				assertThat(failure.getAction()).contains("org.springframework.boot:spring-boot-starter-data-redis")
					.contains("spring.data.redis.");
			});
	}

	@Test
	void sharedWithoutALettuceConnectionFactoryFailsStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class))
			.withPropertyValues(SHARED + "=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidAsyncHttpPropertyException failure = rootCause(context.getStartupFailure());
				assertThat(failure.getProperty()).isEqualTo(SHARED);
				assertThat(failure.getReason()).contains("Lettuce RedisConnectionFactory");
			});
	}

	@Test
	void withoutSpringDataRedisUnsharedClientsWorkAsBefore() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SharedLimits.class)
				.hasSingleBean(AsyncApiClients.class));
	}

	@Test
	void sharedKeyWithBracesOrSpacesFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues(SHARED + "=true", SHARED + "-key=a {b}").run((context) -> {
			assertThat(context).hasFailed();
			InvalidAsyncHttpPropertyException failure = rootCause(context.getStartupFailure());
			assertThat(failure.getProperty()).isEqualTo(SHARED + "-key");
		});
	}

	@Test
	void redisSharedLimitsDoNothingUntilAClientShares() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RedisSharedLimits.class);
			RedisSharedLimits shared = context.getBean(RedisSharedLimits.class);
			assertThat(shared.clientNames()).isEmpty();
			assertThat(shared.state("api")).isEmpty();
		});
	}

	@Test
	void applicationWhoseRedisIsDownStartsWithLocalFallback() {
		this.contextRunner.withPropertyValues(SHARED + "=true").run((context) -> {
			assertThat(context).hasNotFailed();
			RedisSharedLimits shared = context.getBean(RedisSharedLimits.class);
			assertThat(shared.state("api")).containsEntry("mode", "local-fallback")
				.containsEntry("sharedKey", "api")
				.containsEntry("redis", "down");
			assertThat(context).hasSingleBean(SharedLimitsHealthIndicator.class);
		});
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("management.health.asynchttpshared.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SharedLimitsHealthIndicator.class));
	}

	private static InvalidAsyncHttpPropertyException rootCause(Throwable failure) {
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		assertThat(root).isInstanceOf(InvalidAsyncHttpPropertyException.class);
		return (InvalidAsyncHttpPropertyException) root;
	}

}
