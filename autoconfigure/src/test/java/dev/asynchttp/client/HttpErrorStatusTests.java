package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;

import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP error statuses are not transport failures: they stay Spring's
 * {@link WebClientResponseException} and give their permit back.
 */
@Timeout(60)
class HttpErrorStatusTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	private AsyncApiClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/missing", Behaviour.status(404))
			.when("/broken", Behaviour.status(500));
		// A single permit with a short wait: a permit leaked by an error status would make
		// the next call fail with an acquire timeout.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withPool(pool(1, null, 10, Duration.ofSeconds(2))));
		this.client = this.clients.get(ClientTestSupport.NAME);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void notFoundStaysWebClientResponseExceptionAndReleasesItsPermit() {
		Throwable failure = failureOf(this.client.get("/missing/{id}", String.class, 1));

		assertThat(failure).isInstanceOf(WebClientResponseException.NotFound.class)
			.isNotInstanceOf(AsyncHttpException.class);
		assertThat(((WebClientResponseException) failure).getResponseBodyAsString()).isEqualTo("error 404");
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
		assertThat(this.client.get("/ok", String.class).block(BLOCK)).isEqualTo("ok");
	}

	@Test
	void repeatedServerErrorsNeverLeakPermits() {
		for (int i = 0; i < 5; i++) {
			Throwable failure = failureOf(this.client.get("/broken", String.class));
			assertThat(failure).isInstanceOf(WebClientResponseException.InternalServerError.class);
		}
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
		assertThat(this.client.get("/ok", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(this.server.requestCount()).isEqualTo(6);
		assertThat(this.server.closedConnections()).as("error responses keep the connection alive").isZero();
	}

	@Test
	void errorStatusThroughTheWebClientAlsoReleasesItsPermit() {
		Throwable failure = failureOf(
				this.client.webClient().get().uri("/missing").retrieve().toBodilessEntity());

		assertThat(failure).isInstanceOf(WebClientResponseException.NotFound.class);
		ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
	}

}
