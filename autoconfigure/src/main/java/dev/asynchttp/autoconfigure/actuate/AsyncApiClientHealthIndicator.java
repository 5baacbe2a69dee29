package dev.asynchttp.autoconfigure.actuate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncHttpException;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Health of one client: a GET of its {@code health.path} through the client itself
 * (limits, pool and all), not retried, bounded by {@code health.timeout}. Any 2xx or 3xx
 * answer is UP; an error status, a transport failure or the timeout is DOWN. Details name
 * the path, the status or the error type, and the time taken; never headers or bodies.
 *
 * @author async-http
 */
final class AsyncApiClientHealthIndicator implements ReactiveHealthIndicator {

	/**
	 * Slack on top of the call's own deadline, in case the deadline cannot fire (for
	 * example while the call waits for a rate-limit permit).
	 */
	private static final Duration SLACK = Duration.ofMillis(500);

	private final AsyncApiClient client;

	private final String path;

	private final Duration timeout;

	AsyncApiClientHealthIndicator(AsyncApiClient client, String path, Duration timeout) {
		this.client = client;
		this.path = path;
		this.timeout = timeout;
	}

	@Override
	public Mono<Health> health() {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.client.request(HttpMethod.GET, this.path)
				.noRetry()
				.timeout(this.timeout)
				.toBodilessEntity()
				.map((entity) -> details(Health.up(), start).withDetail("status", entity.getStatusCode().value())
					.build())
				.onErrorResume((ex) -> Mono.just(down(ex, start)))
				.timeout(this.timeout.plus(SLACK), Mono.fromSupplier(() -> details(Health.down(), start)
					.withDetail("error", "no answer within " + this.timeout)
					.build()));
		});
	}

	private Health down(Throwable ex, long start) {
		Health.Builder health = details(Health.down(), start).withDetail("error", ex.getClass().getSimpleName());
		if (ex instanceof WebClientResponseException response) {
			// Not the exception's message: it repeats the full URL.
			health.withDetail("status", response.getStatusCode().value());
		}
		else if (ex instanceof AsyncHttpException typed) {
			// Typed errors name the client, method and URI template, never query or headers.
			health.withDetail("message", String.valueOf(typed.getMessage()));
		}
		return health.build();
	}

	private Health.Builder details(Health.Builder health, long start) {
		return health.withDetail("path", this.path)
			.withDetail("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

}
