package dev.asynchttp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.client.ClientTestSupport.Outcome;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static dev.asynchttp.client.ClientTestSupport.outcome;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry policy as the server sees it: what is sent again, how often, with which
 * request id, and what the caller gets.
 */
@Timeout(60)
class RetriesOnTheWireTests {

	private final RecordingObserver observer = new RecordingObserver();

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void getAnswered503ThenOkIsSentTwiceWithTheSameIdAfterOneBackoff() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/flaky", Behaviour.sequence(Behaviour.status(503), Behaviour.ok()));
		AsyncApiClient client = client(fastRetries());

		String body = call(client, HttpMethod.GET, "/flaky", "get-503").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		List<Seen> seen = this.server.requests("/flaky");
		assertThat(seen).extracting(Seen::requestId).containsExactly("get-503", "get-503");
		// Backoff 50 ms with half of it random: the wait is between 25 and 50 ms.
		assertThat(this.observer.retries()).singleElement().satisfies((retry) -> {
			assertThat(retry.reason()).isEqualTo("503");
			assertThat(retry.delay()).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
		});
		Duration gap = Duration.ofNanos(seen.get(1).arrivalNanos() - seen.get(0).arrivalNanos());
		assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(25)).isLessThan(Duration.ofMillis(50).plusSeconds(5));
	}

	@Test
	void postWithAnIdempotencyKeyIsSentAgainWithTheSameKeyAfterTheConnectionWasLost() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/orders", Behaviour.sequence(Behaviour.hangUp(), Behaviour.ok()));
		AsyncApiClient client = client(fastRetries());

		String body = call(client, HttpMethod.POST, "/orders", "post-idempotency-key").header("Idempotency-Key", "key-42")
			.body(Map.of("order", 42))
			.bodyToMono(String.class)
			.block(BLOCK);

		assertThat(body).isEqualTo("ok");
		assertThat(this.server.requests("/orders")).hasSize(2).allSatisfy((seen) -> {
			assertThat(seen.method()).isEqualTo("POST");
			assertThat(seen.requestId()).isEqualTo("post-idempotency-key");
			assertThat(seen.header("Idempotency-Key")).isEqualTo("key-42");
		});
		assertThat(this.observer.retryReasons()).containsExactly("connection_closed");
	}

	@Test
	void postMarkedIdempotentIsSentAgainAfterTheConnectionWasLost() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/orders", Behaviour.sequence(Behaviour.hangUp(), Behaviour.ok()));
		AsyncApiClient client = client(fastRetries());

		String body = call(client, HttpMethod.POST, "/orders", "post-marked-idempotent").idempotent()
			.body(Map.of("order", 42))
			.bodyToMono(String.class)
			.block(BLOCK);

		assertThat(body).isEqualTo("ok");
		assertThat(this.server.requestIds()).containsExactly("post-marked-idempotent", "post-marked-idempotent");
	}

	@Test
	void postThatLostItsConnectionIsNotSentAgainWithoutAnOptIn() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/orders", Behaviour.sequence(Behaviour.hangUp(), Behaviour.ok()));
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(
				call(client, HttpMethod.POST, "/orders", "post-no-opt-in").body(Map.of("order", 42)).bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
		});
		assertThat(this.server.requestIds()).containsExactly("post-no-opt-in");
	}

	@Test
	void refusedPostIsRetriedBecauseItWasNeverSentAndEndsTypedAfterMaxAttempts() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			closedPort = socket.getLocalPort();
		}
		AtomicInteger connects = new AtomicInteger();
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(URI.create("http://127.0.0.1:" + closedPort))
			.withRetry(fastRetries())
			.withTimeouts(timeouts(null, null, null, Duration.ofSeconds(10))), this.observer, Clock.systemUTC(),
				ClientTestSupport.countingConnects(connects));

		Throwable failure = failureOf(call(this.clients.get(NAME), HttpMethod.POST, "/orders", "post-refused")
			.body(Map.of("order", 42))
			.bodyToMono(String.class));

		// Ended by the attempt cap, not by the 10 s deadline.
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
			assertThat(ex.getAttempts()).isEqualTo(3);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
		});
		assertThat(connects).as("one connect per attempt").hasValue(3);
		assertThat(this.observer.retryReasons()).containsExactly("connect", "connect");
	}

	@Test
	void clientErrorStatusesAreNeverRetried() throws IOException {
		this.server = CountingHttpServer.start();
		List<Integer> statuses = List.of(400, 401, 404, 409, 500);
		statuses.forEach((status) -> this.server.when("/status/" + status, Behaviour.status(status)));
		AsyncApiClient client = client(fastRetries());

		for (int status : statuses) {
			Throwable failure = failureOf(
					call(client, HttpMethod.GET, "/status/" + status, "get-" + status).bodyToMono(String.class));

			assertThat(failure).isInstanceOfSatisfying(WebClientResponseException.class, (ex) -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(status);
				assertThat(ex.getSuppressed()).noneMatch(AsyncHttpRetriesExhaustedException.class::isInstance);
			});
		}
		assertThat(this.server.requestIds()).as("one request each")
			.containsExactly("get-400", "get-401", "get-404", "get-409", "get-500");
		assertThat(this.observer.retries()).isEmpty();
	}

	@Test
	void serverErrorIsRetriedOnlyForGetAndOnlyWhenListed() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/broken", Behaviour.status(500))
			.when("/unavailable", Behaviour.status(503));
		Retry fast = fastRetries();
		AsyncApiClient client = client(new Retry(null, null, fast.backoff(), Set.of(500, 503), null, null));

		Throwable get = failureOf(call(client, HttpMethod.GET, "/broken", "get").bodyToMono(String.class));
		Throwable post = failureOf(
				call(client, HttpMethod.POST, "/broken", "post").body(Map.of("a", 1)).bodyToMono(String.class));
		Throwable postUnavailable = failureOf(call(client, HttpMethod.POST, "/unavailable", "post-503")
			.body(Map.of("a", 1))
			.bodyToMono(String.class));

		assertThat(get).isInstanceOf(WebClientResponseException.InternalServerError.class);
		assertThat(exhausted(get)).satisfies((ex) -> {
			assertThat(ex.getAttempts()).isEqualTo(3);
			assertThat(ex.getStopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
		});
		assertThat(post).isInstanceOf(WebClientResponseException.InternalServerError.class);
		assertThat(postUnavailable).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(this.server.requestIds()).containsExactly("get", "get", "get", "post", "post-503");
	}

	@Test
	void serverErrorIsNotRetriedWithTheDefaultStatuses() throws IOException {
		this.server = CountingHttpServer.start().when("/broken", Behaviour.status(500));
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/broken", "get").bodyToMono(String.class));

		assertThat(failure).isInstanceOf(WebClientResponseException.InternalServerError.class);
		assertThat(this.server.requestIds()).containsExactly("get");
	}

	@Test
	void alwaysUnavailableIsTriedExactlyMaxAttemptsTimesAndTheErrorSaysSo() throws IOException {
		this.server = CountingHttpServer.start().when("/down", Behaviour.status(503));
		Retry fast = fastRetries();
		AsyncApiClient client = client(new Retry(null, 4, fast.backoff(), null, null, null));

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/down", "always-503").bodyToMono(String.class));

		assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(exhausted(failure)).satisfies((ex) -> {
			assertThat(ex.getAttempts()).isEqualTo(4);
			assertThat(ex.getStopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
			assertThat(ex.getLastStatus()).isEqualTo(503);
			assertThat(ex.getRetryAfter()).isNull();
			assertThat(ex.getMessage()).contains("gave up after 4 attempts").contains("last status 503");
		});
		assertThat(this.server.requestIds()).containsExactly("always-503", "always-503", "always-503", "always-503");
		assertThat(this.observer.retryReasons()).containsExactly("503", "503", "503");
	}

	@Test
	void noRetryMakesOneAttemptWhateverThePolicy() throws IOException {
		this.server = CountingHttpServer.start().when("/down", Behaviour.status(503));
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/down", "once").noRetry().bodyToMono(String.class));

		assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(failure.getSuppressed()).noneMatch(AsyncHttpRetriesExhaustedException.class::isInstance);
		assertThat(this.server.requestIds()).containsExactly("once");
	}

	@Test
	void retryBudgetCapsTheExtraLoadOnAnAlwaysFailingServerAndCallersNeverWaitForIt() throws IOException {
		this.server = CountingHttpServer.start().when("/down", Behaviour.status(503));
		// Almost no backoff, so the budget is what limits retries; default budget: a quarter of
		// first attempts plus 10 per second over 10 s.
		Retry retry = new Retry(true, 3, new Retry.Backoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 0.0),
				null, null, null);
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withRetry(retry)
			.withPool(pool(50, 50, 2000, Duration.ofSeconds(30))), this.observer);
		AsyncApiClient client = this.clients.get(NAME);
		int calls = 2000;
		long start = System.nanoTime();

		List<Outcome<String>> outcomes = Flux.range(0, calls)
			.flatMap((i) -> outcome(call(client, HttpMethod.GET, "/down", "b-" + i).bodyToMono(String.class)), 50)
			.collectList()
			.block(Duration.ofSeconds(45));

		assertThat(outcomes).hasSize(calls)
			.allSatisfy((outcome) -> assertThat(outcome.error())
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class));
		int hits = this.server.requestCount();
		int retries = this.observer.retries().size();
		assertThat(hits).as("every first attempt plus every retry the budget allowed").isEqualTo(calls + retries);
		assertThat(retries).as("some retries went ahead").isPositive();
		// The reserve is 10/s over a sliding 10 s window, so a run slowed past 10 s (a loaded
		// machine) legitimately earns another 100 per further window it spans.
		long windows = Math.max(1, (long) Math.ceil((System.nanoTime() - start) / 10e9));
		assertThat(hits).as("at most the budget's share more than the calls, plus the reserve of 10/s per 10 s window")
			.isLessThanOrEqualTo((int) (calls * (1 + AsyncApiClientDefaults.RETRY_BUDGET_RATIO)
					+ AsyncApiClientDefaults.RETRY_BUDGET_MIN_PER_SECOND * 10 * windows));
		assertThat(this.observer.budgetExhausted()).as("retries refused for lack of budget").isPositive();
		assertThat(retries + this.observer.budgetExhausted()).as("with a budget, every call would have been retried")
			.isGreaterThanOrEqualTo(calls);
		assertThat(outcomes).filteredOn((outcome) -> hasStopReason(outcome.error(), StopReason.BUDGET_EXHAUSTED))
			.as("calls that were retried, then refused by the budget, say so")
			.isNotEmpty();
	}

	private AsyncApiClient client(Retry retry) {
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withRetry(retry), this.observer);
		return this.clients.get(NAME);
	}

	private static AsyncHttpRetriesExhaustedException exhausted(Throwable failure) {
		return (AsyncHttpRetriesExhaustedException) List.of(failure.getSuppressed())
			.stream()
			.filter(AsyncHttpRetriesExhaustedException.class::isInstance)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no AsyncHttpRetriesExhaustedException suppressed in " + failure));
	}

	private static boolean hasStopReason(Throwable failure, StopReason reason) {
		return List.of(failure.getSuppressed())
			.stream()
			.anyMatch((suppressed) -> suppressed instanceof AsyncHttpRetriesExhaustedException exhausted
					&& exhausted.getStopReason() == reason);
	}

}
