package dev.asynchttp.autoconfigure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.Dns;
import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClientSettings.Redirects;
import dev.asynchttp.client.AsyncApiClientSettings.Timeouts;
import dev.asynchttp.client.AsyncApiClients;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests that every {@code async-http.clients.<name>.*} and {@code async-http.defaults.*}
 * property lands in the effective {@link AsyncApiClientSettings} of a client, with
 * durations and data sizes parsed the Spring Boot way.
 */
class AsyncApiClientPropertiesBindingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class));

	@Test
	void everyClientPropertyLandsInTheClientSettings() {
		this.contextRunner.withPropertyValues("async-http.clients.a.base-url=https://api.example.com/v1/",
				"async-http.clients.a.default-headers.X-Api-Key=k1",
				"async-http.clients.a.default-headers.Accept=application/json,text/plain",
				"async-http.clients.a.pool.max-connections=40", "async-http.clients.a.pool.max-connections-per-host=20",
				"async-http.clients.a.pool.max-pending=33", "async-http.clients.a.pool.acquire-timeout=500ms",
				"async-http.clients.a.pool.max-idle-time=7s", "async-http.clients.a.pool.max-life-time=3m",
				"async-http.clients.a.pool.eviction-interval=0s", "async-http.clients.a.pool.keep-alive=false",
				"async-http.clients.a.pool.leasing=fifo", "async-http.clients.a.pool.dispose-inactive-after=0s",
				"async-http.clients.a.dns.cache-ttl=45s",
				"async-http.clients.a.dns.negative-ttl=2s", "async-http.clients.a.timeouts.connect=1500ms",
				"async-http.clients.a.timeouts.read=11s", "async-http.clients.a.timeouts.write=12s",
				"async-http.clients.a.timeouts.total=2m", "async-http.clients.a.compression=false",
				"async-http.clients.a.redirects.follow=true", "async-http.clients.a.redirects.max=3",
				"async-http.clients.a.max-in-memory-size=5MB")
			.run((context) -> {
				AsyncApiClientSettings settings = settings(context, "a");
				// The trailing slash is dropped so that templates starting with '/' join cleanly.
				assertThat(settings.baseUrl()).hasToString("https://api.example.com/v1");
				// A comma-separated value is one value, sent as written.
				assertThat(settings.defaultHeaders()).containsOnly(entry("X-Api-Key", List.of("k1")),
						entry("Accept", List.of("application/json,text/plain")));
				assertThat(settings.pool()).isEqualTo(new Pool(40, 20, 33, Duration.ofMillis(500),
						Duration.ofSeconds(7), Duration.ofMinutes(3), Duration.ZERO, false, Leasing.FIFO,
						Duration.ZERO));
				assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(45), Duration.ofSeconds(2)));
				assertThat(settings.timeouts()).isEqualTo(new Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(11),
						Duration.ofSeconds(12), Duration.ofMinutes(2)));
				assertThat(settings.compression()).isFalse();
				assertThat(settings.redirects()).isEqualTo(new Redirects(true, 3, false));
				assertThat(settings.maxInMemorySize()).isEqualTo(DataSize.ofMegabytes(5));
				assertThat(settings.sslBundle()).isNull();
			});
	}

	@Test
	void everyDefaultsPropertyIsInheritedByAClientThatSetsNothing() {
		this.contextRunner.withPropertyValues("async-http.defaults.base-url=https://shared.example.com",
				"async-http.defaults.default-headers.X-Team=core", "async-http.defaults.pool.max-connections=41",
				"async-http.defaults.pool.max-connections-per-host=21", "async-http.defaults.pool.max-pending=0",
				"async-http.defaults.pool.acquire-timeout=250ms", "async-http.defaults.pool.max-idle-time=8s",
				"async-http.defaults.pool.max-life-time=4m", "async-http.defaults.pool.eviction-interval=9s",
				"async-http.defaults.pool.keep-alive=false", "async-http.defaults.pool.leasing=fifo",
				"async-http.defaults.pool.dispose-inactive-after=2m",
				"async-http.defaults.dns.cache-ttl=46s", "async-http.defaults.dns.negative-ttl=3s",
				"async-http.defaults.timeouts.connect=1s", "async-http.defaults.timeouts.read=13s",
				"async-http.defaults.timeouts.write=14s", "async-http.defaults.timeouts.total=3m",
				"async-http.defaults.compression=false", "async-http.defaults.redirects.follow=true",
				"async-http.defaults.redirects.max=4", "async-http.defaults.max-in-memory-size=6MB",
				"async-http.clients.a.compression=false")
			.run((context) -> {
				AsyncApiClientSettings settings = settings(context, "a");
				assertThat(settings.baseUrl()).hasToString("https://shared.example.com");
				assertThat(settings.defaultHeaders()).containsOnly(entry("X-Team", List.of("core")));
				assertThat(settings.pool()).isEqualTo(new Pool(41, 21, 0, Duration.ofMillis(250),
						Duration.ofSeconds(8), Duration.ofMinutes(4), Duration.ofSeconds(9), false, Leasing.FIFO,
						Duration.ofMinutes(2)));
				assertThat(settings.dns()).isEqualTo(new Dns(Duration.ofSeconds(46), Duration.ofSeconds(3)));
				assertThat(settings.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(13),
						Duration.ofSeconds(14), Duration.ofMinutes(3)));
				assertThat(settings.compression()).isFalse();
				assertThat(settings.redirects()).isEqualTo(new Redirects(true, 4, false));
				assertThat(settings.maxInMemorySize()).isEqualTo(DataSize.ofMegabytes(6));
			});
	}

	@Test
	void clientThatSetsNothingGetsTheLibraryDefaults() {
		this.contextRunner.withPropertyValues("async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> assertThat(settings(context, "a"))
				.isEqualTo(AsyncApiClientSettings.defaults().withBaseUrl(URI.create("https://a.example.com"))));
	}

	@Test
	void durationsAndDataSizesAcceptUnitsAndDefaultToMillisecondsAndBytes() {
		this.contextRunner.withPropertyValues("async-http.clients.a.pool.acquire-timeout=500ms",
				"async-http.clients.a.timeouts.total=1500", "async-http.clients.a.timeouts.read=PT2S",
				"async-http.clients.a.dns.cache-ttl=1h", "async-http.clients.a.max-in-memory-size=2MB",
				"async-http.clients.b.max-in-memory-size=2048", "async-http.clients.c.max-in-memory-size=512KB")
			.run((context) -> {
				AsyncApiClientSettings a = settings(context, "a");
				assertThat(a.pool().acquireTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(a.timeouts().total()).isEqualTo(Duration.ofMillis(1500));
				assertThat(a.timeouts().read()).isEqualTo(Duration.ofSeconds(2));
				assertThat(a.dns().cacheTtl()).isEqualTo(Duration.ofHours(1));
				assertThat(a.maxInMemorySize()).isEqualTo(DataSize.ofBytes(2 * 1024 * 1024));
				assertThat(settings(context, "b").maxInMemorySize()).isEqualTo(DataSize.ofBytes(2048));
				assertThat(settings(context, "c").maxInMemorySize()).isEqualTo(DataSize.ofKilobytes(512));
			});
	}

	@Test
	void maxResponseSizeIsBoundPerClientAndInheritedFromTheDefaultsOverTheLibraryDefault() {
		this.contextRunner
			.withPropertyValues("async-http.defaults.max-response-size=10GB", "async-http.clients.a.max-response-size=5MB",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(settings(context, "a").maxResponseSize()).isEqualTo(DataSize.ofMegabytes(5));
				assertThat(settings(context, "b").maxResponseSize()).isEqualTo(DataSize.ofGigabytes(10));
			});
		this.contextRunner.withPropertyValues("async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> assertThat(settings(context, "a").maxResponseSize())
				.isEqualTo(DataSize.ofGigabytes(1)));
	}

	@Test
	void leasingIsBoundLeniently() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.pool.leasing=FIFO", "async-http.clients.b.pool.leasing=lifo")
			.run((context) -> {
				assertThat(settings(context, "a").pool().leasing()).isEqualTo(Leasing.FIFO);
				assertThat(settings(context, "b").pool().leasing()).isEqualTo(Leasing.LIFO);
			});
	}

	@Test
	void headerNamesKeepTheirCaseAndListValuesTheirOrder() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.default-headers.X-Request-Source=orders",
					"async-http.clients.a.default-headers[Accept-Language]=de,en",
					"async-http.clients.a.default-headers.Via[0]=one",
					"async-http.clients.a.default-headers.Via[1]=two")
			.run((context) -> assertThat(settings(context, "a").defaultHeaders()).containsOnly(
					entry("X-Request-Source", List.of("orders")), entry("Accept-Language", List.of("de,en")),
					entry("Via", List.of("one", "two"))));
	}

	@Test
	void mixedCaseClientNameIsAccepted() {
		this.contextRunner.withPropertyValues("async-http.clients[BillingApi].base-url=https://b.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AsyncApiClients.class).names()).containsExactly("BillingApi");
				assertThat(context).hasBean("BillingApi");
			});
	}

	@Test
	void sslBundleOfAClientIsBoundWhenTheBundleExists() throws Exception {
		Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
		assertThat(Files.isReadable(cacerts)).isTrue();
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.jdk.truststore.location=" + cacerts.toUri(),
					"spring.ssl.bundle.jks.jdk.truststore.password=changeit",
					"async-http.clients.a.base-url=https://a.example.com", "async-http.clients.a.ssl.bundle=jdk",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(settings(context, "a").sslBundle()).isEqualTo("jdk");
				assertThat(settings(context, "b").sslBundle()).isNull();
			});
	}

	@Test
	void sslBundleOfTheDefaultsIsInherited() throws Exception {
		Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.jdk.truststore.location=" + cacerts.toUri(),
					"spring.ssl.bundle.jks.jdk.truststore.password=changeit", "async-http.defaults.ssl.bundle=jdk",
					"async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> assertThat(settings(context, "a").sslBundle()).isEqualTo("jdk"));
	}

	private static AsyncApiClientSettings settings(AssertableApplicationContext context, String name) {
		assertThat(context).hasNotFailed();
		return context.getBean(AsyncApiClients.class).get(name).settings();
	}

}
