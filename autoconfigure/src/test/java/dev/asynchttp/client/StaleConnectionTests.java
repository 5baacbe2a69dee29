package dev.asynchttp.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The stale keep-alive connection race made deterministic: the server answers the first
 * request with keep-alive, then resets the connection (RST) the moment the first byte of
 * the next request arrives on it.
 */
@Timeout(60)
class StaleConnectionTests {

	private final RecordingObserver observer = new RecordingObserver();

	private final AtomicInteger released = new AtomicInteger();

	private CountingHttpServer server;

	private AsyncApiClients clients;

	private AsyncApiClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = CountingHttpServer.start().when("/first", Behaviour.okThenResetNextRequest());
		// A long backoff and no retry budget at all: only the stale-connection retry, which
		// needs neither, can make a second attempt, and only at once.
		Retry retry = new Retry(true, 3, new Retry.Backoff(Duration.ofSeconds(20), 2.0, Duration.ofSeconds(20), 0.0),
				null, null, new Retry.Budget(0.0, 0));
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withRetry(retry), this.observer,
				Clock.systemUTC(), ClientTestSupport.countingReleases(this.released));
		this.client = this.clients.get(NAME);
		assertThat(call(this.client, HttpMethod.GET, "/first", "first").bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		// The call completes just before its connection is back in the pool.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.released.get() == 1);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void getOnAConnectionTheServerResetIsSentAgainAtOnceOnANewConnection() {
		String body = call(this.client, HttpMethod.GET, "/second", "second").bodyToMono(String.class).block(BLOCK);

		assertThat(body).isEqualTo("ok");
		assertThat(this.server.resetRequests()).as("the reused connection was reset").isEqualTo(1);
		assertThat(this.server.acceptedConnections()).isEqualTo(2);
		assertThat(this.server.requests()).extracting(Seen::requestId, Seen::connection)
			.containsExactly(tuple("first", 1),
					tuple("second", 2));
		assertThat(this.observer.retries()).singleElement().satisfies((retry) -> {
			assertThat(retry.reason()).isEqualTo("stale_connection");
			assertThat(retry.delay()).isZero();
		});
		assertThat(this.observer.budgetExhausted()).isZero();
	}

	@Test
	void postOnAConnectionTheServerResetFailsWithUnknownOutcomeAndIsNotSentAgain() {
		Throwable failure = failureOf(call(this.client, HttpMethod.POST, "/second", "second")
			.body(Map.of("order", 42))
			.bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isEqualTo(1);
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
		});
		assertThat(this.server.resetRequests()).isEqualTo(1);
		assertThat(this.server.acceptedConnections()).as("no second connection").isEqualTo(1);
		assertThat(this.server.requestIds()).containsExactly("first");
		assertThat(this.observer.retries()).isEmpty();
	}

}
