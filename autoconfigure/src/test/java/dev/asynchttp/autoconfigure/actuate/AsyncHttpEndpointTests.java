package dev.asynchttp.autoconfigure.actuate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpoint.ClientDescriptor;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpoint.ConnectionsDescriptor;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpMetricsAutoConfiguration;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.SensitiveHeaders;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AsyncHttpEndpoint} and {@link AsyncHttpEndpointAutoConfiguration}, with
 * real requests against a local Reactor Netty server and no Micrometer registry: the live
 * state comes from Reactor Netty's pools and the client observer, not from meters.
 */
class AsyncHttpEndpointTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private ReactorTestServer server;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.sampleApi();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpMetricsAutoConfiguration.class, AsyncHttpEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=asynchttp",
					"async-http.clients.billing.base-url=" + this.server.url(),
					"async-http.clients.billing.pool.max-connections-per-host=7",
					"async-http.clients.billing.retry.backoff.initial=5ms",
					"async-http.clients.billing.default-headers.Authorization=Bearer s3cr3t",
					"async-http.clients.billing.default-headers.X-Api-Key=k3y",
					"async-http.clients.billing.default-headers.X-Request-Token=t0k3n",
					"async-http.clients.billing.default-headers.Cookie=session=abc",
					"async-http.clients.billing.default-headers.User-Agent=AsyncClient/1.0",
					"async-http.clients.billing.metrics.max-uri-tags=20",
					"async-http.clients.billing.health.path=/items/health",
					"async-http.clients.search.base-url=" + this.server.url());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void endpointIsAvailableOnlyWhenExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(AsyncHttpEndpoint.class)
			.hasSingleBean(AsyncApiClientEvents.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AsyncHttpEndpoint.class)
				.doesNotHaveBean(AsyncApiClientEvents.class));
	}

	@Test
	void listsEveryClientInConfigurationOrder() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(AsyncHttpEndpoint.class).clients().clients())
			.containsOnlyKeys("billing", "search"));
	}

	@Test
	void showsEffectiveSettingsWithCredentialBearingHeadersMasked() {
		this.contextRunner.run((context) -> {
			ClientDescriptor billing = context.getBean(AsyncHttpEndpoint.class).client("billing");
			assertThat(billing).isNotNull();
			Map<String, Object> settings = billing.settings();
			assertThat(settings).containsEntry("baseUrl", this.server.url());
			assertThat(settings.get("defaultHeaders")).isEqualTo(Map.of("Authorization", "******", "X-Api-Key",
					"******", "X-Request-Token", "******", "Cookie", "******", "User-Agent",
					List.of("AsyncClient/1.0")));
			assertThat(settings.toString()).doesNotContain("s3cr3t", "k3y", "t0k3n", "abc");
			assertThat(settings.get("pool")).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("maxConnections", 200)
				.containsEntry("maxConnectionsPerHost", 7)
				.containsEntry("acquireTimeout", "10s")
				.containsEntry("maxLifeTime", "5m")
				.containsEntry("leasing", "lifo")
				.containsEntry("disposeInactiveAfter", "1m");
			assertThat(settings).containsEntry("maxInMemorySize", "2MB").containsEntry("maxResponseSize", "1GB");
			assertThat(billing.metrics()).isEqualTo(Map.of("enabled", true, "perHost", true, "maxUriTags", 20,
					"maxHostTags", 100));
			assertThat(billing.health()).isEqualTo(Map.of("path", "/items/health", "timeout", "2s"));
		});
	}

	@Test
	void showsLiveConnectionsPerRemoteAddressAndRequestsInFlight() {
		this.contextRunner.run((context) -> {
			AsyncHttpEndpoint endpoint = context.getBean(AsyncHttpEndpoint.class);
			assertThat(endpoint.client("billing").state().connections()).isEmpty();
			AsyncApiClient billing = context.getBean(AsyncApiClients.class).get("billing");
			var pending = Flux.range(0, 3).flatMap((i) -> billing.get("/slow/{ms}", String.class, 400)).collectList()
				.toFuture();
			await().atMost(BLOCK).untilAsserted(() -> {
				ClientDescriptor busy = endpoint.client("billing");
				assertThat(busy.state().inFlight()).isEqualTo(3);
				assertThat(busy.state().connections()).singleElement()
					.satisfies((connections) -> assertThat(connections.active()).isEqualTo(3));
			});
			pending.get();
			await().atMost(BLOCK).untilAsserted(() -> {
				ClientDescriptor idle = endpoint.client("billing");
				assertThat(idle.state().inFlight()).isZero();
				assertThat(idle.state().queued()).isZero();
				ConnectionsDescriptor connections = idle.state().connections().get(0);
				assertThat(connections.remoteAddress()).isEqualTo(this.server.remoteAddress());
				assertThat(connections.id()).isNotBlank();
				assertThat(connections.active()).isZero();
				assertThat(connections.idle()).isEqualTo(3);
				assertThat(connections.total()).isEqualTo(3);
				assertThat(connections.pending()).isZero();
				assertThat(connections.max()).isEqualTo(7);
			});
			assertThat(endpoint.client("search").state().connections()).isEmpty();
		});
	}

	@Test
	void countsRetriesSinceStartupAndOverTheLastMinute() {
		this.contextRunner.run((context) -> {
			AsyncApiClient billing = context.getBean(AsyncApiClients.class).get("billing");
			assertThat(catchThrowable(() -> billing.get("/status/{code}", String.class, 503).block(BLOCK)))
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			Map<String, Object> events = context.getBean(AsyncHttpEndpoint.class).client("billing").events();
			assertThat(events).containsEntry("retries",
					Map.of("total", 2L, "lastMinute", 2L, "byReason",
							Map.of("503", Map.of("total", 2L, "lastMinute", 2L))));
			assertThat(events).containsEntry("rateLimitRejections", Map.of("total", 0L, "lastMinute", 0L));
			assertThat(events).containsKeys("retryBudgetExhausted", "overloadRejections", "timeouts", "rateLimitWaits",
					"coolDowns");
		});
	}

	@Test
	void withMicrometerCountsComeFromTheMetersAndAreNotCountedTwice() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("async-http.clients.search.metrics.enabled=false",
					"async-http.clients.search.retry.backoff.initial=5ms")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				for (String name : List.of("billing", "search")) {
					assertThat(catchThrowable(() -> clients.get(name).get("/status/{code}", String.class, 503)
						.block(BLOCK))).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
				}
				AsyncHttpEndpoint endpoint = context.getBean(AsyncHttpEndpoint.class);
				Map<String, Object> billing = endpoint.client("billing").events();
				// From async.http.client.retries: since startup, the backend computes rates.
				assertThat(billing).containsEntry("retries",
						Map.of("total", 2L, "byReason", Map.of("503", Map.of("total", 2L))));
				assertThat(billing).containsEntry("timeouts", Map.of("total", 0L, "byKind", Map.of()));
				assertThat(billing).containsEntry("rateLimitRejections", Map.of("total", 0L));
				SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
				assertThat(registry.get("async.http.client.retries").tag("client.name", "billing").counter().count())
					.isEqualTo(2);
				// A client without meters is counted by the endpoint itself, and only that one.
				AsyncApiClientEvents own = context.getBean(AsyncApiClientEvents.class);
				assertThat(own.describe("billing")).containsEntry("retries",
						Map.of("total", 0L, "lastMinute", 0L, "byReason", Map.of()));
				assertThat(endpoint.client("search").events()).containsEntry("retries",
						Map.of("total", 2L, "lastMinute", 2L, "byReason",
								Map.of("503", Map.of("total", 2L, "lastMinute", 2L))));
				assertThat(registry.find("async.http.client.retries").tag("client.name", "search").meters()).isEmpty();
			});
	}

	@Test
	void withoutMicrometerTheEndpointCountsEventsItself() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed();
			AsyncApiClient billing = context.getBean(AsyncApiClients.class).get("billing");
			assertThat(catchThrowable(() -> billing.get("/status/{code}", String.class, 503).block(BLOCK)))
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			assertThat(context.getBean(AsyncHttpEndpoint.class).client("billing").events()).containsEntry("retries",
					Map.of("total", 2L, "lastMinute", 2L, "byReason",
							Map.of("503", Map.of("total", 2L, "lastMinute", 2L))));
		});
	}

	@Test
	void anUnknownClientIsNull() {
		this.contextRunner.run((context) -> assertThat(context.getBean(AsyncHttpEndpoint.class).client("nope"))
			.isNull());
	}

	@Test
	void backsOffWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(AsyncApiClients.class);
				assertThat(context).doesNotHaveBean(AsyncHttpEndpoint.class);
				assertThat(context.getBean(AsyncApiClients.class).get("billing").get("/items/{id}", String.class, 1)
					.block(BLOCK)).contains("1");
			});
	}

	@Test
	void countsForOneMinuteThenOnlyInTheTotal() {
		long[] now = { 1000 };
		AsyncApiClientEvents events = new AsyncApiClientEvents((name) -> true, () -> now[0]);
		events.rateLimitRejected("billing");
		now[0] += 30;
		events.rateLimitRejected("billing");
		assertThat(events.describe("billing")).containsEntry("rateLimitRejections",
				Map.of("total", 2L, "lastMinute", 2L));
		now[0] += 45;
		assertThat(events.describe("billing")).containsEntry("rateLimitRejections",
				Map.of("total", 2L, "lastMinute", 1L));
		now[0] += 60;
		assertThat(events.describe("billing")).containsEntry("rateLimitRejections",
				Map.of("total", 2L, "lastMinute", 0L));
		assertThat(events.describe("other")).containsEntry("rateLimitRejections",
				Map.of("total", 0L, "lastMinute", 0L));
	}

	@Test
	void masksTheClientsOwnSensitiveHeadersAndTheProxyPassword() {
		this.contextRunner
			.withPropertyValues("async-http.clients.billing.sensitive-headers=X-Tenant-Pin",
					"async-http.clients.billing.default-headers.X-Tenant-Pin=4711",
					"async-http.clients.search.default-headers.X-Tenant-Pin=visible",
					"async-http.clients.billing.proxy.type=http", "async-http.clients.billing.proxy.host=proxy.local",
					"async-http.clients.billing.proxy.port=3128", "async-http.clients.billing.proxy.username=alice",
					"async-http.clients.billing.proxy.password=pr0xy-pw")
			.run((context) -> {
				AsyncHttpEndpoint endpoint = context.getBean(AsyncHttpEndpoint.class);
				Map<String, Object> billing = endpoint.client("billing").settings();
				assertThat(billing.get("defaultHeaders")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("X-Tenant-Pin", "******");
				assertThat(billing.get("proxy")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("host", "proxy.local")
					.containsEntry("username", "alice")
					.containsEntry("password", "******");
				assertThat(endpoint.clients().toString()).doesNotContain("4711", "pr0xy-pw");
				// The rule is the client's own: the other client does not list the header.
				assertThat(endpoint.client("search").settings().get("defaultHeaders"))
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("X-Tenant-Pin", List.of("visible"));
			});
	}

	@Test
	void showsTheProxyWithItsPasswordMasked() {
		this.contextRunner
			.withPropertyValues("async-http.clients.search.proxy.type=http",
					"async-http.clients.search.proxy.host=proxy.internal", "async-http.clients.search.proxy.port=3128",
					"async-http.clients.search.proxy.username=svc",
					"async-http.clients.search.proxy.password=pr0xy-s3cr3t",
					"async-http.clients.search.proxy.non-proxy-hosts=localhost")
			.run((context) -> {
				Map<String, Object> settings = context.getBean(AsyncHttpEndpoint.class).client("search").settings();
				assertThat(settings.get("proxy")).isEqualTo(Map.of("type", "http", "host", "proxy.internal", "port",
						3128, "username", "svc", "password", "******", "nonProxyHosts", "localhost"));
				assertThat(context.getBean(AsyncHttpEndpoint.class).clients().toString())
					.doesNotContain("pr0xy-s3cr3t");
			});
	}

	@Test
	void maskingFollowsTheOneDefinitionOfSensitiveHeaders() {
		SanitizingFunction rule = AsyncHttpEndpoint.builtInRule(SensitiveHeaders.builtIn());
		assertThat(sanitize(rule, "settings.defaultHeaders.Authorization", List.of("Bearer x"))).isEqualTo("******");
		assertThat(sanitize(rule, "settings.defaultHeaders.X-Access-Token", List.of("t"))).isEqualTo("******");
		assertThat(sanitize(rule, "settings.defaultHeaders.Client-Secret", List.of("s"))).isEqualTo("******");
		assertThat(sanitize(rule, "settings.defaultHeaders.Accept", List.of("application/json")))
			.isEqualTo(List.of("application/json"));
		assertThat(sanitize(rule, "settings.proxy.password", "pw")).isEqualTo("******");
		assertThat(sanitize(rule, "settings.baseUrl", URI.create("http://u:p@h/v1?k=v")))
			.isEqualTo("http://h/v1?k=***");
		assertThat(sanitize(rule, "settings.sslBundle", "client")).isEqualTo("client");
	}

	@Test
	void applicationSanitizingFunctionsMaskFurtherValues() {
		this.contextRunner
			.withPropertyValues("async-http.clients.billing.default-headers.X-Tenant=acme")
			.withBean("tenantSanitizer", SanitizingFunction.class,
					() -> SanitizingFunction.sanitizeValue().ifKeyEndsWith(".X-Tenant"))
			.withBean("hostSanitizer", SanitizingFunction.class,
					() -> (data) -> "settings.baseUrl".equals(data.getKey()) ? data.withValue("http://internal-host")
							: data)
			.run((context) -> {
				AsyncHttpEndpoint endpoint = context.getBean(AsyncHttpEndpoint.class);
				Map<String, Object> billing = endpoint.client("billing").settings();
				assertThat(billing.get("defaultHeaders")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("X-Tenant", "******")
					// The built-in rule still comes first.
					.containsEntry("Authorization", "******")
					.containsEntry("User-Agent", List.of("AsyncClient/1.0"));
				assertThat(billing).containsEntry("baseUrl", "http://internal-host");
				assertThat(endpoint.clients().toString()).doesNotContain("acme", "s3cr3t");
			});
	}

	private static @Nullable Object sanitize(SanitizingFunction rule, String key, Object value) {
		return new Sanitizer(List.of(rule)).sanitize(new SanitizableData(null, key, value), true);
	}

	@Test
	void showsWhetherAClientTrustsEveryCertificate() {
		this.contextRunner.withPropertyValues("async-http.clients.search.ssl.insecure-trust-all=true").run((context) -> {
			AsyncHttpEndpoint endpoint = context.getBean(AsyncHttpEndpoint.class);
			assertThat(endpoint.client("search").settings()).containsEntry("sslInsecureTrustAll", true);
			assertThat(endpoint.client("billing").settings()).containsEntry("sslInsecureTrustAll", false);
		});
	}

	@Test
	void durationsAndSizesAreFormattedLikeProperties() {
		assertThat(AsyncHttpEndpoint.format(Duration.ofSeconds(10))).isEqualTo("10s");
		assertThat(AsyncHttpEndpoint.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(AsyncHttpEndpoint.format(Duration.ofMinutes(5))).isEqualTo("5m");
		assertThat(AsyncHttpEndpoint.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(AsyncHttpEndpoint.format(DataSize.ofMegabytes(2))).isEqualTo("2MB");
		assertThat(AsyncHttpEndpoint.format(DataSize.ofBytes(1500))).isEqualTo("1500B");
	}

}
