package dev.asynchttp.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.asynchttp.client.ClientTestSupport.Outcome;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.ResponseEntity;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static dev.asynchttp.client.ClientTestSupport.outcome;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's connection permit comes back whichever way its exchange ends (the response
 * read, the server hanging up, the deadline cancelling it), a call waiting for it goes out
 * on the connection it frees, a cancelled waiting call leaves the queue at once, and a
 * client a customizer switched to HTTP/2 is limited all the same.
 */
@Timeout(60)
class ConnectionPermitTests {

	private final List<CountingHttpServer> servers = new ArrayList<>();

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.servers.toArray(AutoCloseable[]::new));
	}

	@Test
	void aPermitComesBackWhenTheServerHangsUpSoTheCallWaitingForItGoesOut() throws IOException {
		CountingHttpServer server = server().when("/hang-up", Behaviour.hangUp());
		this.clients = ClientTestSupport.clients(oneConnection(server, Duration.ofSeconds(5)));
		AsyncApiClient client = this.clients.get(NAME);

		// Each round starts both calls at once: the second waits for the first one's permit.
		for (int i = 0; i < 20; i++) {
			List<Outcome<String>> round = Flux
				.merge(outcome(client.get("/hang-up/{i}", String.class, i)),
						outcome(client.get("/ok/{i}", String.class, i)))
				.collectList()
				.block(BLOCK);

			assertThat(round).hasSize(2);
			assertThat(round).filteredOn((outcome) -> outcome.error() != null)
				.singleElement()
				.satisfies((outcome) -> assertThat(outcome.error()).isInstanceOf(AsyncHttpConnectException.class));
			assertThat(round).filteredOn(Outcome::succeeded)
				.singleElement()
				.satisfies((outcome) -> assertThat(outcome.value()).isEqualTo("ok"));
		}
		assertThat(server.requestCount()).isEqualTo(40);
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void aPermitComesBackWhenTheDeadlineCancelsAnExchangeOnItsConnection() throws IOException {
		CountingHttpServer server = server().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(oneConnection(server, Duration.ofSeconds(5))
			.withTimeouts(ClientTestSupport.timeouts(null, Duration.ofSeconds(30), null, Duration.ofMillis(300))));
		AsyncApiClient client = this.clients.get(NAME);

		for (int i = 0; i < 3; i++) {
			Throwable failure = ClientTestSupport.failureOf(client.get("/stall/{i}", String.class, i));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
					(ex) -> assertThat(ex.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.TOTAL));
		}

		assertThat(server.requestCount()).as("each stalled call got the connection permit").isEqualTo(3);
		assertThat(client.get("/ok", String.class).block(BLOCK)).isEqualTo("ok");
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void callsWaitingForTheOnlyConnectionGoOutOnItOneAfterTheOther() throws IOException {
		CountingHttpServer server = server().when("/slow", Behaviour.delay(Duration.ofMillis(300)));
		this.clients = ClientTestSupport.clients(oneConnection(server, Duration.ofSeconds(10)));
		AsyncApiClient client = this.clients.get(NAME);
		CompletableFuture<String> first = client.get("/slow/1", String.class).toFuture();
		await().atMost(BLOCK).until(() -> server.requestCount() == 1);

		// Both kinds of exchange wait: the typed one and a plain WebClient one.
		CompletableFuture<String> typed = client.get("/slow/2", String.class).toFuture();
		CompletableFuture<ResponseEntity<String>> plain = client.webClient()
			.get()
			.uri("/slow/3")
			.retrieve()
			.toEntity(String.class)
			.toFuture();
		await().atMost(BLOCK).until(() -> this.clients.queued(NAME) == 2);
		assertThat(this.clients.inFlight(NAME)).isEqualTo(1);

		assertThat(first.join()).isEqualTo("ok");
		assertThat(typed.join()).isEqualTo("ok");
		assertThat(plain.join().getBody()).isEqualTo("ok");
		assertThat(server.acceptedConnections()).as("one connection, reused by each waiting call").isEqualTo(1);
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void cancelledWaitingCallsLeaveTheQueueAtOnceAndTakeNoConnection() throws IOException {
		CountingHttpServer server = server().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(oneConnection(server, Duration.ofSeconds(30)));
		AsyncApiClient client = this.clients.get(NAME);
		CompletableFuture<String> holder = client.get("/stall/0", String.class).toFuture();
		await().atMost(BLOCK).until(() -> server.requestCount() == 1);
		Disposable typed = client.get("/stall/1", String.class).subscribe((body) -> {
		}, (ex) -> {
		});
		Disposable plain = client.webClient().get().uri("/stall/2").retrieve().bodyToMono(String.class).subscribe((body) -> {
		}, (ex) -> {
		});
		await().atMost(BLOCK).until(() -> this.clients.queued(NAME) == 2);

		typed.dispose();
		plain.dispose();

		assertThat(this.clients.queued(NAME)).isZero();
		holder.cancel(true);
		assertThat(client.get("/ok", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(server.requestTargets()).containsExactly("/stall/0", "/ok");
	}

	@Test
	void aClientACustomizerSwitchedToHttp2IsStillLimitedPerHost() {
		DisposableServer h2c = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2C)
			.route((routes) -> routes.get("/slow/{i}",
					(request, response) -> response.sendString(Mono.just("ok").delayElement(Duration.ofMillis(500)))))
			.bindNow(Duration.ofSeconds(10));
		try {
			this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
				.withBaseUrl(URI.create("http://127.0.0.1:" + h2c.port()))
				.withPool(pool(10, 1, null, Duration.ofSeconds(10)))
				.withRetry(noRetries()), new AsyncApiClientObserver() {
				}, Clock.systemUTC(), AsyncApiClientCustomizer.forHttpClient(NAME,
						(httpClient) -> httpClient.protocol(HttpProtocol.H2C)));
			AsyncApiClient client = this.clients.get(NAME);

			List<CompletableFuture<String>> calls = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				calls.add(client.get("/slow/{i}", String.class, i).toFuture());
			}
			await().atMost(BLOCK).until(() -> this.clients.queued(NAME) == 2);
			assertThat(this.clients.inFlight(NAME)).isEqualTo(1);

			assertThat(calls).allSatisfy((call) -> assertThat(call.join()).isEqualTo("ok"));
			ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
		}
		finally {
			h2c.disposeNow(Duration.ofSeconds(10));
		}
	}

	/**
	 * One connection in all, so that every further call waits for its permit; no retries,
	 * so that each call makes one attempt.
	 */
	private static AsyncApiClientSettings oneConnection(CountingHttpServer server, Duration acquireTimeout) {
		return AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(1, 1, null, acquireTimeout))
			.withRetry(noRetries());
	}

	private CountingHttpServer server() throws IOException {
		CountingHttpServer server = CountingHttpServer.start();
		this.servers.add(server);
		return server;
	}

}
