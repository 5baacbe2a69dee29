package dev.asynchttp.client;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncApiClientSettings.Timeouts;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ConnectionObserver;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Shared helpers of the client tests against real local servers.
 */
final class ClientTestSupport {

	static final String NAME = "api";

	/**
	 * Header that carries a per-call id, so the server can tell calls and their retries
	 * apart.
	 */
	static final String REQUEST_ID = "X-Req-Id";

	/**
	 * Longest a single blocking call in a test may take before the test fails as hung.
	 */
	static final Duration BLOCK = Duration.ofSeconds(20);

	private ClientTestSupport() {
	}

	static AsyncApiClients clients(AsyncApiClientSettings settings) {
		return clients(settings, Duration.ofSeconds(1));
	}

	static AsyncApiClients clients(AsyncApiClientSettings settings, Duration gracePeriod) {
		return new AsyncApiClients(Map.of(NAME, settings), AsyncApiClientFactory.standalone(), gracePeriod);
	}

	/**
	 * Clients whose connections report each return to the pool. Reactor Netty completes a
	 * response before it hands its connection back to the pool, so a caller that fires the
	 * next call the moment the previous one completed can find no idle connection and open
	 * another one; waiting for {@code released} to count the previous call removes that race
	 * from tests that count connections.
	 */
	static AsyncApiClients clientsCountingReleases(AsyncApiClientSettings settings, AtomicInteger released) {
		AsyncApiClientCustomizer countReleases = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.observe((connection, state) -> {
					if (state == ConnectionObserver.State.RELEASED) {
						released.incrementAndGet();
					}
				}));
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (bundle) -> {
			throw new IllegalArgumentException(bundle);
		}, List.of(countReleases));
		return new AsyncApiClients(Map.of(NAME, settings), factory, Duration.ofSeconds(1));
	}

	/**
	 * Clients built by a factory that reports to an observer, reads {@code Retry-After}
	 * dates against a given clock and applies the given customizers.
	 */
	static AsyncApiClients clients(AsyncApiClientSettings settings, AsyncApiClientObserver observer, Clock clock,
			AsyncApiClientCustomizer... customizers) {
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (bundle) -> {
			throw new IllegalArgumentException(bundle);
		}, List.of(customizers), observer, clock);
		return new AsyncApiClients(Map.of(NAME, settings), factory, Duration.ofSeconds(1));
	}

	/**
	 * Clients built by a factory that reports to an observer.
	 */
	static AsyncApiClients clients(AsyncApiClientSettings settings, AsyncApiClientObserver observer) {
		return clients(settings, observer, Clock.systemUTC());
	}

	/**
	 * A customizer that counts every connection the client opens or tries to open.
	 */
	static AsyncApiClientCustomizer countingConnects(AtomicInteger connects) {
		return AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.doOnConnect((config) -> connects.incrementAndGet()));
	}

	/**
	 * A customizer that counts every connection handed back to the pool (see
	 * {@link #clientsCountingReleases}).
	 */
	static AsyncApiClientCustomizer countingReleases(AtomicInteger released) {
		return AsyncApiClientCustomizer.forHttpClient(NAME, (httpClient) -> httpClient.observe((connection, state) -> {
			if (state == ConnectionObserver.State.RELEASED) {
				released.incrementAndGet();
			}
		}));
	}

	static Pool pool(@Nullable Integer maxConnections, @Nullable Integer maxConnectionsPerHost,
			@Nullable Integer maxPending, @Nullable Duration acquireTimeout) {
		return new Pool(maxConnections, maxConnectionsPerHost, maxPending, acquireTimeout, null, null, null, null,
				null);
	}

	/**
	 * The default retry policy with short waits (50 ms, doubling, at most 200 ms, half of
	 * each wait random), so that tests stay fast.
	 */
	static Retry fastRetries() {
		return new Retry(true, null, new Retry.Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.5), null,
				null, null);
	}

	/**
	 * Start a call that carries a request id the server records ({@code X-Req-Id}).
	 */
	static AsyncApiRequest call(AsyncApiClient client, HttpMethod method, String uriTemplate, String requestId,
			Object... uriVariables) {
		return client.request(method, uriTemplate, uriVariables).header(REQUEST_ID, requestId);
	}

	/**
	 * Retries off, for tests that count what a single attempt does on the wire.
	 */
	static Retry noRetries() {
		return new Retry(false, null, null, null, null, null);
	}

	static Timeouts timeouts(@Nullable Duration connect, @Nullable Duration read, @Nullable Duration write,
			@Nullable Duration total) {
		return new Timeouts(connect, read, write, total);
	}

	/**
	 * The error a call ends with, waiting at most {@link #BLOCK}; a hang fails the test with
	 * Reactor's "Timeout on blocking read" instead of the expected type.
	 */
	static Throwable failureOf(Mono<?> call) {
		Throwable failure = catchThrowable(() -> call.block(BLOCK));
		assertThat(failure).as("the call should have failed").isNotNull();
		return failure;
	}

	/**
	 * A call that never errors: its value or its failure.
	 */
	static <T> Mono<Outcome<T>> outcome(Mono<T> call) {
		return call.map((value) -> new Outcome<T>(value, null))
			.switchIfEmpty(Mono.fromSupplier(() -> new Outcome<>(null, null)))
			.onErrorResume((ex) -> Mono.just(new Outcome<>(null, ex)));
	}

	/**
	 * Every permit was given back and nothing waits for one.
	 */
	static void assertNothingInFlightOrQueued(AsyncApiClients clients) {
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> {
				assertThat(clients.inFlight(NAME)).as("in flight").isZero();
				assertThat(clients.queued(NAME)).as("queued").isZero();
			});
	}

	/**
	 * End a test: nothing may be left in flight or queued, then the clients and the servers
	 * are closed whatever happened.
	 */
	static void closeAfterTest(@Nullable AsyncApiClients clients, @Nullable AutoCloseable... servers) {
		try {
			if (clients != null) {
				assertNothingInFlightOrQueued(clients);
			}
		}
		finally {
			if (clients != null) {
				clients.close();
			}
			for (AutoCloseable server : (servers != null) ? servers : new AutoCloseable[0]) {
				if (server != null) {
					try {
						server.close();
					}
					catch (Exception ex) {
						throw new IllegalStateException("Could not close the test server", ex);
					}
				}
			}
		}
	}

	record Outcome<T>(@Nullable T value, @Nullable Throwable error) {

		boolean succeeded() {
			return this.error == null;
		}

	}

}
