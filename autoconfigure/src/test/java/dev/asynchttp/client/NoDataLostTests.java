package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * "No data lost" under load: every call ends exactly once, as a value or a typed error
 * that says whether it was sent, and what the server saw matches what the callers got.
 */
@Timeout(120)
class NoDataLostTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void tenThousandConcurrentCallsEachEndOnceAsASuccessOrANotSentRejection() throws IOException {
		this.server = CountingHttpServer.start().when("/items", Behaviour.delay(Duration.ofMillis(50)));
		// The library's default retry policy stays on: rejected calls were never sent, so
		// retrying them can never repeat a request on the wire.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(4, 4, 100, Duration.ofSeconds(30))));
		AsyncApiClient client = this.clients.get(NAME);
		int calls = 10_000;
		Set<String> succeeded = ConcurrentHashMap.newKeySet();
		Set<String> rejected = ConcurrentHashMap.newKeySet();
		Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
		Map<String, Integer> terminalSignals = new ConcurrentHashMap<>();

		Flux.range(0, calls)
			.flatMap((i) -> {
				String id = "c-" + i;
				return call(client, HttpMethod.GET, "/items/{i}", id, i)
					.bodyToMono(String.class)
					.doOnSuccess((body) -> terminalSignals.merge(id, 1, Integer::sum))
					.doOnError((ex) -> terminalSignals.merge(id, 1, Integer::sum))
					.doOnNext((body) -> succeeded.add(id))
					.onErrorResume((ex) -> {
						if (ex instanceof AsyncHttpException typed && typed.isNotSent()) {
							rejected.add(id);
						}
						else {
							unexpected.add(ex);
						}
						return Mono.empty();
					});
			}, calls)
			.then()
			.block(Duration.ofSeconds(60));

		assertThat(unexpected).as("only successes and not-sent rejections").isEmpty();
		assertThat(terminalSignals).as("one terminal signal per call")
			.hasSize(calls)
			.allSatisfy((id, signals) -> assertThat(signals).isOne());
		assertThat(succeeded.size() + rejected.size()).isEqualTo(calls);
		assertThat(succeeded).as("some got through").isNotEmpty();
		assertThat(rejected).as("the rest were refused at once, unsent").isNotEmpty();
		List<String> seenIds = this.server.requestIds();
		assertThat(new HashSet<>(seenIds)).as("every request id seen once").hasSize(seenIds.size());
		assertThat(new HashSet<>(seenIds)).as("the server saw exactly the successful calls").isEqualTo(succeeded);
		assertThat(this.server.maxOpenConnections()).as("connections open at once").isLessThanOrEqualTo(4);
		assertThat(this.server.maxRequestsInProgress()).isLessThanOrEqualTo(4);
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void overloadWithADeadlineShorterThanTheServerEndsEveryCallAtTheDeadline() throws IOException {
		this.server = CountingHttpServer.start().when("/slow", Behaviour.delay(Duration.ofSeconds(2)));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, null, null, Duration.ofSeconds(1))));
		AsyncApiClient client = this.clients.get(NAME);
		int calls = 1000;
		Map<String, Throwable> failures = new ConcurrentHashMap<>();
		Map<String, Duration> took = new ConcurrentHashMap<>();
		AtomicInteger successes = new AtomicInteger();

		Flux.range(0, calls).flatMap((i) -> Mono.defer(() -> {
			String id = "s-" + i;
			long start = System.nanoTime();
			return call(client, HttpMethod.GET, "/slow", id).bodyToMono(String.class)
				.doOnNext((body) -> successes.incrementAndGet())
				.onErrorResume((ex) -> {
					took.put(id, Duration.ofNanos(System.nanoTime() - start));
					failures.put(id, ex);
					return Mono.empty();
				});
		}), calls).then().block(Duration.ofSeconds(60));

		assertThat(successes).hasValue(0);
		// The deadline ends every call, queued or sent.
		assertThat(failures).hasSize(calls).allSatisfy((id, failure) -> {
			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
					(ex) -> assertThat(ex.getKind()).isEqualTo(Kind.TOTAL));
			assertThat(took.get(id)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		});
		assertThat(took).hasSize(calls)
			.allSatisfy((id, duration) -> assertThat(duration).isLessThan(Duration.ofSeconds(1 + 5)));
		List<Seen> seen = this.server.requests("/slow");
		assertThat(seen).extracting(Seen::requestId).as("none was sent twice").doesNotHaveDuplicates();
		assertThat(seen).allSatisfy((request) -> assertThat(failures.get(request.requestId()))
			.as("a call the server saw cannot claim it was not sent")
			.isInstanceOfSatisfying(AsyncHttpException.class,
					(ex) -> assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN)));
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
		int connectionsBefore = this.server.acceptedConnections();

		// Its own deadline: the point is that it succeeds on a clean pool, not how fast the
		// pool recovers from a thousand cancellations on a loaded machine.
		assertThat(call(client, HttpMethod.GET, "/fast", "next").timeout(Duration.ofSeconds(20))
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");

		assertThat(this.server.requests("/fast")).singleElement()
			.as("a fresh connection: none of the abandoned ones went back to the pool")
			.satisfies((request) -> assertThat(request.connection()).isGreaterThan(connectionsBefore));
	}

	@Test
	void closeEndsEveryOneOfAHundredStalledCallsWithATerminalError() throws Exception {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		Duration grace = Duration.ofMillis(500);
		// Up to 100 connections to the host: every call is on the wire.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(200, 100, null, null)), grace);
		assertEveryStalledCallEndsSoonAfterClose(100, grace);
	}

	@Test
	void closeEndsStalledCallsThatStillWaitForAPooledConnection() throws Exception {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		Duration grace = Duration.ofMillis(500);
		// 50 connections per host by default: half of the calls are on the wire, half wait
		// for their host in the client's queue.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")),
				grace);
		assertEveryStalledCallEndsSoonAfterClose(50, grace);
	}

	private void assertEveryStalledCallEndsSoonAfterClose(int onTheWire, Duration grace) throws Exception {
		AsyncApiClient client = this.clients.get(NAME);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		Queue<Long> endedNanos = new ConcurrentLinkedQueue<>();
		for (int i = 0; i < 100; i++) {
			calls.add(call(client, HttpMethod.GET, "/stall", "d-" + i).bodyToMono(String.class)
				.doOnSuccess((body) -> endedNanos.add(System.nanoTime()))
				.doOnError((ex) -> endedNanos.add(System.nanoTime()))
				.toFuture());
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.requestCount() == onTheWire);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.clients.inFlight(NAME) == onTheWire
					&& this.clients.queued(NAME) == 100 - onTheWire);
		long closeStarted = System.nanoTime();

		CompletableFuture.runAsync(this.clients::close).get(30, TimeUnit.SECONDS);

		Set<String> seenIds = new HashSet<>(this.server.requestIds());
		for (int i = 0; i < calls.size(); i++) {
			String id = "d-" + i;
			CompletableFuture<String> call = calls.get(i);
			// Already over when close() returned, or within a few seconds of it.
			Throwable failure = catchThrowable(() -> call.get(5, TimeUnit.SECONDS));
			assertThat(failure).as(id).hasCauseInstanceOf(AsyncHttpClientClosedException.class);
			AsyncHttpClientClosedException closed = (AsyncHttpClientClosedException) failure.getCause();
			if (seenIds.contains(id)) {
				assertThat(closed.getRequestState()).as(id).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			}
			if (closed.isNotSent()) {
				assertThat(seenIds).as(id).doesNotContain(id);
			}
		}
		assertThat(seenIds).hasSize(this.server.requestCount());
		assertThat(endedNanos).hasSize(100)
			.allSatisfy((ended) -> assertThat(Duration.ofNanos(ended - closeStarted)).as("ended after close started")
				.isLessThan(grace.plusSeconds(5)));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.openConnections() == 0);
	}

}
