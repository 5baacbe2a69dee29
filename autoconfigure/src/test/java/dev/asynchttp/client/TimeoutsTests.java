package dev.asynchttp.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.FullBacklogListener;
import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Every timeout kind fires against a real socket and is reported with its kind and with
 * whether the request was sent.
 */
@Timeout(60)
class TimeoutsTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void acquireTimeoutFiresWhileTheOnlyPermitIsHeldAndTheWaiterIsNotSent() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(1, null, 10, Duration.ofMillis(300))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		Disposable holder = client.get("/stall", String.class).subscribe((body) -> {
		}, (ex) -> {
		});
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 1);

			Throwable failure = failureOf(client.get("/waiter", String.class));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.ACQUIRE);
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
				assertThat(ex.getUriTemplate()).isEqualTo("/waiter");
			});
			assertThat(this.server.requestTargets()).containsExactly("/stall");
		}
		finally {
			// Cancelling the stalled call gives its permit back.
			holder.dispose();
		}
	}

	@Test
	void connectTimeoutFiresAgainstAListenerWhoseBacklogIsFull() throws IOException {
		try (FullBacklogListener listener = new FullBacklogListener()) {
			assumeThat(listener.isSaturated()).as("this platform drops SYNs to a listener with a full backlog")
				.isTrue();
			this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
				.withBaseUrl(listener.uri())
				.withTimeouts(timeouts(Duration.ofMillis(300), null, null, Duration.ofSeconds(15))));

			Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/x", String.class));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.CONNECT);
				assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
			});
		}
	}

	@Test
	void totalDeadlineThatFiresWhileConnectingReportsNotSent() throws IOException {
		try (FullBacklogListener listener = new FullBacklogListener()) {
			assumeThat(listener.isSaturated()).as("this platform drops SYNs to a listener with a full backlog")
				.isTrue();
			this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
				.withBaseUrl(listener.uri())
				.withTimeouts(timeouts(Duration.ofSeconds(10), null, null, Duration.ofMillis(300))));

			Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/x", String.class));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
				assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
			});
		}
	}

	@Test
	void totalDeadlineThatFiresBetweenConnectAndWriteNeverLetsTheRequestGoOut() throws Exception {
		this.server = CountingHttpServer.start().when("/x", Behaviour.ok());
		// Holds the event loop between the connect and the request's write for longer than the
		// deadline: the deadline fires on another thread while the request is about to go out.
		AsyncApiClientCustomizer slowToWrite = AsyncApiClientCustomizer.forHttpClient(ClientTestSupport.NAME,
				(httpClient) -> httpClient.doOnConnected((connection) -> sleep(Duration.ofMillis(800))));
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty()
					.withBaseUrl(this.server.uri(""))
					.withTimeouts(timeouts(null, null, null, Duration.ofMillis(300)))
					.withRetry(noRetries()),
				new AsyncApiClientObserver() {
				}, Clock.systemUTC(), slowToWrite);

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/x", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
			assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
		});
		// Past the event loop's hold: a request written after the deadline would have arrived by now.
		sleep(Duration.ofMillis(1500));
		assertThat(this.server.requests("/x")).as("a request its caller was told is not sent").isEmpty();
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

	@Test
	void nettyConnectTimeoutIsTypedAsConnectAndNotSentWhateverTheProgress() {
		AsyncApiClientSettings settings = AsyncApiClientSettings.empty()
			.withTimeouts(timeouts(Duration.ofMillis(250), null, null, null))
			.orElse(AsyncApiClientSettings.defaults());
		ExchangeErrors errors = new ExchangeErrors(ClientTestSupport.NAME, settings, new AsyncApiClientObserver() {
		});
		RequestContext context = new RequestContext(ClientTestSupport.NAME, HttpMethod.GET, "/x/{id}");
		WebClientRequestException wrapped = new WebClientRequestException(
				new ConnectTimeoutException("connection timed out: /127.0.0.1:1"), HttpMethod.GET,
				URI.create("http://127.0.0.1:1/x/1"), new HttpHeaders());

		Throwable translated = errors.translate(wrapped, context, RequestState.OUTCOME_UNKNOWN, false);

		assertThat(translated).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.CONNECT);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(250));
			assertThat(ex.isNotSent()).isTrue();
			assertThat(ex.getCause()).isInstanceOf(ConnectTimeoutException.class);
		});
	}

	@Test
	void readTimeoutFiresWhenTheServerNeverAnswersAndTheOutcomeIsUnknown() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofMillis(300), null, Duration.ofSeconds(15)))
			.withRetry(noRetries()));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/stall", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.READ);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300));
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void readTimeoutOfAnIdempotentCallIsRetriedAndStillReportsReadAfterTheLastAttempt() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		// The library's default retry policy.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofMillis(200), null, Duration.ofSeconds(15))));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/stall", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.READ);
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isGreaterThan(1);
			assertThat(this.server.requestCount()).as("every attempt reached the server").isEqualTo(ex.getAttempts());
		});
	}

	@Test
	void readTimeoutIsArmedPerResponseSoAConnectionMayIdleInThePoolLongerThanIt() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/ok", Behaviour.ok())
			.when("/slow", Behaviour.delay(Duration.ofMillis(100)))
			.when("/stall", Behaviour.stall());
		AtomicInteger released = new AtomicInteger();
		this.clients = ClientTestSupport.clientsCountingReleases(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofMillis(400), null, Duration.ofSeconds(15)))
			.withRetry(noRetries()), released);
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

		assertThat(client.get("/ok", String.class).block(ClientTestSupport.BLOCK)).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> released.get() == 1);
		// Three read timeouts of idling in the pool, then a response that takes a quarter of one.
		sleep(Duration.ofMillis(1200));
		assertThat(client.get("/slow", String.class).block(ClientTestSupport.BLOCK)).isNotNull();
		await().atMost(Duration.ofSeconds(10)).until(() -> released.get() == 2);
		sleep(Duration.ofMillis(1200));
		long start = System.nanoTime();
		Throwable failure = failureOf(client.get("/stall", String.class));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
				(ex) -> assertThat(ex.getKind()).isEqualTo(Kind.READ));
		assertThat(waited).as("measured from the request, not from the last response")
			.isGreaterThanOrEqualTo(Duration.ofMillis(350));
		assertThat(this.server.acceptedConnections()).as("the idle connection was kept and reused").isEqualTo(1);
		assertThat(this.server.requestCount()).isEqualTo(3);
	}

	@Test
	void readTimeoutAlsoBoundsTheHttp2StreamsOfAClientACustomizerSwitchedToHttp2() {
		DisposableServer h2c = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2C)
			.route((routes) -> routes.get("/ok", (request, response) -> response.sendString(Mono.just("ok")))
				.get("/stall", (request, response) -> Mono.never()))
			.bindNow(Duration.ofSeconds(10));
		try {
			this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
				.withBaseUrl(URI.create("http://127.0.0.1:" + h2c.port()))
				.withTimeouts(timeouts(null, Duration.ofMillis(300), null, Duration.ofSeconds(15)))
				.withRetry(noRetries()), new AsyncApiClientObserver() {
				}, Clock.systemUTC(), AsyncApiClientCustomizer.forHttpClient(ClientTestSupport.NAME,
						(httpClient) -> httpClient.protocol(HttpProtocol.H2C)));
			AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

			assertThat(client.get("/ok", String.class).block(ClientTestSupport.BLOCK)).isEqualTo("ok");
			Throwable failure = failureOf(client.get("/stall", String.class));

			// Without a handler on the stream, only the 15 s deadline would end it.
			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.READ);
				assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			});
		}
		finally {
			h2c.disposeNow(Duration.ofSeconds(10));
		}
	}

	@Test
	void writeTimeoutFiresWhenTheServerNeverReadsALargeBody() throws IOException {
		this.server = CountingHttpServer.start().when("/upload", Behaviour.neverReadBody());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30))));
		byte[] body = new byte[50 * 1024 * 1024];

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME)
			.request(HttpMethod.POST, "/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(body)
			.toBodilessEntity());

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.WRITE);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(500));
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void writeTimeoutFiresOnAConnectionThatServedARequestBefore() throws IOException {
		// The write timeout lives on the connection: the second request goes out on the
		// connection the first one left idle in the pool.
		this.server = CountingHttpServer.start()
			.when("/ok", Behaviour.ok())
			.when("/upload", Behaviour.neverReadBody());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		assertThat(client.get("/ok", String.class).block(Duration.ofSeconds(10))).isNotNull();

		Throwable failure = failureOf(client.request(HttpMethod.POST, "/upload")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(new byte[50 * 1024 * 1024])
			.toBodilessEntity());

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
				(ex) -> assertThat(ex.getKind()).isEqualTo(Kind.WRITE));
		assertThat(this.server.requestCount()).isEqualTo(2);
	}

	@Test
	void totalTimeoutBoundsAResponseThatKeepsDripping() throws IOException {
		// One byte every 100 ms: the read timeout never fires, only the deadline can.
		this.server = CountingHttpServer.start().when("/drip", Behaviour.drip(Duration.ofMillis(100), 100));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofSeconds(1), null, Duration.ofSeconds(1))));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/drip", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void perRequestTimeoutOverridesTheClientDeadline() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofSeconds(30), null, Duration.ofSeconds(30))));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME)
			.request(HttpMethod.GET, "/stall")
			.timeout(Duration.ofMillis(400))
			.bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
			assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(400));
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
	}

	@Test
	void acquireTimeoutAlsoBoundsTheWaitForAPerHostConnection() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		// Plenty of permits, but one connection per host: the second call waits in the
		// Reactor Netty pool, not in the limiter.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(10, 1, 10, Duration.ofMillis(300))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		Disposable holder = client.get("/stall", String.class).subscribe((body) -> {
		}, (ex) -> {
		});
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 1);

			Throwable failure = failureOf(client.get("/waiter", String.class));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.ACQUIRE);
				assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
			});
			assertThat(this.server.acceptedConnections()).isEqualTo(1);
			assertThat(this.server.requestTargets()).containsExactly("/stall");
		}
		finally {
			holder.dispose();
		}
	}

	@Test
	void totalDeadlineThatFiresWhileQueuedForAPermitReportsNotSentAndLeavesTheQueue() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(1, null, 10, Duration.ofSeconds(30))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);
		Disposable holder = client.get("/stall", String.class).subscribe((body) -> {
		}, (ex) -> {
		});
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requestCount() == 1);

			Throwable failure = failureOf(
					client.request(HttpMethod.GET, "/waiter").timeout(Duration.ofMillis(300)).bodyToMono(String.class));

			assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
				assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
				assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
			});
			assertThat(this.clients.queued(ClientTestSupport.NAME)).isZero();
			assertThat(this.clients.inFlight(ClientTestSupport.NAME)).isEqualTo(1);
		}
		finally {
			holder.dispose();
		}
		assertThat(this.server.requestTargets()).containsExactly("/stall");
	}

	@Test
	void readTimeoutThroughThePlainWebClientIsTypedToo() throws IOException {
		this.server = CountingHttpServer.start().when("/stall", Behaviour.stall());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofMillis(300), null, null)));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME)
			.webClient()
			.get()
			.uri("/stall/{id}", 7)
			.retrieve()
			.bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.READ);
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
	}

	@Test
	void totalTimeoutBoundsAStreamedBodyAsAWhole() throws IOException {
		this.server = CountingHttpServer.start().when("/drip", Behaviour.drip(Duration.ofMillis(100), 100));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(timeouts(null, Duration.ofSeconds(1), null, Duration.ofSeconds(1))));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME)
			.request(HttpMethod.GET, "/drip")
			.bodyToFlux(String.class)
			.then());

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		});
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
