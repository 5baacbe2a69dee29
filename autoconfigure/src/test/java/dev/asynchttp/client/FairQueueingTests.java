package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.client.ClientTestSupport.Outcome;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static dev.asynchttp.client.ClientTestSupport.outcome;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the client's connection limits queue calls: a saturated host never holds up calls to
 * other hosts, one acquire timeout bounds the whole wait, a burst is queued by default, an
 * overload rejection fails at once and is never retried, and a host leaves no state behind
 * once its calls are over.
 */
@Timeout(60)
class FairQueueingTests {

	private final List<CountingHttpServer> servers = new ArrayList<>();

	private final RecordingObserver observer = new RecordingObserver();

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.servers.toArray(AutoCloseable[]::new));
	}

	@Test
	void callsToAnIdleHostFinishWhileAHundredCallsWaitForASaturatedOne() throws Exception {
		CountingHttpServer slow = server().when("/slow", Behaviour.delay(Duration.ofSeconds(6)));
		CountingHttpServer fast = server();
		// 10 connections to the slow host, 100 more calls waiting for it, and 20 across hosts.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withPool(pool(20, 10, null, Duration.ofSeconds(30)))
			.withRetry(ClientTestSupport.noRetries()));
		AsyncApiClient client = this.clients.get(NAME);
		List<CompletableFuture<String>> slowCalls = new ArrayList<>();
		for (int i = 0; i < 110; i++) {
			slowCalls.add(client.get(slow.url("/slow/" + i), String.class).toFuture());
		}
		await().atMost(BLOCK).until(() -> slow.requestCount() == 10 && this.clients.queued(NAME) == 100);
		long start = System.nanoTime();

		List<String> fastBodies = Flux.range(0, 30)
			.flatMap((i) -> client.get(fast.url("/fast/" + i), String.class), 10)
			.collectList()
			.block(BLOCK);

		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(fastBodies).hasSize(30).containsOnly("ok");
		assertThat(slowCalls).as("the slow host still holds its calls").noneMatch(CompletableFuture::isDone);
		assertThat(took).as("the fast host's calls did not wait for the slow host").isLessThan(Duration.ofSeconds(5));
		assertThat(fast.requestCount()).isEqualTo(30);
		assertThat(this.clients.queued(NAME)).isEqualTo(100);
		for (CompletableFuture<String> call : slowCalls) {
			call.cancel(true);
		}
	}

	@Test
	void oneAcquireTimeoutBoundsTheWholeWaitForAHostAndTheClient() throws IOException {
		CountingHttpServer server = server().when("/stall", Behaviour.stall());
		Duration acquireTimeout = Duration.ofMillis(1500);
		// One connection in all: the waiting call is held up by both limits at once.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(1, 1, null, acquireTimeout))
			.withRetry(ClientTestSupport.noRetries()));
		AsyncApiClient client = this.clients.get(NAME);
		CompletableFuture<String> stalled = client.get("/stall/1", String.class).toFuture();
		await().atMost(BLOCK).until(() -> server.requestCount() == 1);
		long start = System.nanoTime();

		Throwable failure = failureOf(client.get("/stall/2", String.class));

		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.ACQUIRE);
			assertThat(ex.isNotSent()).isTrue();
		});
		assertThat(waited).isGreaterThanOrEqualTo(acquireTimeout)
			.as("one acquire timeout, not one per queue")
			.isLessThan(acquireTimeout.multipliedBy(2));
		assertThat(server.requestCount()).isEqualTo(1);
		stalled.cancel(true);
	}

	@Test
	void aBurstOfTwoThousandCallsIsQueuedAndServedWithDefaultSettings() throws IOException {
		CountingHttpServer server = server();
		// The library defaults, with only a few connections so that nearly every call waits.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(8, 8, null, null)), this.observer);
		AsyncApiClient client = this.clients.get(NAME);
		assertThat(client.settings().pool().maxPending()).isEqualTo(-1);

		List<Outcome<String>> outcomes = Flux.range(0, 2000)
			.flatMap((i) -> outcome(client.get("/burst/{i}", String.class, i)), 2000)
			.collectList()
			.block(BLOCK);

		assertThat(outcomes).hasSize(2000).allMatch(Outcome::succeeded);
		assertThat(server.requestCount()).isEqualTo(2000);
		assertThat(this.observer.overloaded()).isZero();
		assertThat(this.observer.retries()).isEmpty();
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void anOverloadRejectionFailsAtOnceUnsentAndIsNeitherRetriedNorChargedToTheBudget() throws IOException {
		CountingHttpServer server = server().when("/stall", Behaviour.stall());
		// Retries on and budget left: only the policy's rule keeps the overload from a retry.
		AsyncApiClientSettings.Retry retry = new AsyncApiClientSettings.Retry(true, 3,
				fastRetries().backoff(), null, null, new AsyncApiClientSettings.Retry.Budget(0.0, 1));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(1, null, 0, Duration.ofSeconds(10)))
			.withRetry(retry), this.observer);
		AsyncApiClient client = this.clients.get(NAME);
		CompletableFuture<String> stalled = client.get("/stall/1", String.class).toFuture();
		await().atMost(BLOCK).until(() -> server.requestCount() == 1);
		long start = System.nanoTime();

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/items/2", "overloaded").bodyToMono(String.class));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not after a backoff")
			.isLessThan(Duration.ofSeconds(2));
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpOverloadException.class, (ex) -> {
			assertThat(ex.isNotSent()).isTrue();
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
		});
		assertThat(this.observer.retries()).isEmpty();
		assertThat(this.observer.budgetExhausted()).isZero();
		assertThat(this.observer.overloaded()).isEqualTo(1);
		assertThat(server.requestIds()).doesNotContain("overloaded");
		stalled.cancel(true);
	}

	@Test
	void aHostLeavesNoQueueStateBehindOnceItsCallsAreOver() throws Exception {
		List<CountingHttpServer> hosts = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			hosts.add(server());
		}
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withPool(pool(4, 2, null, null)));
		DefaultAsyncApiClient client = (DefaultAsyncApiClient) this.clients.get(NAME);

		List<String> bodies = Flux.fromIterable(hosts)
			.flatMap((host) -> Flux.range(0, 5).map((i) -> host.url("/item/" + i)))
			.flatMap((url) -> client.get(url, String.class), 100)
			.collectList()
			.block(BLOCK);

		assertThat(bodies).hasSize(100);
		await().atMost(Duration.ofSeconds(5)).until(() -> client.runtime().limiter().hosts() == 0);
		assertThat(this.clients.inFlight(NAME)).isZero();
		assertThat(this.clients.queued(NAME)).isZero();
	}

	private CountingHttpServer server() throws IOException {
		CountingHttpServer server = CountingHttpServer.start();
		this.servers.add(server);
		return server;
	}

}
