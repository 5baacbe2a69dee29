package dev.asynchttp.autoconfigure.redis;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.context.ImportTestcontainers;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * {@link SharedLimitsScenarios} against Redis in a container, connected through
 * {@code @ServiceConnection}; skipped without Docker, where
 * {@link LocalRedisSharedLimitsTests} runs the same scenarios on a local redis-server.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerRedisSharedLimitsTests extends SharedLimitsScenarios {

	@Container
	@ServiceConnection
	static final GenericContainer<?> redis = new GenericContainer<>("redis:7.4-alpine").withExposedPorts(6379);

	@Override
	protected ApplicationContextRunner redisRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class))
			.withUserConfiguration(RedisContainerConfiguration.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportTestcontainers(ContainerRedisSharedLimitsTests.class)
	static class RedisContainerConfiguration {

	}

}
