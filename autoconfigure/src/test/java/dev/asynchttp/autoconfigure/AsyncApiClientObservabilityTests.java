package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AsyncApiClientObservability}: the {@code metrics.*} and
 * {@code health.*} properties resolve client &gt; defaults &gt; built-in default (values by
 * magnitude tell which layer won), presets do not touch them, and bad values fail at
 * startup naming the property, even when neither Micrometer nor Actuator uses them.
 */
class AsyncApiClientObservabilityTests {

	@Test
	void builtInDefaultsApplyWhenNothingIsSet() {
		AsyncApiClientObservability a = resolve(Map.of("async-http.clients.a.base-url", "http://a")).get("a");
		assertThat(a).isEqualTo(AsyncApiClientObservability.defaults());
		assertThat(a.metrics().enabled()).isTrue();
		assertThat(a.metrics().perHost()).isTrue();
		assertThat(a.metrics().maxUriTags()).isEqualTo(100);
		assertThat(a.metrics().maxHostTags()).isEqualTo(100);
		assertThat(a.health().path()).isNull();
		assertThat(a.health().timeout()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void clientValuesWinOverDefaultsWhichWinOverBuiltInDefaults() {
		Map<String, AsyncApiClientObservability> clients = resolve(Map.of("async-http.defaults.base-url", "http://d",
				"async-http.defaults.metrics.max-uri-tags", "10", "async-http.defaults.metrics.per-host", "false",
				"async-http.defaults.health.path", "/ping", "async-http.defaults.health.timeout", "10s",
				"async-http.clients.a.metrics.max-uri-tags", "1000", "async-http.clients.a.health.path", "/status",
				"async-http.clients.b.preset", "high-concurrency", "async-http.defaults.metrics.max-host-tags", "20",
				"async-http.clients.a.metrics.max-host-tags", "300"));
		AsyncApiClientObservability a = clients.get("a");
		assertThat(a.metrics().maxUriTags()).isEqualTo(1000);
		assertThat(a.metrics().maxHostTags()).isEqualTo(300);
		assertThat(a.metrics().perHost()).isFalse();
		assertThat(a.metrics().enabled()).isTrue();
		assertThat(a.health().path()).isEqualTo("/status");
		assertThat(a.health().timeout()).isEqualTo(Duration.ofSeconds(10));
		AsyncApiClientObservability b = clients.get("b");
		assertThat(b.metrics().maxUriTags()).isEqualTo(10);
		assertThat(b.metrics().maxHostTags()).isEqualTo(20);
		assertThat(b.health().path()).isEqualTo("/ping");
	}

	@Test
	void aClientWithoutPropertiesOfItsOwnGetsTheDefaults() {
		AsyncHttpProperties properties = bind(Map.of("async-http.defaults.metrics.enabled", "false"));
		assertThat(AsyncApiClientObservability.ofDefaults(properties).metrics().enabled()).isFalse();
	}

	@Test
	void healthPathWithoutBaseUrlFailsAtStartupNamingTheProperty() {
		InvalidAsyncHttpPropertyException ex = startupFailure("async-http.clients.a.health.path=/health",
				"async-http.clients.a.compression=true");
		assertThat(ex.getProperty()).isEqualTo("async-http.clients.a.health.path");
		assertThat(ex.getReason()).contains("no base-url");
		assertThat(ex.getAction()).contains("Set async-http.clients.a.base-url");
	}

	@Test
	void inheritedHealthPathWithoutBaseUrlNamesTheDefaultsProperty() {
		assertThat(startupFailure("async-http.defaults.health.path=/health",
				"async-http.clients.a.compression=true").getProperty())
			.isEqualTo("async-http.defaults.health.path");
	}

	@Test
	void healthPathMustBeAPath() {
		assertThat(startupFailure("async-http.clients.a.base-url=http://a",
				"async-http.clients.a.health.path=health").getProperty())
			.isEqualTo("async-http.clients.a.health.path");
		assertThat(startupFailure("async-http.clients.a.base-url=http://a",
				"async-http.clients.a.health.path=//evil.com/x").getProperty())
			.isEqualTo("async-http.clients.a.health.path");
		assertThat(startupFailure("async-http.clients.a.base-url=http://a",
				"async-http.clients.a.health.path=/items/{id}").getProperty())
			.isEqualTo("async-http.clients.a.health.path");
	}

	@Test
	void maxUriTagsAndHealthTimeoutMustBePositive() {
		assertThat(startupFailure("async-http.defaults.metrics.max-uri-tags=0").getProperty())
			.isEqualTo("async-http.defaults.metrics.max-uri-tags");
		assertThat(startupFailure("async-http.clients.a.health.timeout=0s").getProperty())
			.isEqualTo("async-http.clients.a.health.timeout");
	}

	private static InvalidAsyncHttpPropertyException startupFailure(String... properties) {
		InvalidAsyncHttpPropertyException[] failure = new InvalidAsyncHttpPropertyException[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class))
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasFailed();
				failure[0] = (InvalidAsyncHttpPropertyException) NestedExceptionUtils
					.getMostSpecificCause(context.getStartupFailure());
			});
		assertThat(failure[0]).isNotNull();
		return failure[0];
	}

	private static Map<String, AsyncApiClientObservability> resolve(Map<String, String> properties) {
		return AsyncApiClientObservability.of(bind(properties));
	}

	private static AsyncHttpProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bind("async-http", AsyncHttpProperties.class)
			.get();
	}

	@Test
	void invalidValuesAreRefusedWhenResolvedDirectlyToo() {
		assertThatExceptionOfType(InvalidAsyncHttpPropertyException.class)
			.isThrownBy(() -> resolve(Map.of("async-http.clients.a.metrics.max-uri-tags", "-1")))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("async-http.clients.a.metrics.max-uri-tags"));
	}

}
