package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.testsupport.CountingHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pool.keep-alive}, {@code pool.max-idle-time} and {@code pool.eviction-interval} as
 * the server sees them: connections accepted and closed.
 */
@Timeout(60)
class ConnectionReuseTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() throws IOException {
		this.server = CountingHttpServer.start();
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void keepAliveReusesOneConnectionForSequentialCalls() {
		AtomicInteger released = new AtomicInteger();
		this.clients = ClientTestSupport.clientsCountingReleases(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(new Pool(null, null, null, null, null, null, null, true, null)), released);
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/items/{i}", String.class, i).block(BLOCK)).isEqualTo("ok");
			// The call completes just before its connection is back in the pool.
			int calls = i + 1;
			await().atMost(Duration.ofSeconds(5)).until(() -> released.get() == calls);
		}

		assertThat(this.server.requestCount()).isEqualTo(5);
		assertThat(this.server.acceptedConnections()).isEqualTo(1);
		assertThat(this.server.closedConnections()).isZero();
	}

	@Test
	void withoutKeepAliveEveryCallOpensItsOwnConnection() {
		AsyncApiClient client = client(new Pool(null, null, null, null, null, null, null, false, null));

		for (int i = 0; i < 5; i++) {
			assertThat(client.get("/items/{i}", String.class, i).block(BLOCK)).isEqualTo("ok");
		}

		assertThat(this.server.requestCount()).isEqualTo(5);
		assertThat(this.server.acceptedConnections()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 5);
	}

	@Test
	void idleConnectionsAreEvictedAfterMaxIdleTime() {
		AsyncApiClient client = client(new Pool(null, null, null, null, Duration.ofMillis(200), null,
				Duration.ofMillis(100), true, null));

		assertThat(client.get("/first", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(this.server.acceptedConnections()).isEqualTo(1);

		// Background eviction closes the idle connection without any further call.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.closedConnections() == 1);
		assertThat(this.server.openConnections()).isZero();

		assertThat(client.get("/second", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(this.server.acceptedConnections()).isEqualTo(2);
		assertThat(this.server.requestCount()).isEqualTo(2);
	}

	private AsyncApiClient client(Pool pool) {
		this.clients = ClientTestSupport
			.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withPool(pool));
		return this.clients.get(ClientTestSupport.NAME);
	}

}
