package dev.asynchttp.autoconfigure.redis;

import dev.asynchttp.testsupport.LocalRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link SharedLimitsScenarios} against a local {@code redis-server} process: runs where
 * Docker is not available, and on CI ({@code .ci/run} installs redis-server).
 */
class LocalRedisSharedLimitsTests extends SharedLimitsScenarios {

	private static LocalRedisServer redis;

	@BeforeAll
	static void startRedis() {
		redis = LocalRedisServer.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Override
	protected ApplicationContextRunner redisRunner() {
		return new ApplicationContextRunner().withPropertyValues(redis.properties());
	}

}
