package dev.asynchttp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Reactor Netty's own retry is off: a request on a pooled connection that the server reset
 * before the request headers went out is the case where Reactor Netty would, on its own,
 * open a new connection and send the request once more, unseen by the retry policy.
 */
@Timeout(60)
class NoHiddenAttemptsTests {

	private final RecordingObserver observer = new RecordingObserver();

	private final AtomicInteger released = new AtomicInteger();

	private ResettingServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void theClientsHttpClientHasReactorNettysOwnRetryTurnedOff() {
		AtomicBoolean retryDisabled = new AtomicBoolean();
		AsyncApiClientCustomizer inspect = AsyncApiClientCustomizer.forHttpClient(NAME, (httpClient) -> {
			retryDisabled.set(httpClient.configuration().isRetryDisabled());
			return httpClient;
		});
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty(), this.observer, Clock.systemUTC(),
				inspect);

		assertThat(this.clients.get(NAME)).isNotNull();
		assertThat(retryDisabled).isTrue();
	}

	@Test
	void aResetBeforeTheHeadersWentOutIsNotSentAgainBehindTheRetryPolicy() throws Exception {
		this.server = new ResettingServer();
		// The request "second" is held back on its event loop, just before its headers are
		// written, until the server's reset has reached the socket, so that writing the
		// headers is what fails.
		CountDownLatch heldBack = new CountDownLatch(1);
		AsyncApiClientCustomizer holdBackSecond = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.doOnRequest((request, connection) -> {
					if (request.fullPath().equals("/second")) {
						heldBack.countDown();
						sleep(Duration.ofMillis(800));
					}
				}));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(java.net.URI.create(this.server.uri()))
			.withRetry(ClientTestSupport.noRetries()), this.observer, Clock.systemUTC(), holdBackSecond,
				ClientTestSupport.countingReleases(this.released));
		AsyncApiClient client = this.clients.get(NAME);
		assertThat(call(client, HttpMethod.GET, "/first", "first").bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.released.get() == 1);

		CompletableFuture<String> second = call(client, HttpMethod.GET, "/second", "second").bodyToMono(String.class)
			.toFuture();
		assertThat(heldBack.await(10, TimeUnit.SECONDS)).as("the second request reused the connection").isTrue();
		this.server.reset.countDown();
		Throwable failure = catchThrowable(() -> second.get(BLOCK.toSeconds(), TimeUnit.SECONDS));
		failure = (failure instanceof ExecutionException) ? failure.getCause() : failure;

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.getAttempts()).isEqualTo(1));
		assertThat(this.server.connections.get()).as("no second connection opened behind the policy").isEqualTo(1);
		assertThat(this.server.requests.get()).isEqualTo(1);
		assertThat(this.observer.retries()).isEmpty();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Answers one request per connection with keep-alive, then resets the connection
	 * (RST) when {@link #reset} is counted down.
	 */
	private static final class ResettingServer implements AutoCloseable {

		private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		final AtomicInteger connections = new AtomicInteger();

		final AtomicInteger requests = new AtomicInteger();

		final CountDownLatch reset = new CountDownLatch(1);

		private final Thread acceptor = new Thread(this::accept, "resetting-server");

		ResettingServer() throws IOException {
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		String uri() {
			return "http://127.0.0.1:" + this.socket.getLocalPort();
		}

		private void accept() {
			while (!this.socket.isClosed()) {
				try (Socket connection = this.socket.accept()) {
					this.connections.incrementAndGet();
					if (readHead(connection.getInputStream())) {
						this.requests.incrementAndGet();
						OutputStream out = connection.getOutputStream();
						out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
						out.flush();
						this.reset.await(BLOCK.toSeconds(), TimeUnit.SECONDS);
					}
					connection.setSoLinger(true, 0);
				}
				catch (IOException ex) {
					// Closed by close(), or the client went away: either way, next connection.
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private static boolean readHead(InputStream in) throws IOException {
			int matched = 0;
			int b;
			while ((b = in.read()) != -1) {
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
				if (matched == 4) {
					return true;
				}
			}
			return false;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
			this.acceptor.interrupt();
		}

	}

}
