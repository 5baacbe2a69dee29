package dev.asynchttp.client;

import java.time.Duration;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import reactor.core.publisher.Mono;

/**
 * The rate limit of one instance: Resilience4j's token bucket, whose
 * {@code reservePermission()} computes the wait without blocking. resilience4j-reactor's
 * {@code RateLimiterOperator} is not used for the wait: the exchange filter waits the same
 * way for this limiter and for the shared one on Redis (which answers asynchronously and
 * falls back to this one), and it reports each wait's length and each refusal to the
 * observer, which the operator keeps to itself.
 */
final class LocalRateLimiter implements RequestRateLimiter {

	private final RateLimiter limiter;

	private final Duration maxWait;

	LocalRateLimiter(String name, int permitsPerPeriod, Duration period, Duration maxWait) {
		this.limiter = RateLimiter.of(name, RateLimiterConfig.custom()
			.limitForPeriod(permitsPerPeriod)
			.limitRefreshPeriod(period)
			.timeoutDuration(maxWait)
			.build());
		this.maxWait = maxWait;
	}

	@Override
	public Mono<Long> reserve(RequestContext context) {
		return Mono.fromSupplier(this.limiter::reservePermission);
	}

	@Override
	public Duration maxWait() {
		return this.maxWait;
	}

}
