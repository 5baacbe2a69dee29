package dev.asynchttp.sample;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.asynchttp.client.AsyncApiClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise "add the starter, set application.yml, inject the client, view actuator
 * metrics", end to end on the sample app: after a crawl, the pool gauges, the request timer,
 * the {@code asynchttp} endpoint, the health check and the Prometheus scrape answer with
 * real values, and raw URIs cannot explode the {@code uri} tag.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityTests {

	private static final int PORT = FixedFreePort.pick();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@DynamicPropertySource
	static void serverPort(DynamicPropertyRegistry registry) {
		FixedFreePort.register(registry, PORT);
	}

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	@Qualifier("demo")
	private AsyncApiClient demo;

	@Test
	@Order(1)
	void afterACrawlThePoolGaugesHaveRealValuesAndActiveConnectionsReturnToZero() {
		CrawlResult crawl = this.webTestClient.get()
			.uri("/crawl?n=300&delayMs=20")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(CrawlResult.class)
			.returnResult()
			.getResponseBody();
		assertThat(crawl.succeeded()).isEqualTo(300);
		Map<String, Object> max = metric("reactor.netty.connection.provider.max.connections", "name:demo");
		assertThat(value(max)).isEqualTo(100);
		assertThat(tagValues(max, "remote.address")).containsExactly("localhost:" + PORT);
		assertThat(value(metric("reactor.netty.connection.provider.total.connections", "name:demo"))).isPositive();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					value(metric("reactor.netty.connection.provider.active.connections", "name:demo")))
				.isZero());
		assertThat(value(metric("reactor.netty.connection.provider.idle.connections", "name:demo"))).isPositive();
		assertThat(value(metric("async.http.client.requests.inflight", "client.name:demo"))).isZero();
	}

	@Test
	@Order(2)
	void theRequestTimerIsTaggedWithTheClientNameAndTheUriTemplate() {
		Map<String, Object> requests = metric("http.client.requests", "client.name:demo", "uri:/demo/delay/{ms}");
		assertThat(statistic(requests, "COUNT")).isGreaterThanOrEqualTo(300);
		assertThat(tagValues(requests, "status")).containsExactly("200");
		assertThat(tagValues(requests, "outcome")).containsExactly("SUCCESS");
		assertThat(tagValues(requests, "method")).containsExactly("GET");
	}

	@Test
	@Order(3)
	@SuppressWarnings("unchecked")
	void theAsynchttpEndpointShowsSettingsAndLivePools() {
		Map<String, Object> all = json("/actuator/asynchttp");
		Map<String, Object> clients = (Map<String, Object>) all.get("clients");
		assertThat(clients).containsOnlyKeys("demo", "github");
		Map<String, Object> demo = (Map<String, Object>) clients.get("demo");
		Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) demo.get("settings")).get("pool");
		assertThat(pool).containsEntry("maxConnections", 200).containsEntry("maxConnectionsPerHost", 100);
		Map<String, Object> state = (Map<String, Object>) demo.get("state");
		assertThat(state).containsEntry("inFlight", 0).containsEntry("queued", 0);
		List<Map<String, Object>> connections = (List<Map<String, Object>>) state.get("connections");
		assertThat(connections).singleElement().satisfies((connection) -> {
			assertThat(connection).containsEntry("remoteAddress", "localhost:" + PORT)
				.containsEntry("active", 0)
				.containsEntry("max", 100);
			assertThat((Integer) connection.get("idle")).isPositive();
		});
		assertThat(json("/actuator/asynchttp/demo")).containsKeys("settings", "metrics", "health", "state", "events");
		this.webTestClient.get().uri("/actuator/asynchttp/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	@Order(4)
	@SuppressWarnings("unchecked")
	void theDemoClientsHealthCheckIsUp() {
		Map<String, Object> health = json("/actuator/health");
		Map<String, Object> asynchttp = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
			.get("asynchttp");
		Map<String, Object> demo = (Map<String, Object>) ((Map<String, Object>) asynchttp.get("components"))
			.get("demo");
		assertThat(demo).containsEntry("status", "UP");
		assertThat((Map<String, Object>) demo.get("details")).containsEntry("path", "/demo/status/200")
			.containsEntry("status", 200);
	}

	@Test
	@Order(5)
	void prometheusScrapeHasThePoolAndClientMeters() {
		String scrape = this.webTestClient.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).containsPattern("reactor_netty_connection_provider_active_connections"
				+ "\\{client_name=\"demo\",id=\"-?\\d+\",name=\"demo\",remote_address=\"localhost:" + PORT
				+ "\"\\} 0\\.0")
			.contains("async_http_client_requests_inflight{client_name=\"demo\"}")
			.contains("http_client_requests_seconds_count{client_name=\"demo\"")
			.contains("reactor_netty_connection_provider_pending_connections_time_seconds_count{client_name=\"demo\",id=");
	}

	@Test
	@Order(6)
	void tenThousandDistinctRawUrisYieldABoundedNumberOfUriTagValues() {
		// Concatenated paths: each is its own "template", the cardinality trap. (Values
		// concatenated into the query would not do: query values are masked in the tag.)
		Flux.range(0, 10_000)
			.flatMap((i) -> this.demo.webClient()
				.get()
				.uri("/demo/bytes/" + i)
				.retrieve()
				.toBodilessEntity(), 100)
			.blockLast(Duration.ofSeconds(120));
		Map<String, Object> requests = metric("http.client.requests", "client.name:demo");
		List<String> uris = tagValues(requests, "uri");
		// At most async-http.defaults.metrics.max-uri-tags (100) values, plus OVERFLOW and
		// possibly "none" (a request without template), which the cap leaves alone.
		assertThat(uris).hasSizeLessThanOrEqualTo(102).contains("OVERFLOW", "/demo/delay/{ms}");
		assertThat(statistic(metric("http.client.requests", "client.name:demo", "uri:OVERFLOW"), "COUNT"))
			.isGreaterThanOrEqualTo(10_000 - 100);
	}

	private Map<String, Object> metric(String name, String... tags) {
		UriComponentsBuilder uri = UriComponentsBuilder
			.fromUriString("http://localhost:" + PORT + "/actuator/metrics/" + name);
		for (String tag : tags) {
			uri.queryParam("tag", tag);
		}
		// Encoded as components, so that a tag value such as uri:/demo/delay/{ms} is data.
		URI encoded = uri.build().encode().toUri();
		return this.webTestClient.get()
			.uri(encoded)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private Map<String, Object> json(String path) {
		return this.webTestClient.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private static double value(Map<String, Object> metric) {
		return statistic(metric, "VALUE");
	}

	@SuppressWarnings("unchecked")
	private static double statistic(Map<String, Object> metric, String statistic) {
		return ((List<Map<String, Object>>) metric.get("measurements")).stream()
			.filter((measurement) -> statistic.equals(measurement.get("statistic")))
			.mapToDouble((measurement) -> ((Number) measurement.get("value")).doubleValue())
			.findFirst()
			.orElseThrow();
	}

	@SuppressWarnings("unchecked")
	private static List<String> tagValues(Map<String, Object> metric, String tag) {
		return ((List<Map<String, Object>>) metric.get("availableTags")).stream()
			.filter((available) -> tag.equals(available.get("tag")))
			.findFirst()
			.map((available) -> (List<String>) available.get("values"))
			.orElse(List.of());
	}

}
