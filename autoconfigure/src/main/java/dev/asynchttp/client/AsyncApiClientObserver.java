package dev.asynchttp.client;

import java.time.Duration;
import java.util.List;

import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;

/**
 * Receives what happens inside the clients that a response alone does not show: overload
 * rejections, timeouts by kind, retries, rate-limit waits, 429 cool-downs. Metrics hang off
 * this. Called on I/O threads: implementations must be fast and must not block or throw.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface AsyncApiClientObserver {

	/**
	 * A request failed at once because the wait queue was full.
	 * @param clientName the client
	 */
	default void overloaded(String clientName) {
	}

	/**
	 * A timeout fired.
	 * @param clientName the client
	 * @param kind which timeout
	 */
	default void timedOut(String clientName, Kind kind) {
	}

	/**
	 * A failed attempt is about to be retried.
	 * @param clientName the client
	 * @param reason why: an HTTP status such as {@code "503"}, or a failure kind such as
	 * {@code "connect"}, {@code "read_timeout"}, {@code "stale_connection"}
	 * @param delay the wait before the next attempt
	 */
	default void retrying(String clientName, String reason, Duration delay) {
	}

	/**
	 * A retry was refused because the client's retry budget is spent.
	 * @param clientName the client
	 */
	default void retryBudgetExhausted(String clientName) {
	}

	/**
	 * A request waited for a rate-limit permit.
	 * @param clientName the client
	 * @param wait how long it waited
	 */
	default void rateLimitWaited(String clientName, Duration wait) {
	}

	/**
	 * A request was refused by the rate limit.
	 * @param clientName the client
	 */
	default void rateLimitRejected(String clientName) {
	}

	/**
	 * A 429 with {@code Retry-After} paused the client's requests to a host.
	 * @param clientName the client
	 * @param host the host, as {@code host:port}
	 * @param pause how long requests to it are held back
	 */
	default void coolDownStarted(String clientName, String host, Duration pause) {
	}

	/**
	 * One observer that passes every event on to each of the given ones, in order.
	 * @param observers the observers
	 * @return the composite observer
	 */
	static AsyncApiClientObserver composite(List<? extends AsyncApiClientObserver> observers) {
		List<AsyncApiClientObserver> all = List.copyOf(observers);
		return new AsyncApiClientObserver() {

			@Override
			public void overloaded(String clientName) {
				all.forEach((observer) -> observer.overloaded(clientName));
			}

			@Override
			public void timedOut(String clientName, Kind kind) {
				all.forEach((observer) -> observer.timedOut(clientName, kind));
			}

			@Override
			public void retrying(String clientName, String reason, Duration delay) {
				all.forEach((observer) -> observer.retrying(clientName, reason, delay));
			}

			@Override
			public void retryBudgetExhausted(String clientName) {
				all.forEach((observer) -> observer.retryBudgetExhausted(clientName));
			}

			@Override
			public void rateLimitWaited(String clientName, Duration wait) {
				all.forEach((observer) -> observer.rateLimitWaited(clientName, wait));
			}

			@Override
			public void rateLimitRejected(String clientName) {
				all.forEach((observer) -> observer.rateLimitRejected(clientName));
			}

			@Override
			public void coolDownStarted(String clientName, String host, Duration pause) {
				all.forEach((observer) -> observer.coolDownStarted(clientName, host, pause));
			}

		};
	}

}
