package dev.asynchttp.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code Retry-After} on the wire and the per-host pause a 429 starts: the server's
 * arrival times show how long the client really waited.
 */
@Timeout(60)
class RetryAfterHandlingTests {

	/**
	 * The wall clock the client reads {@code Retry-After} dates against.
	 */
	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final RecordingObserver observer = new RecordingObserver();

	private final List<CountingHttpServer> servers = new ArrayList<>();

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		try {
			if (this.clients != null) {
				ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
			}
		}
		finally {
			if (this.clients != null) {
				this.clients.close();
			}
			this.servers.forEach(CountingHttpServer::close);
		}
	}

	@Test
	void tooManyRequestsWithRetryAfterInSecondsWaitsAtLeastThatLongBeforeTheNextAttempt() throws IOException {
		CountingHttpServer server = server().when("/limited",
				Behaviour.sequence(Behaviour.status(429, "Retry-After: 1"), Behaviour.ok()));
		AsyncApiClient client = client(server, fastRetries());

		String body = call(client, HttpMethod.GET, "/limited", "seconds").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		List<Seen> seen = server.requests("/limited");
		assertThat(seen).extracting(Seen::requestId).containsExactly("seconds", "seconds");
		assertThat(gap(seen.get(0), seen.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
			.isLessThan(Duration.ofSeconds(1).plusMillis(50).plusSeconds(3));
		assertThat(this.observer.retries()).singleElement().satisfies((retry) -> {
			assertThat(retry.reason()).isEqualTo("429");
			assertThat(retry.delay()).as("max(backoff of at most 50 ms, Retry-After)").isEqualTo(Duration.ofSeconds(1));
		});
	}

	@Test
	void unavailableWithRetryAfterAsAnHttpDateWaitsUntilThatDate() throws IOException {
		String oneSecondAhead = httpDate(NOW.plusSeconds(1));
		CountingHttpServer server = server().when("/unavailable",
				Behaviour.sequence(Behaviour.status(503, "Retry-After: " + oneSecondAhead), Behaviour.ok()));
		AsyncApiClient client = client(server, fastRetries());

		String body = call(client, HttpMethod.GET, "/unavailable", "http-date").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		List<Seen> seen = server.requests("/unavailable");
		assertThat(seen).extracting(Seen::requestId).containsExactly("http-date", "http-date");
		assertThat(gap(seen.get(0), seen.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(this.observer.retries()).singleElement()
			.satisfies((retry) -> assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void unavailableWithRetryAfterAsAnAsctimeDateWaitsUntilThatDate() throws IOException {
		// NOW plus one second in the obsolete asctime format, one-digit day padded with a space.
		CountingHttpServer server = server().when("/unavailable",
				Behaviour.sequence(Behaviour.status(503, "Retry-After: Sun Mar  1 12:00:01 2026"), Behaviour.ok()));
		AsyncApiClient client = client(server, fastRetries());

		String body = call(client, HttpMethod.GET, "/unavailable", "asctime-date").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		List<Seen> seen = server.requests("/unavailable");
		assertThat(seen).extracting(Seen::requestId).containsExactly("asctime-date", "asctime-date");
		assertThat(gap(seen.get(0), seen.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(this.observer.retries()).singleElement()
			.satisfies((retry) -> assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void retryAfterDateInThePastMeansTheNormalBackoff() throws IOException {
		String past = httpDate(NOW.minusSeconds(30));
		CountingHttpServer server = server().when("/unavailable",
				Behaviour.sequence(Behaviour.status(503, "Retry-After: " + past), Behaviour.ok()));
		AsyncApiClient client = client(server, fastRetries());

		String body = call(client, HttpMethod.GET, "/unavailable", "past-date").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		assertThat(server.requestIds()).containsExactly("past-date", "past-date");
		assertThat(this.observer.retries()).singleElement()
			.satisfies((retry) -> assertThat(retry.delay()).isBetween(Duration.ofMillis(25), Duration.ofMillis(50)));
	}

	@Test
	void retryAfterLongerThanMaxRetryAfterFailsAtOnceWithTheRequestedWait() throws IOException {
		CountingHttpServer server = server().when("/unavailable", Behaviour.status(503, "Retry-After: 3600"));
		// The default retry.max-retry-after is 30 s.
		AsyncApiClient client = client(server, fastRetries());
		long start = System.nanoTime();

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/unavailable", "too-long")
			.timeout(Duration.ofSeconds(5))
			.bodyToMono(String.class));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no sleep").isLessThan(Duration.ofSeconds(1));
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRetriesExhaustedException.class, (ex) -> {
			assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(3600));
			assertThat(ex.getStopReason()).isEqualTo(StopReason.RETRY_AFTER_TOO_LONG);
			assertThat(ex.getLastStatus()).isEqualTo(503);
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getCause()).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		});
		assertThat(server.requestIds()).containsExactly("too-long");
	}

	@Test
	void retryAfterEndingPastTheDeadlineFailsAtOnceWithTheRequestedWait() throws IOException {
		CountingHttpServer server = server().when("/unavailable", Behaviour.status(503, "Retry-After: 3600"));
		Retry fast = fastRetries();
		AsyncApiClient client = client(server,
				new Retry(null, null, fast.backoff(), null, Duration.ofHours(2), null));
		long start = System.nanoTime();

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/unavailable", "past-deadline")
			.timeout(Duration.ofSeconds(5))
			.bodyToMono(String.class));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no sleep").isLessThan(Duration.ofSeconds(1));
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRetriesExhaustedException.class, (ex) -> {
			assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(3600));
			assertThat(ex.getStopReason()).isEqualTo(StopReason.DEADLINE);
			assertThat(ex.getAttempts()).isEqualTo(1);
		});
		assertThat(server.requestIds()).containsExactly("past-deadline");
	}

	static Stream<Arguments> malformedRetryAfter() {
		return Stream.of(arguments("letters", new String[] { "Retry-After: abc" }),
				arguments("negative", new String[] { "Retry-After: -5" }),
				arguments("fraction", new String[] { "Retry-After: 1.5" }),
				arguments("overflow", new String[] { "Retry-After: 99999999999999999999" }),
				arguments("empty", new String[] { "Retry-After: " }),
				arguments("two headers", new String[] { "Retry-After: 1", "Retry-After: 2" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedRetryAfter")
	void malformedRetryAfterFallsBackToTheNormalBackoff(String description, String[] headerLines)
			throws IOException {
		CountingHttpServer server = server().when("/unavailable",
				Behaviour.sequence(Behaviour.status(503, headerLines), Behaviour.ok()));
		AsyncApiClient client = client(server, fastRetries());

		String body = call(client, HttpMethod.GET, "/unavailable", "malformed").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		assertThat(server.requestIds()).containsExactly("malformed", "malformed");
		assertThat(this.observer.retries()).singleElement()
			.satisfies((retry) -> assertThat(retry.delay()).isBetween(Duration.ofMillis(25), Duration.ofMillis(50)));
	}

	@Test
	void tooManyRequestsWithRetryAfterHoldsBackEveryCallToThatHostButNotToOthers() throws Exception {
		CountingHttpServer limited = server()
			.when("/limited", Behaviour.sequence(Behaviour.status(429, "Retry-After: 1"), Behaviour.ok()));
		CountingHttpServer other = server();
		// No base URL: the client calls both servers by absolute URL.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withRetry(fastRetries()),
				this.observer);
		AsyncApiClient client = this.clients.get(NAME);

		CompletableFuture<String> first = call(client, HttpMethod.GET, limited.url("/limited"), "first")
			.bodyToMono(String.class)
			.toFuture();
		assertThat(this.observer.firstCoolDown().await(10, TimeUnit.SECONDS)).as("the 429 started a pause").isTrue();
		List<CompletableFuture<String>> sameHost = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			sameHost.add(call(client, HttpMethod.GET, limited.url("/items/" + i), "same-" + i)
				.bodyToMono(String.class)
				.toFuture());
		}
		CompletableFuture<String> otherHost = call(client, HttpMethod.GET, other.url("/items"), "other")
			.bodyToMono(String.class)
			.toFuture();

		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
		for (CompletableFuture<String> call : sameHost) {
			assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
		}
		assertThat(otherHost.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
		RecordingObserver.CoolDown coolDown = this.observer.coolDowns().get(0);
		assertThat(coolDown.host()).isEqualTo("127.0.0.1:" + limited.port());
		assertThat(coolDown.pause()).isEqualTo(Duration.ofSeconds(1));
		long tooManyRequestsAt = limited.requests("/limited").get(0).arrivalNanos();
		long pauseEnd = tooManyRequestsAt + Duration.ofSeconds(1).toNanos();
		assertThat(limited.requests()).hasSize(7)
			.filteredOn((seen) -> seen.arrivalNanos() != tooManyRequestsAt)
			.as("nothing reached the host until the pause ended")
			.allSatisfy((seen) -> assertThat(seen.arrivalNanos()).isGreaterThanOrEqualTo(pauseEnd));
		assertThat(other.requests()).singleElement()
			.as("the other host was not paused")
			.satisfies((seen) -> assertThat(seen.arrivalNanos()).isLessThan(pauseEnd));
	}

	private AsyncApiClient client(CountingHttpServer server, Retry retry) {
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(server.uri("")).withRetry(retry), this.observer,
				Clock.fixed(NOW, ZoneOffset.UTC));
		return this.clients.get(NAME);
	}

	private CountingHttpServer server() throws IOException {
		CountingHttpServer server = CountingHttpServer.start();
		this.servers.add(server);
		return server;
	}

	private static Duration gap(Seen first, Seen second) {
		return Duration.ofNanos(second.arrivalNanos() - first.arrivalNanos());
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
	}

}
