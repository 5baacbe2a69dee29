package dev.asynchttp.client;

import java.time.Duration;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import reactor.core.publisher.Mono;

/**
 * The request rate limit of one client ({@code rate-limit.*}), as the exchange filter uses
 * it: reserve a permit, then wait for it without blocking. The library has a local
 * implementation (a token bucket per client) and {@link SharedLimits} may supply one that
 * shares the budget across instances.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface RequestRateLimiter {

	/**
	 * Reserve one permit.
	 * @param context the call, for typed errors
	 * @return the nanoseconds to wait before the permit may be used ({@code 0}: at once), or
	 * {@code -1} when that wait would exceed {@link #maxWait()} (then nothing is reserved);
	 * an error only when no permit can be had at all, as an {@link AsyncHttpException}
	 */
	Mono<Long> reserve(RequestContext context);

	/**
	 * The longest wait for a permit, {@code rate-limit.max-wait}.
	 * @return the longest wait
	 */
	Duration maxWait();

}
