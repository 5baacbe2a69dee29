package dev.asynchttp.autoconfigure.service;

import java.time.Duration;
import java.util.Map;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.InvalidAsyncHttpPropertyException;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpMetricsAutoConfiguration;
import dev.asynchttp.client.AsyncHttpInvalidRequestException;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link AsyncHttpServiceGroupAutoConfiguration}: HTTP service groups of both
 * client types, with Spring Boot's own group auto-configurations present.
 */
class AsyncHttpServiceGroupAutoConfigurationTests {

	private static final Duration BLOCK = Duration.ofSeconds(20);

	private ReactorTestServer server;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() {
		this.server = ReactorTestServer.sampleApi();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ReactiveHttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, RestClientAutoConfiguration.class,
					HttpServiceClientPropertiesAutoConfiguration.class,
					ReactiveHttpServiceClientAutoConfiguration.class, HttpServiceClientAutoConfiguration.class,
					ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					WebClientObservationAutoConfiguration.class, AsyncHttpAutoConfiguration.class,
					AsyncHttpMetricsAutoConfiguration.class, AsyncHttpServiceGroupAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("management.metrics.use-global-registry=false",
					"async-http.clients.github.base-url=" + this.server.url());
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void webClientGroupNamedAfterAClientIsBackedByIt() {
		this.contextRunner.withUserConfiguration(WebClientGroup.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ReactiveItems items = context.getBean(ReactiveItems.class);
			assertThat(items.get(42).block(BLOCK)).containsEntry("id", "42");
			assertClientTimer(context.getBean(MeterRegistry.class), "github");
			assertThat(items.find(43, "a b").block(BLOCK)).containsEntry("id", "43");
			// Request parameters are no part of the uri tag: the interface's template is, so
			// both calls share one timer.
			assertThat(context.getBean(MeterRegistry.class)
				.find("http.client.requests")
				.tag("client.name", "github")
				.timers()).singleElement().satisfies((timer) -> {
					assertThat(timer.getId().getTag("uri")).isEqualTo("/items/{id}");
					assertThat(timer.count()).isEqualTo(2);
				});
		});
	}

	@Test
	void requestAttributesThatAGroupLetsThroughFailTypedUnsent() {
		this.contextRunner.withUserConfiguration(WebClientGroup.class).run((context) -> {
			ReactiveItems items = context.getBean(ReactiveItems.class);
			assertThat(catchThrowable(() -> items.withAttribute(1, "t").block(BLOCK)))
				.isInstanceOf(AsyncHttpInvalidRequestException.class)
				.hasMessageContaining("@RequestAttribute");
			assertThat(context.getBean(MeterRegistry.class).find("http.client.requests").timers()).isEmpty();
		});
	}

	@Test
	void restClientGroupNamedAfterAClientIsBackedByItToo() {
		// UNSPECIFIED is REST_CLIENT, the default of a Spring MVC application.
		this.contextRunner.withUserConfiguration(RestClientGroup.class).run((context) -> {
			assertThat(context).hasNotFailed();
			BlockingItems items = context.getBean(BlockingItems.class);
			assertThat(items.get(7)).containsEntry("id", "7");
			assertClientTimer(context.getBean(MeterRegistry.class), "github");
		});
	}

	@Test
	void groupWithoutAnAsyncHttpClientStaysAsBootMakesIt() {
		this.contextRunner.withUserConfiguration(OtherGroup.class)
			.withPropertyValues("spring.http.serviceclient.other.base-url=" + this.server.url())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReactiveItems items = context.getBean(ReactiveItems.class);
				assertThat(items.get(5).block(BLOCK)).containsEntry("id", "5");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				// Boot's own WebClient observed it: client.name is the host, and no async-http
				// client took part.
				assertThat(registry.find("http.client.requests").tag("client.name", "127.0.0.1").timers()).hasSize(1);
				assertThat(registry.find("http.client.requests").tag("client.name", "github").timers()).isEmpty();
				assertThat(registry.find("http.client.requests").tag("client.name", "other").timers()).isEmpty();
			});
	}

	@Test
	void serviceClientPropertyThatTheClientOverridesFailsStartupNamingBoth() {
		this.contextRunner.withUserConfiguration(WebClientGroup.class)
			.withPropertyValues("spring.http.serviceclient.github.read-timeout=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidAsyncHttpPropertyException.class)
					.hasMessageContaining("spring.http.serviceclient.github.read-timeout")
					.hasMessageContaining("async-http.clients.github.timeouts.read");
			});
	}

	@Test
	void serviceClientBaseUrlOfARestClientGroupFailsStartupNamingBoth() {
		this.contextRunner.withUserConfiguration(RestClientGroup.class)
			.withPropertyValues("spring.http.serviceclient.github.base-url=http://127.0.0.1:1",
					"spring.http.serviceclient.github.apiversion.insert.header=X-Version")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidAsyncHttpPropertyException.class)
					.hasMessageContaining("spring.http.serviceclient.github.")
					.hasMessageContaining("async-http.clients.github.");
			});
	}

	@Test
	void nothingIsDefinedWithoutHttpServiceGroups() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HttpServiceProxyRegistry.class);
			assertThat(context).doesNotHaveBean(AsyncApiClientServiceGroups.class);
		});
	}

	private static void assertClientTimer(MeterRegistry registry, String client) {
		Timer timer = registry.get("http.client.requests").tag("client.name", client).timer();
		assertThat(timer.getId().getTag("uri")).isEqualTo("/items/{id}");
		assertThat(timer.count()).isGreaterThanOrEqualTo(1);
		assertThat(registry.find("http.client.requests").tag("client.name", "127.0.0.1").timers()).isEmpty();
	}

	interface ReactiveItems {

		@GetExchange("/items/{id}")
		Mono<Map<String, String>> get(@PathVariable int id);

		@GetExchange("/items/{id}")
		Mono<Map<String, String>> find(@PathVariable int id, @RequestParam String q);

		@GetExchange("/items/{id}")
		Mono<Map<String, String>> withAttribute(@PathVariable int id, @RequestAttribute String trace);

	}

	interface BlockingItems {

		@GetExchange("/items/{id}")
		Map<String, String> get(@PathVariable int id);

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "github", types = ReactiveItems.class, clientType = ClientType.WEB_CLIENT)
	static class WebClientGroup {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "github", types = BlockingItems.class)
	static class RestClientGroup {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "other", types = ReactiveItems.class, clientType = ClientType.WEB_CLIENT)
	static class OtherGroup {

	}

}
