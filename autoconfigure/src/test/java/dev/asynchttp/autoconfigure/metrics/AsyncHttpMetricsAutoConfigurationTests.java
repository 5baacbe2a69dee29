package dev.asynchttp.autoconfigure.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientMeterObservationHandler;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.AsyncHttpOverloadException;
import dev.asynchttp.client.AsyncHttpRateLimitException;
import dev.asynchttp.client.AsyncHttpTimeoutException;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.autoconfigure.metrics.MicrometerAsyncApiClientObserver.CLIENT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AsyncHttpMetricsAutoConfiguration}, with real requests against a local
 * Reactor Netty server and a {@link SimpleMeterRegistry} as the application's registry.
 * Micrometer's global registry is kept out ({@code management.metrics.use-global-registry=false})
 * so that every meter found here was bound to the context's registry.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncHttpMetricsAutoConfigurationTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final String POOL = "reactor.netty.connection.provider.";

	private ReactorTestServer server;

	private ReactorTestServer otherServer;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startServers() {
		this.server = ReactorTestServer.sampleApi();
		this.otherServer = ReactorTestServer.sampleApi();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpMetricsAutoConfiguration.class, WebClientAutoConfiguration.class,
					ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					WebClientObservationAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("management.metrics.use-global-registry=false",
					"async-http.clients.billing.base-url=" + this.server.url(),
					"async-http.clients.billing.pool.max-connections-per-host=7",
					"async-http.clients.billing.retry.backoff.initial=5ms");
	}

	@AfterEach
	void stopServers() {
		this.server.close();
		this.otherServer.close();
	}

	@Test
	void metricsBeansAreDefinedAfterTheClientsAutoConfigurationYetReachEveryClient() {
		// AsyncHttpMetricsAutoConfiguration is processed after AsyncHttpAutoConfiguration;
		// its customizers and observer still reach the factory, which looks them up when the
		// clients are built, so the first request creates meters.
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(AsyncHttpConnectionPools.class);
			assertThat(context).hasSingleBean(ConnectionPoolMeters.class);
			assertThat(context).hasSingleBean(MicrometerAsyncApiClientObserver.class);
			get(context, "billing", "/items/{id}", 1);
			assertThat(registry(context).find(POOL + "active.connections").tag("name", "billing").gauge())
				.isNotNull();
		});
	}

	@Test
	void poolMetersUseReactorNettyNamesAndTagsOnTheContextRegistryNotTheGlobalOne() {
		this.contextRunner.run((context) -> {
			get(context, "billing", "/items/{id}", 1);
			MeterRegistry registry = registry(context);
			for (String name : List.of("total.connections", "active.connections", "idle.connections",
					"pending.connections", "max.connections", "max.pending.connections")) {
				Gauge gauge = registry.find(POOL + name).tag("name", "billing").gauge();
				assertThat(gauge).as(name).isNotNull();
				assertThat(gauge.getId().getTag("remote.address")).isEqualTo(this.server.remoteAddress());
				assertThat(gauge.getId().getTag("id")).isNotBlank();
				assertThat(Metrics.globalRegistry.find(POOL + name).tag("name", "billing").meters()).isEmpty();
			}
			assertThat(registry.get(POOL + "max.connections").tag("name", "billing").gauge().value()).isEqualTo(7);
			assertThat(registry.get(POOL + "total.connections").tag("name", "billing").gauge().value()).isEqualTo(1);
			await().atMost(BLOCK)
				.untilAsserted(() -> assertThat(
						registry.get(POOL + "active.connections").tag("name", "billing").gauge().value())
					.isZero());
			assertThat(registry.get(POOL + "idle.connections").tag("name", "billing").gauge().value()).isEqualTo(1);
			assertThat(registry.find(POOL + "pending.connections.time")
				.tags("name", "billing", "remote.address", this.server.remoteAddress())
				.timers()).extracting((timer) -> timer.getId().getTag("status"))
				.containsExactlyInAnyOrder("SUCCESS", "ERROR");
		});
	}

	@Test
	void requestPoolAndClientMetersShareOneClientNameTagKey() {
		this.contextRunner.run((context) -> {
			get(context, "billing", "/items/{id}", 1);
			MeterRegistry registry = registry(context);
			assertThat(registry.find("http.client.requests").tag(CLIENT_NAME, "billing").timers()).isNotEmpty();
			assertThat(registry.find(POOL + "active.connections").tag(CLIENT_NAME, "billing").gauges()).isNotEmpty();
			assertThat(registry.find("async.http.client.requests.inflight").tag(CLIENT_NAME, "billing").gauges())
				.isNotEmpty();
			// Reactor Netty's own key, with the same value, for dashboards made for it.
			Gauge pool = registry.get(POOL + "active.connections").tag(CLIENT_NAME, "billing").gauge();
			assertThat(pool.getId().getTag("name")).isEqualTo("billing");
			Set<String> keysNamingTheClient = registry.getMeters()
				.stream()
				.flatMap((meter) -> meter.getId().getTags().stream())
				.filter((tag) -> tag.getValue().equals("billing"))
				.map((tag) -> tag.getKey())
				.collect(Collectors.toSet());
			assertThat(keysNamingTheClient).containsExactlyInAnyOrder(CLIENT_NAME, "name");
		});
	}

	@Test
	void poolMetersGoAwayWhenTheContextCloses() {
		MeterRegistry[] registry = new MeterRegistry[1];
		this.contextRunner.run((context) -> {
			get(context, "billing", "/items/{id}", 1);
			registry[0] = registry(context);
			assertThat(registry[0].find(POOL + "total.connections").tag("name", "billing").gauges()).hasSize(1);
		});
		assertThat(registry[0].find(POOL + "total.connections").tag("name", "billing").gauges()).isEmpty();
		assertThat(registry[0].find(POOL + "pending.connections.time").tag("name", "billing").timers()).isEmpty();
	}

	@Test
	void requestsThatWaitForABusyHostWaitInTheClientQueueNotInTheHostPool() {
		this.contextRunner
			.withPropertyValues("async-http.clients.billing.pool.max-connections-per-host=1",
					"async-http.clients.billing.pool.max-connections=10")
			.run((context) -> {
				AsyncApiClient billing = client(context, "billing");
				CompletableFuture<List<String>> bodies = Flux.range(0, 3)
					.flatMap((i) -> billing.get("/slow/{ms}", String.class, 500))
					.collectList()
					.toFuture();
				Gauge queued = registry(context).get("async.http.client.requests.queued")
					.tags(CLIENT_NAME, "billing")
					.gauge();
				await().atMost(BLOCK).until(() -> queued.value() == 2.0);
				assertThat(bodies.get(BLOCK.toSeconds(), TimeUnit.SECONDS)).hasSize(3);
				// The first request gets the only connection; the two others wait for it in the
				// client's queue, which admits a call only when its host has room. At most they
				// wait in Reactor Netty's pool for the instant between the end of the previous
				// body and the return of its connection, never for the 500 ms response.
				assertThat(registry(context).find(POOL + "pending.connections.time")
					.tags("name", "billing", "status", "SUCCESS")
					.timers()).allSatisfy(
							(timer) -> assertThat(timer.max(TimeUnit.MILLISECONDS)).isLessThan(250));
			});
	}

	@Test
	void anAcquireThatTimesOutIsCountedAsAnAcquireTimeout() {
		this.contextRunner
			.withPropertyValues("async-http.clients.billing.pool.max-connections-per-host=1",
					"async-http.clients.billing.pool.max-connections=10",
					"async-http.clients.billing.pool.acquire-timeout=200ms")
			.run((context) -> {
				AsyncApiClient billing = client(context, "billing");
				Mono<String> slow = billing.get("/slow/{ms}", String.class, 1500);
				Mono<String> waiting = Mono.delay(Duration.ofMillis(100))
					.then(billing.request(HttpMethod.GET, "/items/{id}", 2).noRetry().bodyToMono(String.class));
				Throwable failure = catchThrowable(() -> Mono.zip(slow, waiting).block(BLOCK));
				assertThat(failure).isInstanceOf(AsyncHttpTimeoutException.class);
				assertThat(((AsyncHttpTimeoutException) failure).getKind())
					.isEqualTo(AsyncHttpTimeoutException.Kind.ACQUIRE);
				MeterRegistry registry = registry(context);
				assertThat(registry.get("async.http.client.timeouts").tags(CLIENT_NAME, "billing", "kind", "acquire")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void withPerHostOffAllHostsOfAClientAreSummedIntoOneSeriesTaggedAll() {
		this.contextRunner
			.withPropertyValues("async-http.clients.crawler.metrics.per-host=false",
					"async-http.clients.crawler.pool.max-connections-per-host=5")
			.run((context) -> {
				AsyncApiClient crawler = client(context, "crawler");
				crawler.get(this.server.url() + "/items/1", String.class).block(BLOCK);
				crawler.get(this.otherServer.url() + "/items/2", String.class).block(BLOCK);
				List<Gauge> total = List.copyOf(registry(context).find(POOL + "total.connections")
					.tag("name", "crawler")
					.gauges());
				assertThat(total).hasSize(1);
				assertThat(total.get(0).getId().getTag("remote.address")).isEqualTo("all");
				assertThat(total.get(0).getId().getTag("id")).isEqualTo("all");
				assertThat(total.get(0).value()).isEqualTo(2);
				assertThat(registry(context).get(POOL + "max.connections").tag("name", "crawler").gauge().value())
					.isEqualTo(5);
				// The endpoint still sees each host.
				assertThat(context.getBean(AsyncHttpConnectionPools.class).pools("crawler"))
					.extracting(AsyncHttpConnectionPools.ConnectionPool::remoteAddress)
					.containsExactlyInAnyOrder(this.server.remoteAddress(), this.otherServer.remoteAddress());
			});
	}

	@Test
	void requestTimerIsTaggedWithTheClientNameAndTheUriTemplate() {
		this.contextRunner.run((context) -> {
			get(context, "billing", "/items/{id}", 42);
			Timer timer = registry(context).get("http.client.requests").tag(CLIENT_NAME, "billing").timer();
			assertThat(timer.getId().getTag("uri")).isEqualTo("/items/{id}");
			assertThat(timer.getId().getTag("method")).isEqualTo("GET");
			assertThat(timer.getId().getTag("status")).isEqualTo("200");
			assertThat(timer.getId().getTag("outcome")).isEqualTo("SUCCESS");
			assertThat(timer.count()).isEqualTo(1);
			assertThat(registry(context).find("http.client.requests").tag(CLIENT_NAME, "127.0.0.1").meters())
				.isEmpty();
		});
	}

	@Test
	void recordsTheRequestsOfItsClientsWithItsMeterHandlerAndLeavesTheRestToBoots() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AsyncApiClientMeterObservationHandler.class)
				.hasSingleBean(DefaultMeterObservationHandler.class);
			get(context, "billing", "/items/{id}", 42);
			MeterRegistry registry = registry(context);
			assertThat(registry.get("http.client.requests").tags(CLIENT_NAME, "billing", "error", "none").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("http.client.requests.active").tag(CLIENT_NAME, "billing").longTaskTimer()
				.activeTasks()).isZero();
			Observation.createNotStarted("other.work", context.getBean(ObservationRegistry.class)).observe(() -> {
			});
			assertThat(registry.get("other.work").timer().count()).isEqualTo(1);
			assertThat(registry.get("other.work.active").longTaskTimer()).isNotNull();
		});
	}

	@Test
	void meterHandlerLeavesOutTheLongTaskTimerWhenBootIsToldToIgnoreIt() {
		this.contextRunner.withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				get(context, "billing", "/items/{id}", 42);
				MeterRegistry registry = registry(context);
				assertThat(registry.get("http.client.requests").tag(CLIENT_NAME, "billing").timer().count())
					.isEqualTo(1);
				assertThat(registry.find("http.client.requests.active").meters()).isEmpty();
			});
	}

	@Test
	void meterHandlerBacksOffForOneOfTheApplication() {
		this.contextRunner
			.withBean("customHandler", AsyncApiClientMeterObservationHandler.class,
					() -> new AsyncApiClientMeterObservationHandler(new SimpleMeterRegistry(), false))
			.run((context) -> assertThat(context).getBeans(AsyncApiClientMeterObservationHandler.class)
				.containsOnlyKeys("customHandler"));
	}

	@Test
	void requestTimerTakesTheConfiguredObservationNameForTypedCallsAndWebClientCalls() {
		this.contextRunner.withPropertyValues("management.observations.http.client.requests.name=outbound.calls")
			.run((context) -> {
				get(context, "billing", "/items/{id}", 42);
				client(context, "billing").webClient()
					.get()
					.uri("/items/{id}", 43)
					.retrieve()
					.bodyToMono(String.class)
					.block(BLOCK);
				MeterRegistry registry = registry(context);
				await().atMost(BLOCK)
					.untilAsserted(() -> assertThat(
							registry.get("outbound.calls").tags(CLIENT_NAME, "billing", "uri", "/items/{id}").timer().count())
						.isEqualTo(2));
				assertThat(registry.find("http.client.requests").meters()).isEmpty();
			});
	}

	@Test
	void rawUrisAreCappedPerClientAndTheCapIsLoggedOnce(CapturedOutput output) {
		this.contextRunner.withPropertyValues("async-http.clients.billing.metrics.max-uri-tags=5").run((context) -> {
			AsyncApiClient billing = client(context, "billing");
			for (int i = 0; i < 30; i++) {
				billing.webClient().get().uri("/items/" + i).retrieve().bodyToMono(String.class).block(BLOCK);
			}
			billing.webClient()
				.get()
				.uri(URI.create(this.server.url() + "/items/x"))
				.retrieve()
				.bodyToMono(String.class)
				.block(BLOCK);
			Set<String> uris = uriTags(registry(context), "billing");
			// Five raw URIs, OVERFLOW for the 25 others, and "none" for the one without a
			// template, which the cap leaves alone.
			assertThat(uris).containsExactlyInAnyOrder("/items/0", "/items/1", "/items/2", "/items/3", "/items/4",
					"OVERFLOW", "none");
			assertThat(registry(context).get("http.client.requests")
				.tags(CLIENT_NAME, "billing", "uri", "OVERFLOW")
				.timer()
				.count()).isEqualTo(25);
			assertThat(output).containsOnlyOnce("async-http client 'billing' reached 5 distinct 'uri' tag values");
		});
	}

	@Test
	void aUriWithoutTemplateIsRecordedAsNoneAndDoesNotCountTowardsTheCap() {
		this.contextRunner.withPropertyValues("async-http.clients.billing.metrics.max-uri-tags=1").run((context) -> {
			AsyncApiClient billing = client(context, "billing");
			for (int i = 0; i < 3; i++) {
				billing.webClient()
					.get()
					.uri(URI.create(this.server.url() + "/items/" + i))
					.retrieve()
					.bodyToMono(String.class)
					.block(BLOCK);
			}
			assertThat(uriTags(registry(context), "billing")).containsExactly("none");
		});
	}

	@Test
	void clientMetersCountRetriesTimeoutsOverloadsRateLimitsAndCoolDowns() {
		this.contextRunner.withPropertyValues("async-http.clients.billing.retry.max-attempts=3",
				"async-http.clients.slow.base-url=" + this.server.url(),
				"async-http.clients.slow.timeouts.read=100ms",
				"async-http.clients.busy.base-url=" + this.server.url(),
				"async-http.clients.busy.pool.max-connections=1", "async-http.clients.busy.pool.max-pending=0",
				"async-http.clients.limited.base-url=" + this.server.url(),
				"async-http.clients.limited.rate-limit.permits-per-period=1",
				"async-http.clients.limited.rate-limit.period=2s",
				"async-http.clients.limited.rate-limit.max-wait=5s",
				"async-http.clients.strict.base-url=" + this.server.url(),
				"async-http.clients.strict.rate-limit.permits-per-period=1",
				"async-http.clients.strict.rate-limit.period=1m", "async-http.clients.strict.rate-limit.max-wait=0s",
				"async-http.clients.frugal.base-url=" + this.server.url(),
				"async-http.clients.frugal.retry.budget.ratio=0",
				"async-http.clients.frugal.retry.budget.min-per-second=0")
			.run((context) -> {
				MeterRegistry registry = registry(context);
				// 503 three times: two retries.
				assertThat(catchThrowable(() -> get(context, "billing", "/status/{code}", 503)))
					.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
				assertThat(registry.get("async.http.client.retries").tags(CLIENT_NAME, "billing", "reason", "503")
					.counter()
					.count()).isEqualTo(2);
				// 429 with Retry-After: a cool-down of that host, then retries.
				assertThat(catchThrowable(() -> get(context, "billing", "/status/{code}", 429)))
					.isInstanceOf(WebClientResponseException.TooManyRequests.class);
				assertThat(registry.get("async.http.client.cooldowns")
					.tags(CLIENT_NAME, "billing", "remote.address", this.server.remoteAddress())
					.counter()
					.count()).isEqualTo(3);
				// A read timeout.
				assertThat(catchThrowable(() -> client(context, "slow").request(HttpMethod.GET, "/slow/{ms}", 1000)
					.noRetry()
					.bodyToMono(String.class)
					.block(BLOCK))).isInstanceOf(AsyncHttpTimeoutException.class);
				assertThat(registry.get("async.http.client.timeouts").tags(CLIENT_NAME, "slow", "kind", "read")
					.counter()
					.count()).isEqualTo(1);
				// A full queue.
				AsyncApiClient busy = client(context, "busy");
				Throwable overload = catchThrowable(() -> Mono
					.zip(busy.get("/slow/{ms}", String.class, 500),
							Mono.delay(Duration.ofMillis(100))
								.then(busy.request(HttpMethod.GET, "/items/{id}", 1)
									.noRetry()
									.bodyToMono(String.class)))
					.block(BLOCK));
				assertThat(overload).isInstanceOf(AsyncHttpOverloadException.class);
				assertThat(registry.get("async.http.client.overload.rejections").tag(CLIENT_NAME, "busy").counter()
					.count()).isEqualTo(1);
				// A rate-limit wait (two calls reserve their permits together, one per 2s
				// period, so the second waits whatever the machine's load), and a refusal.
				AsyncApiClient limited = client(context, "limited");
				Mono.zip(limited.get("/items/{id}", String.class, 1), limited.get("/items/{id}", String.class, 2))
					.block(BLOCK);
				Timer waits = registry.get("async.http.client.ratelimit.waits").tag(CLIENT_NAME, "limited").timer();
				assertThat(waits.count()).isEqualTo(1);
				AsyncApiClient strict = client(context, "strict");
				strict.get("/items/{id}", String.class, 1).block(BLOCK);
				assertThat(catchThrowable(() -> strict.get("/items/{id}", String.class, 2).block(BLOCK)))
					.isInstanceOf(AsyncHttpRateLimitException.class);
				assertThat(registry.get("async.http.client.ratelimit.rejections").tag(CLIENT_NAME, "strict").counter()
					.count()).isEqualTo(1);
				// A retry refused by an empty budget.
				assertThat(catchThrowable(() -> get(context, "frugal", "/status/{code}", 503)))
					.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
				assertThat(registry.get("async.http.client.retry.budget.exhausted").tag(CLIENT_NAME, "frugal").counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void inFlightAndQueuedGaugesAndZeroCountersExistForEveryClientFromStartup() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = registry(context);
			assertThat(registry.get("async.http.client.requests.inflight").tag(CLIENT_NAME, "billing").gauge().value())
				.isZero();
			assertThat(registry.get("async.http.client.requests.queued").tag(CLIENT_NAME, "billing").gauge().value())
				.isZero();
			for (String kind : List.of("acquire", "connect", "read", "write", "total")) {
				assertThat(registry.get("async.http.client.timeouts").tags(CLIENT_NAME, "billing", "kind", kind)
					.counter()
					.count()).isZero();
			}
			assertThat(registry.get("async.http.client.overload.rejections").tag(CLIENT_NAME, "billing").counter()
				.count()).isZero();
			assertThat(registry.get("async.http.client.retry.budget.exhausted").tag(CLIENT_NAME, "billing").counter())
				.isNotNull();
			assertThat(registry.get("async.http.client.ratelimit.rejections").tag(CLIENT_NAME, "billing").counter())
				.isNotNull();
			assertThat(registry.get("async.http.client.ratelimit.waits").tag(CLIENT_NAME, "billing").timer())
				.isNotNull();
		});
	}

	@Test
	void inFlightGaugeFollowsRequestsInFlight() {
		this.contextRunner.run((context) -> {
			AsyncApiClient billing = client(context, "billing");
			Gauge inFlight = registry(context).get("async.http.client.requests.inflight")
				.tag(CLIENT_NAME, "billing")
				.gauge();
			var pending = Flux.range(0, 3).flatMap((i) -> billing.get("/slow/{ms}", String.class, 500)).collectList()
				.toFuture();
			await().atMost(BLOCK).untilAsserted(() -> assertThat(inFlight.value()).isEqualTo(3));
			pending.get();
			await().atMost(BLOCK).untilAsserted(() -> assertThat(inFlight.value()).isZero());
		});
	}

	@Test
	void metricsCanBeSwitchedOffForOneClient() {
		this.contextRunner
			.withPropertyValues("async-http.clients.quiet.base-url=" + this.server.url(),
					"async-http.clients.quiet.metrics.enabled=false")
			.run((context) -> {
				get(context, "billing", "/items/{id}", 1);
				get(context, "quiet", "/items/{id}", 1);
				MeterRegistry registry = registry(context);
				assertThat(registry.find(POOL + "total.connections").tag("name", "billing").gauges()).hasSize(1);
				assertThat(registry.find(POOL + "total.connections").tag("name", "quiet").gauges()).isEmpty();
				assertThat(registry.find("http.client.requests").tag(CLIENT_NAME, "billing").meters()).isNotEmpty();
				assertThat(registry.find("http.client.requests").tag(CLIENT_NAME, "quiet").meters()).isEmpty();
				assertThat(registry.find("async.http.client.requests.inflight").tag(CLIENT_NAME, "quiet").meters())
					.isEmpty();
				assertThat(registry.find("async.http.client.timeouts").tag(CLIENT_NAME, "quiet").meters()).isEmpty();
				// Still tracked for the endpoint.
				assertThat(context.getBean(AsyncHttpConnectionPools.class).pools("quiet")).hasSize(1);
			});
	}

	@Test
	void metricsCanBeSwitchedOffForEveryClientThroughDefaults() {
		this.contextRunner.withPropertyValues("async-http.defaults.metrics.enabled=false").run((context) -> {
			get(context, "billing", "/items/{id}", 1);
			assertThat(registry(context).getMeters()).map(Meter::getId)
				.noneMatch((id) -> id.getName().startsWith("reactor.netty") || id.getName().startsWith("async.http")
						|| id.getName().startsWith("http.client"));
		});
	}

	@Test
	void anApplicationObservationConventionIsLeftInPlace() {
		this.contextRunner
			.withBean(ClientRequestObservationConvention.class,
					() -> new DefaultClientRequestObservationConvention("http.client.requests"))
			.run((context) -> {
				get(context, "billing", "/items/{id}", 1);
				assertThat(registry(context).get("http.client.requests").timer().getId().getTag("client.name"))
					.isEqualTo("127.0.0.1");
			});
	}

	@Test
	void withoutAMeterRegistryPoolsAreStillTrackedAndNoMeterBeansExist() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(AsyncHttpAutoConfiguration.class, AsyncHttpMetricsAutoConfiguration.class))
			.withPropertyValues("async-http.clients.billing.base-url=" + this.server.url())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ConnectionPoolMeters.class);
				assertThat(context).doesNotHaveBean(MicrometerAsyncApiClientObserver.class);
				get(context, "billing", "/items/{id}", 1);
				assertThat(context.getBean(AsyncHttpConnectionPools.class).pools("billing"))
					.singleElement()
					.satisfies((pool) -> assertThat(pool.remoteAddress()).isEqualTo(this.server.remoteAddress()));
			});
	}

	@Test
	void withoutMicrometerOnTheClassPathTheClientsStillWork() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(AsyncHttpAutoConfiguration.class, AsyncHttpMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("async-http.clients.billing.base-url=" + this.server.url())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ConnectionPoolMeters.class);
				assertThat(context).hasSingleBean(AsyncHttpConnectionPools.class);
				assertThat(get(context, "billing", "/items/{id}", 1)).contains("\"id\":\"1\"");
			});
	}

	@Test
	void backsOffWhenAsyncHttpIsDisabled() {
		this.contextRunner.withPropertyValues("async-http.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AsyncApiClients.class);
			assertThat(context).doesNotHaveBean(AsyncHttpConnectionPools.class);
			assertThat(context).doesNotHaveBean(ConnectionPoolMeters.class);
		});
	}

	private static Set<String> uriTags(MeterRegistry registry, String clientName) {
		return registry.find("http.client.requests")
			.tag(CLIENT_NAME, clientName)
			.timers()
			.stream()
			.map((timer) -> timer.getId().getTag("uri"))
			.collect(Collectors.toSet());
	}

	private static String get(AssertableApplicationContext context, String client, String template, Object variable) {
		return client(context, client).get(template, String.class, variable).block(BLOCK);
	}

	private static AsyncApiClient client(AssertableApplicationContext context, String name) {
		return context.getBean(AsyncApiClients.class).get(name);
	}

	private static MeterRegistry registry(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

}
