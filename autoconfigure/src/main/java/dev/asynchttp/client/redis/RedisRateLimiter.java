package dev.asynchttp.client.redis;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;
import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpSharedLimitUnavailableException;
import dev.asynchttp.client.RequestRateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A rate limit shared by every instance with the same key: one Bucket4j bucket in Redis,
 * refilled like the local limiter ({@code permits-per-period} whole every {@code period}).
 * A permit is reserved in one compare-and-swap round trip
 * ({@code consumeIgnoringRateLimits}, which answers how long the reservation must wait);
 * a reservation that would wait past {@code max-wait} is given back at once
 * ({@code addTokens}) and the call fails unsent, as with the local limiter. So waits are
 * computed by Bucket4j, never polled, and the waiting itself is the caller's non-blocking
 * delay. Bucket4j's batching optimization merges the reservations one instance has in
 * flight at once into one compare-and-swap, so that they do not collide with each other.
 */
final class RedisRateLimiter implements RequestRateLimiter {

	private final RedisLink link;

	private final String bucketKey;

	private final BucketConfiguration configuration;

	private final RequestRateLimiter local;

	private final SharedFallback fallback;

	private final Duration timeout;

	private final Duration maxWait;

	private final long maxWaitNanos;

	private final LongAdder fallbackCalls = new LongAdder();

	private final LongAdder failedCalls = new LongAdder();

	private volatile @Nullable Bucket bucket;

	RedisRateLimiter(RedisLink link, String sharedKey, AsyncApiClientSettings.RateLimit settings,
			RequestRateLimiter local) {
		this.link = link;
		this.bucketKey = RedisLink.bucketKey(sharedKey);
		int permits = settings.permitsPerPeriod();
		Duration period = settings.period();
		this.configuration = BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(permits).refillIntervally(permits, period))
			.build();
		this.local = local;
		this.fallback = settings.sharedFallback();
		this.timeout = settings.sharedTimeout();
		this.maxWait = settings.maxWait();
		this.maxWaitNanos = this.maxWait.toNanos();
	}

	@Override
	public Mono<Long> reserve(RequestContext context) {
		return Mono.defer(() -> {
			RedisLink.Connections connections = this.link.usable();
			if (connections == null) {
				return fallback(context, null);
			}
			AsyncBucketProxy proxy = bucket(connections);
			// suppressCancel: a reservation already sent is left to finish; cancelling the
			// future would not take it back from Redis anyway.
			return Mono.fromFuture(() -> proxy.consumeIgnoringRateLimits(1), true)
				.timeout(this.timeout)
				.map((waitNanos) -> {
					if (waitNanos <= this.maxWaitNanos) {
						return waitNanos;
					}
					giveBack(proxy);
					return -1L;
				})
				.onErrorResume((ex) -> {
					this.link.failed(ex);
					return fallback(context, ex);
				});
		});
	}

	private void giveBack(AsyncBucketProxy proxy) {
		Mono.fromFuture(() -> proxy.addTokens(1), true).timeout(this.timeout).subscribe(null, this.link::failed);
	}

	private Mono<Long> fallback(RequestContext context, @Nullable Throwable cause) {
		if (this.fallback == SharedFallback.LOCAL) {
			this.fallbackCalls.increment();
			return this.local.reserve(context);
		}
		this.failedCalls.increment();
		return Mono.error(new AsyncHttpSharedLimitUnavailableException(context, this.maxWait, cause));
	}

	private AsyncBucketProxy bucket(RedisLink.Connections connections) {
		Bucket current = this.bucket;
		if (current == null || current.connections != connections) {
			current = new Bucket(connections,
					connections.buckets()
						.asAsync()
						.builder()
						// Concurrent reservations of this instance go to Redis as one
						// compare-and-swap, not as many that collide and retry.
						.withOptimization(Optimizations.batching())
						.build(this.bucketKey, this.configuration));
			this.bucket = current;
		}
		return current.proxy;
	}

	@Override
	public Duration maxWait() {
		return this.maxWait;
	}

	long fallbackCalls() {
		return this.fallbackCalls.sum();
	}

	long failedCalls() {
		return this.failedCalls.sum();
	}

	private record Bucket(RedisLink.Connections connections, AsyncBucketProxy proxy) {

	}

}
