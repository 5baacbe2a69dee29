package dev.asynchttp.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientPreset;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.Dns;
import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.testsupport.ReactorTestServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that each built-in {@code preset} yields the values it documents, with the library
 * defaults for everything it leaves unset, and that the application's own presets
 * ({@code async-http.presets.<name>}) are applied where a client or the defaults name them.
 */
class AsyncApiClientPresetTests {

	private static final URI BASE_URL = URI.create("https://a.example.com");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class))
		.withPropertyValues("async-http.clients.a.base-url=" + BASE_URL);

	@Test
	void highConcurrencyPresetHasManyConnectionsLongDnsCacheFrequentEvictionAndAnUnboundedQueue() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=high-concurrency").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(1000, 100, -1, Duration.ofSeconds(10),
					Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofSeconds(10), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofMinutes(5), Duration.ZERO));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.HIGH_CONCURRENCY));
		});
	}

	@Test
	void persistentPresetKeepsFewConnectionsIdleForLessThanCommonLoadBalancerTimeouts() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=persistent").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(50, 50, -1, Duration.ofSeconds(10),
					Duration.ofSeconds(50), Duration.ofMinutes(30), Duration.ofSeconds(30), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(30), Duration.ZERO));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.PERSISTENT));
		});
	}

	@Test
	void rateLimitedApiPresetLimitsTheRateAndRetriesPatiently() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=rate-limited-api").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(10, 2, -1, Duration.ofSeconds(10), Duration.ofSeconds(30),
					Duration.ofMinutes(5), Duration.ofSeconds(30), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(30), Duration.ZERO));
			assertThat(settings.rateLimit()).isEqualTo(new RateLimit(1, Duration.ofSeconds(1), Duration.ofSeconds(5),
					false, null, SharedFallback.LOCAL, Duration.ofMillis(200)));
			assertThat(settings.retry().enabled()).isTrue();
			assertThat(settings.retry().statuses()).contains(429, 503);
			assertThat(settings.retry().maxRetryAfter()).isEqualTo(Duration.ofMinutes(1));
			assertThat(settings.retry().backoff().initial()).isEqualTo(Duration.ofSeconds(1));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.RATE_LIMITED_API));
		});
	}

	@Test
	void rateLimitedApiPresetHoldsBackCallsOverOnePerSecond() {
		try (ReactorTestServer server = ReactorTestServer.sampleApi()) {
			this.contextRunner
				.withPropertyValues("async-http.clients.a.preset=rate-limited-api",
						"async-http.clients.a.base-url=" + server.url(), "async-http.clients.a.rate-limit.max-wait=10s")
				.run((context) -> {
					AsyncApiClient client = context.getBean(AsyncApiClients.class).get("a");
					long start = System.nanoTime();
					List<String> bodies = Flux.range(1, 3)
						.flatMap((id) -> client.get("/items/{id}", String.class, id))
						.collectList()
						.block(Duration.ofSeconds(30));
					Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
					assertThat(bodies).hasSize(3);
					// One permit per second: the third call waits for the period after the next.
					assertThat(elapsed).isGreaterThan(Duration.ofMillis(900));
				});
		}
	}

	@Test
	void presetsLeaveTargetTimeoutsBodiesAndSecurityUnset() {
		for (AsyncApiClientPreset preset : AsyncApiClientPreset.values()) {
			AsyncApiClientSettings settings = preset.settings();
			assertThat(settings.baseUrl()).as(preset.name()).isNull();
			assertThat(settings.defaultHeaders()).as(preset.name()).isEmpty();
			assertThat(settings.timeouts()).as(preset.name()).isEqualTo(AsyncApiClientSettings.empty().timeouts());
			assertThat(settings.redirects()).as(preset.name()).isEqualTo(AsyncApiClientSettings.empty().redirects());
			assertThat(settings.compression()).as(preset.name()).isNull();
			assertThat(settings.maxInMemorySize()).as(preset.name()).isNull();
			assertThat(settings.sslBundle()).as(preset.name()).isNull();
			assertThat(settings.sensitiveHeaders()).as(preset.name()).isEmpty();
			assertThat(settings.proxy()).as(preset.name()).isEqualTo(AsyncApiClientSettings.empty().proxy());
			assertThat(settings.sslInsecureTrustAll()).as(preset.name()).isNull();
		}
	}

	@Test
	void presetOfTheDefaultsAppliesToEveryClient() {
		this.contextRunner
			.withPropertyValues("async-http.defaults.preset=rate-limited-api",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(clients.get("a").settings().pool().maxConnections()).isEqualTo(10);
				assertThat(clients.get("b").settings().pool().maxConnections()).isEqualTo(10);
				assertThat(clients.get("b").settings().pool().maxConnectionsPerHost()).isEqualTo(2);
				assertThat(clients.get("b").settings().rateLimit().permitsPerPeriod()).isEqualTo(1);
			});
	}

	@Test
	void applicationPresetIsAppliedToTheClientThatNamesIt() {
		this.contextRunner
			.withPropertyValues("async-http.presets.partner.pool.max-connections=7",
					"async-http.presets.partner.rate-limit.permits-per-period=3",
					"async-http.presets.partner.default-headers.X-Partner=acme", "async-http.clients.a.preset=partner",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				AsyncApiClientSettings a = clients.get("a").settings();
				assertThat(a.pool().maxConnections()).isEqualTo(7);
				assertThat(a.pool().maxConnectionsPerHost()).as("lowered to max-connections").isEqualTo(7);
				assertThat(a.rateLimit().permitsPerPeriod()).isEqualTo(3);
				assertThat(a.defaultHeaders()).containsEntry("X-Partner", List.of("acme"));
				AsyncApiClientSettings b = clients.get("b").settings();
				assertThat(b.pool().maxConnections()).as("a client without the preset").isEqualTo(200);
				assertThat(b.rateLimit().permitsPerPeriod()).isNull();
			});
	}

	@Test
	void applicationPresetSitsBetweenTheClientsValuesAndTheDefaults() {
		this.contextRunner
			.withPropertyValues("async-http.presets.partner.pool.max-connections=7",
					"async-http.presets.partner.timeouts.read=7s", "async-http.defaults.timeouts.read=70s",
					"async-http.defaults.timeouts.connect=1s", "async-http.defaults.preset=high-concurrency",
					"async-http.clients.a.preset=partner", "async-http.clients.a.pool.max-connections=3")
			.run((context) -> {
				AsyncApiClientSettings settings = settings(context);
				// client value
				assertThat(settings.pool().maxConnections()).isEqualTo(3);
				// client preset (the application's)
				assertThat(settings.timeouts().read()).isEqualTo(Duration.ofSeconds(7));
				// defaults value
				assertThat(settings.timeouts().connect()).isEqualTo(Duration.ofSeconds(1));
				// defaults preset (built-in)
				assertThat(settings.dns().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
				// library default
				assertThat(settings.timeouts().total()).isEqualTo(Duration.ofSeconds(60));
			});
	}

	@Test
	void defaultsMayNameAnApplicationPreset() {
		this.contextRunner
			.withPropertyValues("async-http.presets.internal.pool.max-connections=7",
					"async-http.defaults.preset=internal", "async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(clients.get("a").settings().pool().maxConnections()).isEqualTo(7);
				assertThat(clients.get("b").settings().pool().maxConnections()).isEqualTo(7);
			});
	}

	@Test
	void applicationPresetThatNoClientNamesChangesNothing() {
		this.contextRunner.withPropertyValues("async-http.presets.partner.pool.max-connections=7")
			.run((context) -> assertThat(settings(context)).isEqualTo(
					AsyncApiClientSettings.defaults().withBaseUrl(BASE_URL)));
	}

	@Test
	void presetNameIsBoundLeniently() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.preset=HIGH_CONCURRENCY",
					"async-http.clients.b.preset=Rate-Limited-Api")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(clients.get("a").settings().pool().maxConnections()).isEqualTo(1000);
				assertThat(clients.get("b").settings().pool().maxConnections()).isEqualTo(10);
			});
	}

	private static AsyncApiClientSettings expected(AsyncApiClientPreset preset) {
		return preset.settings().orElse(AsyncApiClientSettings.defaults()).withBaseUrl(BASE_URL);
	}

	private static AsyncApiClientSettings settings(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AsyncApiClients.class).get("a").settings();
	}

}
