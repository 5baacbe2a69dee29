package dev.asynchttp.client;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;
import reactor.pool.PooledRef;

/**
 * The cross-host limit of one client (aiohttp {@code limit}). Reactor Netty pools are per
 * host, so every exchange first takes a permit here. reactor-pool serves as the asynchronous
 * semaphore: bounded wait queue, per-acquire timeout, no thread ever blocks.
 */
final class InFlightLimiter {

	private static final Object PERMIT = new Object();

	private final InstrumentedPool<Object> permits;

	private final Duration acquireTimeout;

	InFlightLimiter(int maxInFlight, int maxPending, Duration acquireTimeout) {
		this.permits = PoolBuilder.from(Mono.just(PERMIT))
			.sizeBetween(0, maxInFlight)
			.maxPendingAcquire(maxPending)
			.buildPool();
		this.acquireTimeout = acquireTimeout;
	}

	/**
	 * Wait for a permit without blocking.
	 * @return the permit, to be released exactly once
	 */
	Mono<PooledRef<Object>> acquire() {
		return this.permits.acquire(this.acquireTimeout);
	}

	int inFlight() {
		return this.permits.metrics().acquiredSize();
	}

	int queued() {
		return this.permits.metrics().pendingAcquireSize();
	}

	Mono<Void> disposeLater() {
		return this.permits.disposeLater();
	}

}
