package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClients;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests the order in which layers of settings win: library defaults &lt; defaults preset
 * &lt; defaults value &lt; client preset &lt; client value. Every layer uses its own
 * magnitude, so the value that comes out names the layer that won:
 * <ul>
 * <li>{@code pool.max-connections}: library 200, high-concurrency 1000, persistent 50,
 * rate-limited-api 10, defaults value 700, client value 70;</li>
 * <li>{@code pool.max-pending}: library -1 (no limit), defaults value 7, client value 70;</li>
 * <li>{@code rate-limit.permits-per-period}: library none, rate-limited-api 1, defaults value 7.</li>
 * </ul>
 */
class AsyncApiClientSettingsPrecedenceTests {

	private static final String DEFAULTS = "async-http.defaults.";

	private static final String CLIENT = "async-http.clients.a.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class))
		.withPropertyValues(CLIENT + "base-url=https://a.example.com");

	@Test
	void libraryDefaultAppliesWhenNoLayerSetsTheValue() {
		this.contextRunner.run((context) -> {
			Pool pool = settings(context, "a").pool();
			assertThat(pool.maxConnections()).isEqualTo(200);
			assertThat(pool.maxPending()).isEqualTo(-1);
		});
	}

	@Test
	void inheritedPerHostCapIsLoweredToAClientsSmallerTotalCap() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.max-connections=10").run((context) -> {
			Pool pool = settings(context, "a").pool();
			assertThat(pool.maxConnections()).isEqualTo(10);
			assertThat(pool.maxConnectionsPerHost()).isEqualTo(10);
		});
	}

	@Test
	void perHostCapOfADefaultsPresetIsLoweredToAClientsSmallerTotalCap() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "preset=high-concurrency", CLIENT + "pool.max-connections=70")
			.run((context) -> assertThat(settings(context, "a").pool().maxConnectionsPerHost()).isEqualTo(70));
	}

	@Test
	void defaultsPresetWinsOverLibraryDefaults() {
		this.contextRunner.withPropertyValues(DEFAULTS + "preset=high-concurrency").run((context) -> {
			Pool pool = settings(context, "a").pool();
			assertThat(pool.maxConnections()).isEqualTo(1000);
			assertThat(pool.maxPending()).as("high-concurrency leaves the queue unbounded").isEqualTo(-1);
		});
	}

	@Test
	void defaultsValueWinsOverDefaultsPresetAndLibraryDefaults() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "preset=high-concurrency", DEFAULTS + "pool.max-connections=700",
					DEFAULTS + "pool.max-pending=7")
			.run((context) -> {
				Pool pool = settings(context, "a").pool();
				assertThat(pool.maxConnections()).isEqualTo(700);
				assertThat(pool.maxPending()).isEqualTo(7);
			});
	}

	@Test
	void clientPresetWinsOverDefaultsValueDefaultsPresetAndLibraryDefaults() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "preset=high-concurrency", DEFAULTS + "pool.max-connections=700",
					CLIENT + "preset=persistent")
			.run((context) -> assertThat(settings(context, "a").pool().maxConnections()).isEqualTo(50));
	}

	@Test
	void clientPresetWinsOverDefaultsValueForTheRateLimit() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "rate-limit.permits-per-period=7", CLIENT + "preset=rate-limited-api")
			.run((context) -> assertThat(settings(context, "a").rateLimit().permitsPerPeriod()).isEqualTo(1));
	}

	@Test
	void clientValueWinsOverPresetDefaultsAndLibraryDefaults() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "preset=high-concurrency", DEFAULTS + "pool.max-connections=700",
					DEFAULTS + "pool.max-pending=7", CLIENT + "preset=persistent", CLIENT + "pool.max-connections=70",
					CLIENT + "pool.max-pending=70")
			.run((context) -> {
				Pool pool = settings(context, "a").pool();
				assertThat(pool.maxConnections()).isEqualTo(70);
				assertThat(pool.maxPending()).isEqualTo(70);
			});
	}

	@Test
	void eachValueComesFromTheHighestLayerThatSetsIt() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "preset=high-concurrency", DEFAULTS + "pool.max-connections=700",
					DEFAULTS + "pool.max-pending=7", DEFAULTS + "timeouts.read=7s", DEFAULTS + "timeouts.total=7s",
					CLIENT + "preset=rate-limited-api", CLIENT + "pool.max-connections=70",
					CLIENT + "timeouts.total=70s")
			.run((context) -> {
				AsyncApiClientSettings settings = settings(context, "a");
				// client value
				assertThat(settings.pool().maxConnections()).isEqualTo(70);
				assertThat(settings.timeouts().total()).isEqualTo(Duration.ofSeconds(70));
				// client preset (rate-limited-api): 2 per host, 30s idle
				assertThat(settings.pool().maxConnectionsPerHost()).isEqualTo(2);
				assertThat(settings.pool().maxIdleTime()).isEqualTo(Duration.ofSeconds(30));
				// defaults value: the client preset leaves it unset, so it is inherited
				assertThat(settings.pool().maxPending()).isEqualTo(7);
				assertThat(settings.timeouts().read()).isEqualTo(Duration.ofSeconds(7));
				// defaults preset (high-concurrency)
				assertThat(settings.pool().evictionInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.dns().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
				// library defaults
				assertThat(settings.pool().acquireTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.pool().maxLifeTime()).isEqualTo(Duration.ofMinutes(5));
				assertThat(settings.timeouts().connect()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.compression()).isTrue();
			});
	}

	@Test
	void layersOfOneClientDoNotLeakIntoAnother() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "pool.max-pending=7", CLIENT + "preset=high-concurrency",
					CLIENT + "pool.max-connections=700", "async-http.clients.b.pool.max-pending=70")
			.run((context) -> {
				assertThat(settings(context, "a").pool().maxPending()).isEqualTo(7);
				assertThat(settings(context, "a").pool().maxConnections()).isEqualTo(700);
				assertThat(settings(context, "a").dns().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
				assertThat(settings(context, "b").pool().maxPending()).isEqualTo(70);
				assertThat(settings(context, "b").pool().maxConnections()).isEqualTo(200);
				assertThat(settings(context, "b").dns().cacheTtl()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void defaultHeadersAreMergedByNameWithTheClientWinningPerHeader() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "default-headers.X-Team=core", DEFAULTS + "default-headers.X-Env=prod",
					CLIENT + "default-headers.X-Env=test", CLIENT + "default-headers.X-Extra=1",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(settings(context, "a").defaultHeaders()).containsOnly(entry("X-Team", List.of("core")),
						entry("X-Env", List.of("test")), entry("X-Extra", List.of("1")));
				assertThat(settings(context, "b").defaultHeaders()).containsOnly(entry("X-Team", List.of("core")),
						entry("X-Env", List.of("prod")));
			});
	}

	@Test
	void mergedDefaultHeadersAreSentOnceWithTheWinningValue() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "default-headers.X-Team=core", DEFAULTS + "default-headers.X-Env=prod",
					CLIENT + "default-headers.X-Env=test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ClientRequest request = exchange(context.getBean(AsyncApiClients.class).get("a"));
				assertThat(request.headers().get("X-Team")).containsExactly("core");
				assertThat(request.headers().get("X-Env")).containsExactly("test");
			});
	}

	@Test
	void defaultHeaderOfTheClientWinsEvenWhenItsNameDiffersOnlyInCase() {
		this.contextRunner
			.withPropertyValues(DEFAULTS + "default-headers[X-Env]=prod", CLIENT + "default-headers[x-env]=test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ClientRequest request = exchange(context.getBean(AsyncApiClients.class).get("a"));
				assertThat(request.headers().get("X-Env")).containsExactly("test");
				assertThat(settings(context, "a").defaultHeaders()).containsOnly(entry("x-env", List.of("test")));
			});
	}

	@Test
	void defaultHeadersMergeIgnoringCaseWithTheUpperLayersSpelling() {
		AsyncApiClientSettings lower = AsyncApiClientSettings.empty()
			.withDefaultHeaders(Map.of("User-Agent", List.of("lib/1"), "X-Team", List.of("core")));
		AsyncApiClientSettings upper = AsyncApiClientSettings.empty()
			.withDefaultHeaders(Map.of("user-agent", List.of("app/2")));
		assertThat(upper.orElse(lower).defaultHeaders()).containsOnly(entry("X-Team", List.of("core")),
				entry("user-agent", List.of("app/2")));
	}

	private static AsyncApiClientSettings settings(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		return context.getBean(AsyncApiClients.class).get(name).settings();
	}

	private static ClientRequest exchange(AsyncApiClient client) {
		AtomicReference<ClientRequest> captured = new AtomicReference<>();
		client.webClient().mutate().exchangeFunction((request) -> {
			captured.set(request);
			return Mono.just(ClientResponse.create(HttpStatus.NO_CONTENT).build());
		}).build().get().uri("/things").retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
		assertThat(captured.get()).isNotNull();
		return captured.get();
	}

}
