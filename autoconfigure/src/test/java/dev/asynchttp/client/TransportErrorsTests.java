package dev.asynchttp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection failures other than timeouts are typed too, with the right request state.
 */
@Timeout(60)
class TransportErrorsTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void refusedConnectionIsAConnectExceptionAndNotSent() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			closedPort = socket.getLocalPort();
		}
		this.clients = ClientTestSupport
			.clients(AsyncApiClientSettings.empty().withBaseUrl(URI.create("http://127.0.0.1:" + closedPort)));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/x", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT));
	}

	@Test
	void connectionDroppedWithoutAnAnswerIsAConnectExceptionWithUnknownOutcome() throws IOException {
		this.server = CountingHttpServer.start().when("/hang-up", Behaviour.hangUp());
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withRetry(noRetries()));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/hang-up", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN));
		assertThat(this.server.requestCount()).isEqualTo(1);
	}

	@Test
	void sentPostThatLostItsConnectionIsNeverSentAgainByTheDefaultRetryPolicy() throws IOException {
		this.server = CountingHttpServer.start().when("/hang-up", Behaviour.hangUp());
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")));

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME)
			.post("/hang-up", Map.of("order", 42), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class, (ex) -> {
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
			assertThat(ex.getAttempts()).isEqualTo(1);
		});
		assertThat(this.server.requestLines()).containsExactly("POST /hang-up HTTP/1.1");
	}

}
