package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
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
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One deadline over every attempt and backoff, and what a read timeout does to its
 * connection (beyond what {@link TimeoutsTests} checks).
 */
@Timeout(60)
class DeadlineTests {

	private final RecordingObserver observer = new RecordingObserver();

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void deadlineSpansEveryAttemptAndNoAttemptStartsAfterIt() {
		// Plenty of attempts allowed: only the deadline can stop this call.
		Retry retry = new Retry(true, 10, ClientTestSupport.fastRetries().backoff(), null, null, null);
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withRetry(retry)
			.withTimeouts(timeouts(null, Duration.ofSeconds(1), null, Duration.ofMillis(2500))), this.observer);
		long start = System.nanoTime();

		Throwable failure = failureOf(call(this.clients.get(NAME), HttpMethod.GET, "/stall", "deadline")
			.bodyToMono(String.class));

		Duration took = Duration.ofNanos(System.nanoTime() - start);
		long deadline = start + Duration.ofMillis(2500).toNanos();
		// Normally the deadline cuts the third attempt short (TOTAL); on a very slow machine
		// the policy may instead refuse a third attempt that could not finish in time, and
		// the second attempt's read timeout ends the call. Either way the deadline decided.
		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getRetryStopReason()).isEqualTo(StopReason.DEADLINE);
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isBetween(2, 3);
			if (ex.getKind() == Kind.TOTAL) {
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(2500));
				assertThat(ex.getCause()).as("the last failed attempt's failure")
					.isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
							(cause) -> assertThat(cause.getKind()).isEqualTo(Kind.READ));
				assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
			}
			else {
				assertThat(ex.getKind()).isEqualTo(Kind.READ);
			}
		});
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofMillis(2500 + 3000));
		List<Seen> seen = this.server.requests("/stall");
		assertThat(seen).hasSizeBetween(2, 3)
			.allSatisfy((request) -> assertThat(request.requestId()).isEqualTo("deadline"))
			.allSatisfy((request) -> assertThat(request.arrivalNanos()).as("started before the deadline")
				.isLessThan(deadline));
		assertThat(seen).hasSize(((AsyncHttpException) failure).getAttempts());
		assertThat(this.observer.timeouts()).contains(Kind.READ);
	}

	@Test
	void readTimeoutThrowsTheConnectionAwayInsteadOfPoolingIt() {
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withRetry(noRetries())
			.withTimeouts(timeouts(null, Duration.ofMillis(300), null, Duration.ofSeconds(15))));
		AsyncApiClient client = this.clients.get(NAME);

		Throwable failure = failureOf(call(client, HttpMethod.GET, "/stall", "read-timeout").bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
				(ex) -> assertThat(ex.getKind()).isEqualTo(Kind.READ));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 1);
		assertThat(call(client, HttpMethod.GET, "/ok", "next").bodyToMono(String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(this.server.requests()).extracting(Seen::requestId).containsExactly("read-timeout", "next");
		assertThat(this.server.requests().get(1).connection()).as("a new connection").isEqualTo(2);
	}

}
