package dev.asynchttp.client;


import org.jspecify.annotations.Nullable;

/**
 * Picks a client's rate limiter and cool-downs: local ones, or shared ones wrapping them
 * when {@code rate-limit.shared} is on.
 */
final class ClientLimits {

	private ClientLimits() {
	}

	static @Nullable RequestRateLimiter rateLimiter(String name, AsyncApiClientSettings.RateLimit rateLimit,
			@Nullable SharedLimits shared) {
		if (rateLimit.permitsPerPeriod() == null) {
			return null;
		}
		RequestRateLimiter local = new LocalRateLimiter(name, rateLimit.permitsPerPeriod(),
				rateLimit.period(), rateLimit.maxWait());
		return isShared(name, rateLimit, shared) ? shared.rateLimiter(name, rateLimit, local) : local;
	}

	static CoolDownRegistry coolDowns(String name, AsyncApiClientSettings.RateLimit rateLimit,
			@Nullable SharedLimits shared) {
		CoolDownRegistry local = new HostCoolDowns(System::nanoTime);
		return isShared(name, rateLimit, shared) ? shared.coolDowns(name, rateLimit, local) : local;
	}

	private static boolean isShared(String name, AsyncApiClientSettings.RateLimit rateLimit,
			@Nullable SharedLimits shared) {
		if (!Boolean.TRUE.equals(rateLimit.shared())) {
			return false;
		}
		if (shared == null) {
			throw new IllegalStateException("async-http client '" + name + "' has rate-limit.shared=true but no"
					+ " SharedLimits is available: add org.springframework.boot:spring-boot-starter-data-redis"
					+ " (Redis through Lettuce), or pass a SharedLimits to AsyncApiClientFactory");
		}
		return true;
	}

}
