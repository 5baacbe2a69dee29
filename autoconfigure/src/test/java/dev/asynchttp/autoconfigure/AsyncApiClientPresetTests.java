package dev.asynchttp.autoconfigure;

import java.net.URI;
import java.time.Duration;

import dev.asynchttp.client.AsyncApiClientPreset;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.Dns;
import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClients;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that each {@code preset} yields the pool and DNS values it documents, with the
 * library defaults for everything it leaves unset.
 */
class AsyncApiClientPresetTests {

	private static final URI BASE_URL = URI.create("https://a.example.com");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class))
		.withPropertyValues("async-http.clients.a.base-url=" + BASE_URL);

	@Test
	void highConcurrencyPresetHasManyConnectionsLongDnsCacheAndFrequentEviction() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=high-concurrency").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(1000, 100, 5000, Duration.ofSeconds(10),
					Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofSeconds(10), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofMinutes(5), Duration.ZERO));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.HIGH_CONCURRENCY));
		});
	}

	@Test
	void persistentPresetKeepsFewConnectionsAliveLong() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=persistent").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(50, 50, -1, Duration.ofSeconds(10),
					Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofSeconds(30), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(30), Duration.ZERO));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.PERSISTENT));
		});
	}

	@Test
	void rateLimitedApiPresetHasTenConnectionsTwoPerHost() {
		this.contextRunner.withPropertyValues("async-http.clients.a.preset=rate-limited-api").run((context) -> {
			AsyncApiClientSettings settings = settings(context);
			assertThat(settings.pool()).isEqualTo(new Pool(10, 2, -1, Duration.ofSeconds(10), Duration.ofSeconds(30),
					Duration.ofMinutes(5), Duration.ofSeconds(30), true, Leasing.LIFO,
					Duration.ofMinutes(1)));
			assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(30), Duration.ZERO));
			assertThat(settings).isEqualTo(expected(AsyncApiClientPreset.RATE_LIMITED_API));
		});
	}

	@Test
	void presetsOnlyChangePoolAndDnsSettings() {
		for (AsyncApiClientPreset preset : AsyncApiClientPreset.values()) {
			AsyncApiClientSettings settings = preset.settings();
			assertThat(settings.baseUrl()).as(preset.name()).isNull();
			assertThat(settings.defaultHeaders()).as(preset.name()).isEmpty();
			assertThat(settings.timeouts()).as(preset.name()).isEqualTo(AsyncApiClientSettings.empty().timeouts());
			assertThat(settings.redirects()).as(preset.name()).isEqualTo(AsyncApiClientSettings.empty().redirects());
			assertThat(settings.compression()).as(preset.name()).isNull();
			assertThat(settings.maxInMemorySize()).as(preset.name()).isNull();
			assertThat(settings.sslBundle()).as(preset.name()).isNull();
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
			});
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
