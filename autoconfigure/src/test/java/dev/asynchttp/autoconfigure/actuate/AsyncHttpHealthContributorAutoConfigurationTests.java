package dev.asynchttp.autoconfigure.actuate;

import java.time.Duration;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.testsupport.ReactorTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncHttpHealthContributorAutoConfiguration} and
 * {@link AsyncApiClientHealthIndicator} against a local Reactor Netty server.
 */
class AsyncHttpHealthContributorAutoConfigurationTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private ReactorTestServer server;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.sampleApi();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpHealthContributorAutoConfiguration.class))
			.withPropertyValues("async-http.defaults.base-url=" + this.server.url(),
					"async-http.clients.billing.health.path=/items/health",
					"async-http.clients.broken.health.path=/status/503",
					"async-http.clients.slow.health.path=/slow/5000",
					"async-http.clients.slow.health.timeout=300ms", "async-http.clients.unchecked.compression=true");
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void oneMemberPerClientWithAHealthPath() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("asynchttpHealthContributor");
			assertThat(contributor(context).stream().map((member) -> member.name())).containsExactly("billing",
					"broken", "slow");
		});
	}

	@Test
	void aClientThatAnswersIsUp() {
		this.contextRunner.run((context) -> {
			Health health = health(context, "billing");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("path", "/items/health").containsEntry("status", 200)
				.containsKey("durationMs");
		});
	}

	@Test
	void aClientThatAnswersWithAnErrorStatusIsDown() {
		this.contextRunner.run((context) -> {
			Health health = health(context, "broken");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("status", 503)
				.containsEntry("error", "ServiceUnavailable");
		});
	}

	@Test
	void aClientThatDoesNotAnswerInTimeIsDownWithinTheTimeout() {
		this.contextRunner.run((context) -> {
			long start = System.nanoTime();
			Health health = health(context, "slow");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error", "AsyncHttpTimeoutException");
			assertThat((String) health.getDetails().get("message")).contains("total timeout of 300ms");
		});
	}

	@Test
	void defaultsHealthPathAppliesToEveryClient() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpHealthContributorAutoConfiguration.class))
			.withPropertyValues("async-http.defaults.base-url=" + this.server.url(),
					"async-http.defaults.health.path=/items/health", "async-http.clients.a.compression=true",
					"async-http.clients.b.compression=true")
			.run((context) -> assertThat(contributor(context).stream().map((member) -> member.name()))
				.containsExactly("a", "b"));
	}

	@Test
	void noContributorWithoutAHealthPath() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpHealthContributorAutoConfiguration.class))
			.withPropertyValues("async-http.clients.billing.base-url=" + this.server.url())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asynchttpHealthContributor"));
	}

	@Test
	void canBeSwitchedOffLikeAnyHealthIndicator() {
		this.contextRunner.withPropertyValues("management.health.asynchttp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asynchttpHealthContributor"));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("asynchttpHealthContributor"));
	}

	private static CompositeReactiveHealthContributor contributor(AssertableApplicationContext context) {
		return context.getBean("asynchttpHealthContributor", CompositeReactiveHealthContributor.class);
	}

	private static Health health(AssertableApplicationContext context, String client) {
		ReactiveHealthIndicator indicator = (ReactiveHealthIndicator) contributor(context).getContributor(client);
		return indicator.health().block(BLOCK);
	}

}
