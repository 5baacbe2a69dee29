package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link AsyncApiClients#close()}: calls in flight end typed after the grace period, calls
 * after close fail at once and never reach the server.
 */
@Timeout(60)
class ClientLifecycleTests {

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
	void closeEndsStalledInFlightCallsWithClientClosedAfterTheGracePeriod() throws Exception {
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")),
				Duration.ofMillis(500));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			calls.add(client.get("/stall/{i}", String.class, i).toFuture());
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 3);
		assertThat(this.clients.inFlight(ClientTestSupport.NAME)).isEqualTo(3);

		// close() blocks for the grace period, then cuts the connections: it must return.
		CompletableFuture.runAsync(this.clients::close).get(15, TimeUnit.SECONDS);

		for (CompletableFuture<String> call : calls) {
			Throwable failure = catchThrowable(() -> call.get(5, TimeUnit.SECONDS));
			assertThat(failure).hasCauseInstanceOf(AsyncHttpClientClosedException.class);
			AsyncHttpClientClosedException closed = (AsyncHttpClientClosedException) failure.getCause();
			assertThat(closed.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(closed.getClientName()).isEqualTo(ClientTestSupport.NAME);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.openConnections() == 0);
	}

	@Test
	void closeFailsCallsStillQueuedForAPermitAsClientClosedAndNotSent() throws Exception {
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(ClientTestSupport.pool(1, null, 10, Duration.ofSeconds(30))), Duration.ofMillis(300));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		CompletableFuture<String> inFlight = client.get("/stall/first", String.class).toFuture();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 1);
		List<CompletableFuture<String>> queued = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			queued.add(client.get("/stall/{i}", String.class, i).toFuture());
		}
		assertThat(this.clients.queued(ClientTestSupport.NAME)).isEqualTo(3);

		CompletableFuture.runAsync(this.clients::close).get(15, TimeUnit.SECONDS);

		assertThat(catchThrowable(() -> inFlight.get(5, TimeUnit.SECONDS)))
			.hasCauseInstanceOf(AsyncHttpClientClosedException.class);
		for (CompletableFuture<String> call : queued) {
			Throwable failure = catchThrowable(() -> call.get(5, TimeUnit.SECONDS));
			assertThat(failure).hasCauseInstanceOf(AsyncHttpClientClosedException.class);
			assertThat(((AsyncHttpException) failure.getCause()).isNotSent()).isTrue();
		}
		assertThat(this.server.requestTargets()).containsExactly("/stall/first");
	}

	@Test
	void callsThatFinishWithinTheGracePeriodSucceed() throws Exception {
		this.server.when("/slow", Behaviour.delay(Duration.ofMillis(300)));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")),
				Duration.ofSeconds(5));
		CompletableFuture<String> call = this.clients.get(ClientTestSupport.NAME)
			.get("/slow", String.class)
			.toFuture();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 1);

		CompletableFuture.runAsync(this.clients::close).get(15, TimeUnit.SECONDS);

		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
	}

	@Test
	void callsAfterCloseFailWithClientClosedAndAreNeverSent() throws Exception {
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		this.clients.close();
		// Closing again is harmless.
		CompletableFuture.runAsync(this.clients::close).get(15, TimeUnit.SECONDS);

		Throwable viaShortcut = failureOf(client.get("/items", String.class));
		Throwable viaWebClient = failureOf(client.webClient().get().uri("/items").retrieve().bodyToMono(String.class));

		assertThat(List.of(viaShortcut, viaWebClient)).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpClientClosedException.class, (ex) -> assertThat(ex.isNotSent()).isTrue()));
		assertThat(this.server.acceptedConnections()).isZero();
		assertThat(this.server.requestCount()).isZero();
	}

}
