package dev.asynchttp.client;

import java.io.IOException;
import java.net.URI;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncApiClientMeterObservationHandler}: the meters of async-http's own
 * contexts, as the default handler records them, and every other context left to the next
 * handler of the group.
 */
class AsyncApiClientMeterObservationHandlerTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void timesTheObservationAndCountsItAsActiveWhileItRuns() {
		ObservationRegistry registry = registry(true);
		Observation observation = observation(registry).lowCardinalityKeyValue("uri", "/items/{id}").start();
		LongTaskTimer active = this.meters.get("http.client.requests.active").tag("uri", "/items/{id}").longTaskTimer();
		assertThat(active.activeTasks()).isEqualTo(1);
		observation.stop();
		assertThat(active.activeTasks()).isZero();
		Timer timer = this.meters.get("http.client.requests").tag("uri", "/items/{id}").tag("error", "none").timer();
		assertThat(timer.count()).isEqualTo(1);
	}

	@Test
	void keepsOneTimerPerTagSetAndTagsTheErrorLikeTheDefaultHandler() {
		ObservationRegistry registry = registry(true);
		for (int i = 0; i < 3; i++) {
			observation(registry).lowCardinalityKeyValue("uri", "/a").start().stop();
		}
		Observation failed = observation(registry).lowCardinalityKeyValue("uri", "/a").start();
		failed.error(new IOException("reset"));
		failed.stop();
		assertThat(this.meters.get("http.client.requests").tag("uri", "/a").tag("error", "none").timer().count())
			.isEqualTo(3);
		assertThat(this.meters.get("http.client.requests").tag("uri", "/a").tag("error", "IOException").timer().count())
			.isEqualTo(1);
	}

	@Test
	void recordsNoLongTaskTimerWhenTheApplicationIgnoresThem() {
		ObservationRegistry registry = registry(false);
		observation(registry).start().stop();
		assertThat(this.meters.find("http.client.requests.active").longTaskTimers()).isEmpty();
		assertThat(this.meters.get("http.client.requests").timer().count()).isEqualTo(1);
	}

	@Test
	void leavesOtherContextsToTheNextHandler() {
		AsyncApiClientMeterObservationHandler handler = new AsyncApiClientMeterObservationHandler(this.meters, true);
		assertThat(handler.supportsContext(new Observation.Context())).isFalse();
		assertThat(handler.supportsContext(context())).isTrue();
		ObservationRegistry registry = registry(true);
		Observation.createNotStarted("other.work", registry).start().stop();
		assertThat(this.meters.get("other.work").timer().count()).isEqualTo(1);
	}

	@Test
	void countsEventsAsTheDefaultHandlerDoes() {
		ObservationRegistry registry = registry(true);
		Observation observation = observation(registry).start();
		observation.event(Observation.Event.of("retry"));
		observation.stop();
		assertThat(this.meters.get("http.client.requests.retry").counter().count()).isEqualTo(1);
	}

	@Test
	void findsTheMetersOfAKeptTagSetAgainUntilTheRegistryRemovesThem() {
		ObservationRegistry registry = registry(true);
		KeyValues kept = KeyValues.of("uri", "/kept");
		ObservationConvention<AsyncApiClientRequestObservationContext> convention = new KeptTags(kept);
		for (int i = 0; i < 3; i++) {
			observation(registry, convention).start().stop();
		}
		Observation failed = observation(registry, convention).start();
		failed.error(new IOException("reset"));
		failed.stop();
		Timer first = this.meters.get("http.client.requests").tag("uri", "/kept").tag("error", "none").timer();
		assertThat(first.count()).isEqualTo(3);
		assertThat(this.meters.get("http.client.requests").tag("error", "IOException").timer().count()).isEqualTo(1);
		this.meters.remove(first);
		this.meters.remove(this.meters.get("http.client.requests.active").longTaskTimer());
		Observation running = observation(registry, convention).start();
		assertThat(this.meters.get("http.client.requests.active").longTaskTimer().activeTasks()).isEqualTo(1);
		running.stop();
		Timer second = this.meters.get("http.client.requests").tag("uri", "/kept").tag("error", "none").timer();
		assertThat(second).isNotSameAs(first);
		assertThat(second.count()).isEqualTo(1);
		assertThat(first.count()).isEqualTo(3);
	}

	private ObservationRegistry registry(boolean longTaskTimer) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new AsyncApiClientMeterObservationHandler(this.meters, longTaskTimer),
					new DefaultMeterObservationHandler(this.meters)));
		return registry;
	}

	private static Observation observation(ObservationRegistry registry) {
		return Observation.createNotStarted("http.client.requests", AsyncApiClientMeterObservationHandlerTests::context,
				registry);
	}

	private static Observation observation(ObservationRegistry registry,
			ObservationConvention<AsyncApiClientRequestObservationContext> convention) {
		return Observation.createNotStarted(convention, convention, AsyncApiClientMeterObservationHandlerTests::context,
				registry);
	}

	private static AsyncApiClientRequestObservationContext context() {
		return new AsyncApiClientRequestObservationContext(
				ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/items/1")));
	}

	/** Gives every observation the same key value set, as async-http's convention does for the same values. */
	private record KeptTags(KeyValues tags) implements ObservationConvention<AsyncApiClientRequestObservationContext> {

		@Override
		public KeyValues getLowCardinalityKeyValues(AsyncApiClientRequestObservationContext context) {
			return this.tags;
		}

		@Override
		public String getName() {
			return "http.client.requests";
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof AsyncApiClientRequestObservationContext;
		}

	}

}
