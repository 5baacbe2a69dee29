package dev.asynchttp.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.TestTracing;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.test.simple.SpansAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.autoconfigure.metrics.MicrometerAsyncApiClientObserver.CLIENT_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Auto-configured clients under tracing: a call observation is opened only when there is a
 * tracer, and its attempts carry the client's {@code http.client.requests} convention.
 */
class CallTracingTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private ReactorTestServer server;

	private TestTracing tracing;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() {
		this.server = ReactorTestServer.sampleApi();
		this.tracing = new TestTracing();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
					AsyncHttpMetricsAutoConfiguration.class, WebClientAutoConfiguration.class,
					MetricsAutoConfiguration.class, WebClientObservationAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withBean(ObservationRegistry.class, this.tracing::registry)
			.withPropertyValues("management.metrics.use-global-registry=false",
					"async-http.clients.billing.base-url=" + this.server.url(),
					"async-http.clients.billing.retry.max-attempts=2",
					"async-http.clients.billing.retry.backoff.initial=5ms");
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.tracing.close();
	}

	@Test
	void withATracerARetriedCallIsOneSpanWithTheAttemptsAsChildren() {
		this.contextRunner.withBean(Tracer.class, this.tracing::tracer).run((context) -> {
			assertThat(catchThrowable(() -> call503(context)))
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			List<FinishedSpan> finished = this.tracing.finishedSpans(3);
			SpansAssert.assertThat(finished).haveSameTraceId();
			FinishedSpan call = finished.stream()
				.filter((span) -> span.getParentId() == null)
				.findFirst()
				.orElseThrow();
			assertThat(call.getName()).isEqualTo("billing get");
			assertThat(call.getTags()).containsEntry(CLIENT_NAME, "billing");
			assertThat(call.getError()).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			assertThat(finished).filteredOn((span) -> span != call).hasSize(2).allSatisfy((attempt) -> {
				assertThat(attempt.getParentId()).isEqualTo(call.getSpanId());
				assertThat(attempt.getTags()).containsEntry(CLIENT_NAME, "billing").containsEntry("status", "503");
			});
		});
	}

	@Test
	void withATracerAndMetersCallsAreTimedAndRetriesCountedExceptForClientsWithoutMetrics() {
		this.contextRunner.withBean(Tracer.class, this.tracing::tracer)
			.withPropertyValues("async-http.clients.quiet.base-url=" + this.server.url(),
					"async-http.clients.quiet.retry.max-attempts=2", "async-http.clients.quiet.metrics.enabled=false")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				this.tracing.registry()
					.observationConfig()
					.observationHandler(new DefaultMeterObservationHandler(meters));
				for (String name : List.of("billing", "quiet")) {
					assertThat(catchThrowable(() -> context.getBean(AsyncApiClients.class)
						.get(name)
						.get("/status/{code}", String.class, 503)
						.block(BLOCK))).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
				}
				assertThat(meters.get("async.http.client.calls").tag(CLIENT_NAME, "billing").timer().count())
					.isEqualTo(1);
				assertThat(meters.get("async.http.client.calls.retry").tag(CLIENT_NAME, "billing").counter().count())
					.isEqualTo(1);
				assertThat(meters.find("async.http.client.calls").tag(CLIENT_NAME, "quiet").meters()).isEmpty();
				assertThat(meters.find("async.http.client.calls.retry").tag(CLIENT_NAME, "quiet").meters()).isEmpty();
			});
	}

	@Test
	void withoutATracerCallsGetNoObservationOfTheirOwn() {
		this.contextRunner.run((context) -> {
			assertThat(catchThrowable(() -> call503(context)))
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			List<FinishedSpan> finished = this.tracing.finishedSpans(2);
			assertThat(finished).hasSize(2)
				.allSatisfy((attempt) -> assertThat(attempt.getParentId()).isNull())
				.extracting(FinishedSpan::getName)
				.containsOnly("http get");
		});
	}

	@Test
	void noopTracerCountsAsNoTracing() {
		this.contextRunner.withBean(Tracer.class, () -> Tracer.NOOP).run((context) -> {
			assertThat(catchThrowable(() -> call503(context)))
				.isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
			assertThat(this.tracing.finishedSpans(2))
				.allSatisfy((attempt) -> assertThat(attempt.getParentId()).isNull());
		});
	}

	private static void call503(AssertableApplicationContext context) {
		context.getBean(AsyncApiClients.class).get("billing").get("/status/{code}", String.class, 503).block(BLOCK);
	}

}
