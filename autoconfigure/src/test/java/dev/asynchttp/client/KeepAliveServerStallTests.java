package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientState;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The stall after a 503 (issue 8, point 9), made deterministic against an in-process Reactor
 * Netty server, the server the sample app's WebFlux upstream runs on.
 * <p>
 * The server may still be finishing an exchange (its handler has not completed) when the
 * client already has the whole answer and sends its next request on the same keep-alive
 * connection. The server queues that request; when the queued request is answered at once
 * (the sample app's {@code /demo/status/503}), Reactor Netty 1.3.6 and 1.3.7 stop reading
 * the connection (reactor/reactor-netty#4361), so the request after it is never read and
 * ends in a read timeout. In the sample app the window is the 10 ms delay endpoint: its answer
 * comes from a timer thread, and its exchange ends a task later on the event loop. A client in
 * the same JVM is fast enough to hit it: 0 to 18 of 25,000 calls per crawl with every fifth a
 * 503.
 */
@Timeout(60)
class KeepAliveServerStallTests {

	/**
	 * How long the server keeps the first exchange open after it sent the whole answer: the
	 * window in which the next request arrives and is queued.
	 */
	private static final Duration HANDLER_TAIL = Duration.ofSeconds(2);

	private ReactorTestServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void callAfterAnImmediate503QueuedOnAKeepAliveConnectionIsAnswered() {
		AtomicInteger connected = new AtomicInteger();
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger sentWhileFirstOpen = new AtomicInteger();
		this.server = ReactorTestServer.start((request, response) -> switch (request.path()) {
			// The whole answer (two chunks, Content-Length) goes out at once; the exchange
			// ends later.
			case "tail" -> response.header(HttpHeaderNames.CONTENT_LENGTH, "2")
				.sendString(Flux.just("o", "k"))
				.then()
				.then(Mono.delay(HANDLER_TAIL).then())
				.doFinally((signal) -> sentWhileFirstOpen.set(sent.get()));
			// Answered within the event loop's turn, like a controller that returns a value.
			case "unavailable" -> response.status(503)
				.header(HttpHeaderNames.CONTENT_LENGTH, "2")
				.sendString(Mono.just("no"));
			default -> response.header(HttpHeaderNames.CONTENT_LENGTH, "2").sendString(Mono.just("ok"));
		});
		// One connection, so that all three calls use it; no retries, so that a read timeout
		// is not hidden by an attempt on a new connection.
		AsyncApiClientSettings settings = AsyncApiClientSettings.empty()
			.withBaseUrl(URI.create(this.server.url("")))
			.withPool(ClientTestSupport.pool(1, 1, null, null))
			.withTimeouts(ClientTestSupport.timeouts(null, Duration.ofSeconds(5), null, null))
			.withRetry(ClientTestSupport.noRetries());
		AsyncApiClientCustomizer observe = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.observe((connection, state) -> {
					if (state == ConnectionObserver.State.CONNECTED) {
						connected.incrementAndGet();
					}
					else if (state == HttpClientState.REQUEST_SENT) {
						sent.incrementAndGet();
					}
				}));
		this.clients = new AsyncApiClients(Map.of(NAME, settings),
				new AsyncApiClientFactory(WebClient::builder, null, (bundle) -> {
					throw new IllegalArgumentException(bundle);
				}, List.of(observe)), Duration.ofSeconds(1));
		AsyncApiClient client = this.clients.get(NAME);

		Mono<String> first = client.get("/tail", String.class);
		Mono<String> unavailable = client.get("/unavailable", String.class);
		Throwable failure = catchThrowable(() -> first.then(unavailable).block(BLOCK));
		String next = client.get("/next", String.class).block(BLOCK);

		assertThat(sentWhileFirstOpen).as("requests sent while the server held the first exchange open")
			.hasValue(2);
		assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(next).isEqualTo("ok");
		assertThat(this.server.requests()).isEqualTo(3);
		assertThat(connected).as("connections").hasValue(1);
	}

}
