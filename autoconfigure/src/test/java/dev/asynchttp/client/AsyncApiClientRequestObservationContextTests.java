package dev.asynchttp.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncApiClientRequestObservationContext}: its key values read and change
 * exactly as those of Spring's context do, whether they came as one set or one by one.
 */
class AsyncApiClientRequestObservationContextTests {

	private static final List<String> KEYS = List.of("client.name", "exception", "method", "outcome", "status",
			"uri");

	@Test
	void givesBackTheSetTheConventionGaveAndEachOfItsValues() {
		AsyncApiClientRequestObservationContext context = context();
		KeyValues set = KeyValues.of("method", "GET", "status", "200", "uri", "/items/{id}");
		context.addLowCardinalityKeyValues(set);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(set);
		assertThat(context.getLowCardinalityKeyValue("status")).isEqualTo(KeyValue.of("status", "200"));
		assertThat(context.getLowCardinalityKeyValue("error")).isNull();
		KeyValues stopped = KeyValues.of("method", "GET", "status", "503", "uri", "/items/{id}");
		context.addLowCardinalityKeyValues(stopped);
		assertThat(context.getLowCardinalityKeyValues()).isSameAs(stopped);
	}

	@Test
	void keepsEarlierKeysASmallerSetDoesNotReplace() {
		AsyncApiClientRequestObservationContext context = context();
		context.addLowCardinalityKeyValues(KeyValues.of("method", "GET", "uri", "/a"));
		context.addLowCardinalityKeyValues(KeyValues.of("uri", "/b"));
		assertThat(context.getLowCardinalityKeyValues()).containsExactly(KeyValue.of("method", "GET"),
				KeyValue.of("uri", "/b"));
	}

	@Test
	void changesOneByOneAsSpringsContextDoes() {
		Random random = new Random(8);
		for (int round = 0; round < 200; round++) {
			AsyncApiClientRequestObservationContext ours = context();
			ClientRequestObservationContext spring = new ClientRequestObservationContext(carrier());
			for (int step = 0; step < 12; step++) {
				apply(random, ours, spring);
				assertThat(ours.getLowCardinalityKeyValues()).isEqualTo(spring.getLowCardinalityKeyValues());
				assertThat(ours.getHighCardinalityKeyValues()).isEqualTo(spring.getHighCardinalityKeyValues());
				assertThat(ours.getAllKeyValues()).isEqualTo(spring.getAllKeyValues());
				for (String key : KEYS) {
					assertThat(ours.getLowCardinalityKeyValue(key)).isEqualTo(spring.getLowCardinalityKeyValue(key));
					assertThat(ours.getHighCardinalityKeyValue(key))
						.isEqualTo(spring.getHighCardinalityKeyValue(key));
				}
			}
		}
	}

	@Test
	void showsWhatAnObservationFilterAddsAndRemoves() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler((context) -> true)
			.observationFilter((context) -> context.removeLowCardinalityKeyValue("client.name")
				.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));
		AsyncApiClientRequestObservationContext context = context();
		Observation observation = Observation.createNotStarted("http.client.requests", () -> context, registry)
			.lowCardinalityKeyValues(KeyValues.of("client.name", "orders", "uri", "/a"));
		observation.start().stop();
		assertThat(context.getLowCardinalityKeyValues()).containsExactly(KeyValue.of("region", "eu"),
				KeyValue.of("uri", "/a"));
	}

	private static void apply(Random random, Observation.Context... contexts) {
		int operation = random.nextInt(5);
		boolean low = random.nextBoolean();
		List<KeyValue> values = new ArrayList<>();
		for (String key : KEYS) {
			if (random.nextInt(3) > 0) {
				values.add(KeyValue.of(key, "v" + random.nextInt(3)));
			}
		}
		String key = KEYS.get(random.nextInt(KEYS.size()));
		KeyValue single = KeyValue.of(key, "w" + random.nextInt(3));
		for (Observation.Context context : contexts) {
			switch (operation) {
				case 0, 1 -> {
					if (low) {
						context.addLowCardinalityKeyValues(KeyValues.of(values));
					}
					else {
						context.addHighCardinalityKeyValues(KeyValues.of(values));
					}
				}
				case 2 -> {
					if (low) {
						context.addLowCardinalityKeyValue(single);
					}
					else {
						context.addHighCardinalityKeyValue(single);
					}
				}
				case 3 -> {
					if (low) {
						context.removeLowCardinalityKeyValue(key);
					}
					else {
						context.removeHighCardinalityKeyValue(key);
					}
				}
				default -> {
					if (low) {
						context.removeLowCardinalityKeyValues(key, KEYS.get(0));
					}
					else {
						context.removeHighCardinalityKeyValues(key, KEYS.get(0));
					}
				}
			}
		}
	}

	private static AsyncApiClientRequestObservationContext context() {
		return new AsyncApiClientRequestObservationContext(carrier());
	}

	private static ClientRequest.Builder carrier() {
		return ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/a"));
	}

}
