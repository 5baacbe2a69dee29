package dev.asynchttp.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Broken responses: a body cut short, bytes that are not HTTP, a malformed chunk, a head
 * over the decoder's limits. Each ends in a typed error, never in a (short) success, and
 * the connection is thrown away.
 */
@Timeout(60)
class ProtocolFaultsTests {

	private static final byte[] GARBAGE = new byte[2048];

	static {
		new Random(42).nextBytes(GARBAGE);
	}

	private final RecordingObserver observer = new RecordingObserver();

	private final AtomicInteger released = new AtomicInteger();

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() throws IOException {
		// Every broken response but the truncated one leaves the connection open: closing
		// it is up to the client.
		this.server = CountingHttpServer.start()
			.when("/truncated", Behaviour.truncated(1000))
			.when("/garbage", Behaviour.raw(GARBAGE, true))
			.when("/bad-chunk",
					Behaviour.raw(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
							+ "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n"), true))
			.when("/huge-headers",
					Behaviour.raw(ascii("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(64 * 1024)
							+ "\r\nContent-Length: 2\r\n\r\nok"), true))
			.when("/huge-status-line", Behaviour
				.raw(ascii("HTTP/1.1 200 " + "A".repeat(10 * 1024) + "\r\nContent-Length: 2\r\n\r\nok"), true));
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void bodyCutShortIsAnErrorForEveryAttemptAndNeverAShortSuccess() {
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/truncated", "cut-get").bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getCause()).isInstanceOf(PrematureCloseException.class)
				.hasMessageContaining("DURING response");
			assertThat(ex.getAttempts()).isEqualTo(3);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
		});
		assertThat(this.server.requestIds()).containsExactly("cut-get", "cut-get", "cut-get");
	}

	@Test
	void bodyCutShortIsNotSentAgainForAPost() {
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(
				call(client, HttpMethod.POST, "/truncated", "cut-post").body(Map.of("a", 1)).bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.getAttempts()).isEqualTo(1));
		assertThat(this.server.requestIds()).containsExactly("cut-post");
	}

	@Test
	void streamedBodyCutShortEndsWithAnErrorAfterThePartialData() {
		AsyncApiClient client = client(fastRetries());
		AtomicInteger received = new AtomicInteger();

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/truncated", "cut-stream").bodyToFlux(byte[].class)
			.doOnNext((bytes) -> received.addAndGet(bytes.length))
			.then());

		assertThat(received).as("the half that was sent reached the consumer").hasValue(500);
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN));
		assertThat(this.server.requestIds()).as("a stream is never retried").containsExactly("cut-stream");
	}

	@Test
	void bodyCutShortOnAReusedConnectionIsNotMistakenForAStaleConnection() {
		// No retry budget: only a (wrongly) stale-classified failure could be retried.
		AsyncApiClient client = client(new Retry(true, 3, fastRetries().backoff(), null, null,
				new Retry.Budget(0.0, 0)));
		assertThat(call(client, HttpMethod.GET, "/ok", "first").bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.released.get() == 1);

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/truncated", "second").bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.BUDGET_EXHAUSTED);
		});
		assertThat(this.server.requests()).extracting(Seen::requestId, Seen::connection)
			.as("the truncated response came on the reused connection")
			.containsExactly(tuple("first", 1),
					tuple("second", 1));
		assertThat(this.observer.retries()).isEmpty();
		assertThat(this.observer.budgetExhausted()).isEqualTo(1);
	}

	@Test
	void garbageInsteadOfAResponseIsTypedAndEveryConnectionItCameOnIsDiscarded() {
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/garbage", "garbage-get").bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).as("a GET may be tried again").isEqualTo(3);
		});
		assertThat(this.server.requestIds()).containsExactly("garbage-get", "garbage-get", "garbage-get");
		assertThat(this.server.acceptedConnections()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 3);
		assertNextCallSucceedsOnANewConnection(client);
	}

	@Test
	void garbageInsteadOfAResponseToAPostIsTypedAndNotSentAgain() {
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(
				call(client, HttpMethod.POST, "/garbage", "garbage-post").body(Map.of("a", 1)).bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isEqualTo(1);
		});
		assertThat(this.server.requestIds()).containsExactly("garbage-post");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 1);
		assertNextCallSucceedsOnANewConnection(client);
	}

	@Test
	void malformedChunkIsATypedErrorAndNotAnHttpStatusError() {
		AsyncApiClient client = client(ClientTestSupport.noRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/bad-chunk", "bad-chunk").bodyToMono(String.class));

		// Before the fix this escaped as "200 OK ... but response failed with cause:
		// NumberFormatException", a WebClientResponseException with a success status.
		assertThat(failure).isNotInstanceOf(WebClientResponseException.class)
			.isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
				assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
				assertThat(ex.getMessage()).contains("invalid or incomplete response");
			});
		assertThat(this.server.requestIds()).containsExactly("bad-chunk");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 1);
		assertNextCallSucceedsOnANewConnection(client);
	}

	@Test
	void hugeHeadersAreATypedErrorThatIsNotRetriedAndTheConnectionIsClosed() {
		assertOversizedHeadIsFinal("/huge-headers");
	}

	@Test
	void hugeStatusLineIsATypedErrorThatIsNotRetriedAndTheConnectionIsClosed() {
		assertOversizedHeadIsFinal("/huge-status-line");
	}

	private void assertOversizedHeadIsFinal(String path) {
		AsyncApiClient client = client(fastRetries());

		Throwable failure = failureOf(call(client, HttpMethod.GET, path, "huge-head").bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getCause()).isInstanceOf(TooLongFrameException.class);
			assertThat(ex.getMessage()).contains("larger than");
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
		});
		assertThat(this.server.requestIds()).as("no retry").containsExactly("huge-head");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 1);
		assertNextCallSucceedsOnANewConnection(client);
	}

	private void assertNextCallSucceedsOnANewConnection(AsyncApiClient client) {
		int connectionsBefore = this.server.acceptedConnections();

		assertThat(call(client, HttpMethod.GET, "/ok", "next").bodyToMono(String.class).block(BLOCK)).isEqualTo("ok");

		assertThat(this.server.requests()).last().satisfies((seen) -> {
			assertThat(seen.requestId()).isEqualTo("next");
			assertThat(seen.connection()).isEqualTo(connectionsBefore + 1);
		});
	}

	private AsyncApiClient client(Retry retry) {
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withRetry(retry), this.observer,
				Clock.systemUTC(), ClientTestSupport.countingReleases(this.released));
		return this.clients.get(NAME);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
