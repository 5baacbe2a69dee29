package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.asynchttp.client.ClientTestSupport.Outcome;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import dev.asynchttp.testsupport.Gauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static dev.asynchttp.client.ClientTestSupport.outcome;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pool.max-connections-per-host}, {@code pool.max-connections} and
 * {@code pool.max-pending} as the servers see them.
 */
@Timeout(60)
class ConnectionLimitsTests {

	private final List<CountingHttpServer> servers = new ArrayList<>();

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		try {
			if (this.clients != null) {
				ClientTestSupport.assertNothingInFlightOrQueued(this.clients);
			}
		}
		finally {
			if (this.clients != null) {
				this.clients.close();
			}
			this.servers.forEach(CountingHttpServer::close);
		}
	}

	@Test
	void perHostCapIsNeverExceededUnderTenTimesMoreConcurrentRequests() throws IOException {
		CountingHttpServer server = server(new Gauge()).when("/slow", Behaviour.delay(Duration.ofMillis(100)));
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(200, 5, 1000, Duration.ofSeconds(20))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

		List<Outcome<String>> outcomes = Flux.range(0, 50)
			.flatMap((i) -> outcome(client.get("/slow/{i}", String.class, i)), 50)
			.collectList()
			.block(BLOCK);

		assertThat(outcomes).hasSize(50).allSatisfy((outcome) -> {
			assertThat(outcome.error()).isNull();
			assertThat(outcome.value()).isEqualTo("ok");
		});
		assertThat(server.requestCount()).isEqualTo(50);
		assertThat(server.maxOpenConnections()).as("connections open at once").isBetween(2, 5);
		assertThat(server.maxRequestsInProgress()).as("requests in progress at once").isBetween(2, 5);
		assertThat(server.acceptedConnections()).as("connections kept alive and reused").isBetween(2, 5);
	}

	@Test
	void totalCapHoldsAcrossTwoServersOnDifferentPorts() throws IOException {
		Gauge acrossServers = new Gauge();
		CountingHttpServer first = server(acrossServers).when("/slow", Behaviour.delay(Duration.ofMillis(100)));
		CountingHttpServer second = server(acrossServers).when("/slow", Behaviour.delay(Duration.ofMillis(100)));
		// No base URL: the client calls absolute URLs on both servers.
		this.clients = ClientTestSupport
			.clients(AsyncApiClientSettings.empty().withPool(pool(4, 4, 1000, Duration.ofSeconds(20))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

		List<Outcome<String>> outcomes = Flux.range(0, 40)
			.flatMap((i) -> outcome(client.get(((i % 2 == 0) ? first : second).url("/slow/{i}"), String.class, i)),
					40)
			.collectList()
			.block(BLOCK);

		assertThat(outcomes).hasSize(40).allSatisfy((outcome) -> {
			assertThat(outcome.error()).isNull();
			assertThat(outcome.value()).isEqualTo("ok");
		});
		assertThat(first.requestCount()).isEqualTo(20);
		assertThat(second.requestCount()).isEqualTo(20);
		assertThat(acrossServers.max()).as("requests in progress at once on both servers together")
			.isBetween(2, 4);
		assertThat(first.maxOpenConnections()).isLessThanOrEqualTo(4);
		assertThat(second.maxOpenConnections()).isLessThanOrEqualTo(4);
	}

	@Test
	void overloadBeyondMaxPendingIsTypedAndNeverSent() throws IOException {
		CountingHttpServer server = server(new Gauge()).when("/stall", Behaviour.stall());
		// One in flight, two may wait; the stalled calls end by read timeout one after
		// the other, which lets the queued ones run. Retries are off: this counts what
		// each call does once.
		this.clients = ClientTestSupport.clients(AsyncApiClientSettings.empty()
			.withBaseUrl(server.uri(""))
			.withPool(pool(1, null, 2, Duration.ofSeconds(15)))
			.withRetry(noRetries())
			.withTimeouts(timeouts(null, Duration.ofMillis(300), null, Duration.ofSeconds(15))));
		AsyncApiClient client = this.clients.get(ClientTestSupport.NAME);

		List<Outcome<String>> outcomes = Flux.range(0, 10)
			.flatMap((i) -> outcome(client.get("/stall/{i}", String.class, i)), 10)
			.collectList()
			.block(BLOCK);

		assertThat(outcomes).hasSize(10).noneMatch(Outcome::succeeded);
		List<AsyncHttpOverloadException> overloads = outcomes.stream()
			.map(Outcome::error)
			.filter(AsyncHttpOverloadException.class::isInstance)
			.map(AsyncHttpOverloadException.class::cast)
			.toList();
		assertThat(overloads).hasSizeGreaterThanOrEqualTo(7).allSatisfy((ex) -> {
			assertThat(ex.isNotSent()).isTrue();
			assertThat(ex.getMaxPending()).isEqualTo(2);
			assertThat(ex.getClientName()).isEqualTo(ClientTestSupport.NAME);
			assertThat(ex.getUriTemplate()).isEqualTo("/stall/{i}");
		});
		// The others were sent and ran into the read timeout.
		assertThat(outcomes).map(Outcome::error)
			.filteredOn((ex) -> !(ex instanceof AsyncHttpOverloadException))
			.allSatisfy((ex) -> assertThat(ex).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
					(timeout) -> assertThat(timeout.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.READ)));
		assertThat(server.requestCount()).as("1 in flight + the 2 queued that ran later").isLessThanOrEqualTo(3);
	}

	private CountingHttpServer server(Gauge acrossServers) throws IOException {
		CountingHttpServer server = CountingHttpServer.start(acrossServers);
		this.servers.add(server);
		return server;
	}

}
