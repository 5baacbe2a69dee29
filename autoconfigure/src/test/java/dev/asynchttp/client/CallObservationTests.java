package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.testsupport.ReactorTestServer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.test.simple.SpansAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallObservation} under a real tracer ({@link TestTracing}) against a local server
 * that records the {@code traceparent} it receives.
 */
@Timeout(60)
class CallObservationTests {

	private final TestTracing tracing = new TestTracing();

	/** The {@code traceparent} of every request the server received, in order. */
	private final List<String> traceparents = new CopyOnWriteArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private @Nullable ReactorTestServer server;

	private @Nullable AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
		this.tracing.close();
	}

	@Test
	void retriedCallIsOneTraceWithTheCallAsParentOfBothAttempts() {
		startServerAnswering503First();
		AsyncApiClient client = client(true, AsyncApiClientSettings.empty().withRetry(fastRetries()));

		assertThat(client.get("/items/{id}", String.class, 1).block(BLOCK)).isEqualTo("ok");

		List<FinishedSpan> finished = this.tracing.finishedSpans(3);
		FinishedSpan call = single(finished, "async.http.client.calls");
		List<FinishedSpan> attempts = finished.stream().filter((span) -> span != call).toList();
		SpansAssert.assertThat(finished).haveSameTraceId().hasNumberOfSpansEqualTo(3);
		assertThat(call.getParentId()).isNull();
		assertThat(call.getName()).isEqualTo(NAME + " get");
		assertThat(call.getTags()).containsEntry("client.name", NAME)
			.containsEntry("method", "GET")
			.containsEntry("uri", "/items/{id}");
		assertThat(call.getEvents()).singleElement()
			.satisfies((event) -> assertThat(event.getValue()).startsWith("retry after attempt 1 (503), backoff "));
		assertThat(attempts).hasSize(2).allSatisfy((attempt) -> {
			assertThat(attempt.getParentId()).isEqualTo(call.getSpanId());
			// Without the auto-configuration's convention, Spring's client.name is the host.
			assertThat(attempt.getTags()).containsEntry("uri", "/items/{id}");
		});
		assertThat(attempts).extracting((attempt) -> attempt.getTags().get(CallObservation.ATTEMPT))
			.containsExactlyInAnyOrder("1", "2");
		assertThat(attempts).extracting((attempt) -> attempt.getTags().get("status"))
			.containsExactlyInAnyOrder("503", "200");
		// Each attempt's own span id reached the server, in the call's trace.
		assertThat(this.traceparents).hasSize(2);
		for (int i = 0; i < 2; i++) {
			FinishedSpan attempt = attemptNumber(attempts, i + 1);
			assertThat(this.traceparents.get(i))
				.matches("00-" + call.getTraceId() + "-" + attempt.getSpanId() + "-0[01]");
		}
	}

	@Test
	void attemptThatWaitedForAConnectionPermitShowsTheWait() {
		this.server = ReactorTestServer.start((request, response) -> {
			this.traceparents.add(String.valueOf(request.requestHeaders().get("traceparent")));
			return response.sendString(Mono.delay(Duration.ofMillis(200)).thenReturn("ok"));
		});
		AsyncApiClient client = client(true, AsyncApiClientSettings.empty().withPool(pool(1, 1, null, null)));

		List<String> bodies = Mono
			.zip(client.get("/items/{id}", String.class, 1), client.get("/items/{id}", String.class, 2),
					(first, second) -> List.of(first, second))
			.block(BLOCK);

		assertThat(bodies).containsExactly("ok", "ok");
		List<FinishedSpan> attempts = this.tracing.finishedSpans(4).stream()
			.filter((span) -> span.getParentId() != null)
			.toList();
		// One of the two waited for the only permit, about the other's 200 ms response.
		assertThat(attempts).hasSize(2)
			.filteredOn((attempt) -> attempt.getTags().containsKey(CallObservation.QUEUE_WAIT))
			.singleElement()
			.satisfies((attempt) -> assertThat(attempt.getTags().get(CallObservation.QUEUE_WAIT)).endsWith("ms"));
	}

	@Test
	void withoutCallObservationsEachAttemptIsATraceOfItsOwn() {
		startServerAnswering503First();
		AsyncApiClient client = client(false, AsyncApiClientSettings.empty().withRetry(fastRetries()));

		assertThat(client.request(HttpMethod.GET, "/items/{id}", 1).bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");

		List<FinishedSpan> finished = this.tracing.finishedSpans(2);
		assertThat(finished).allSatisfy((span) -> {
			assertThat(span.getParentId()).isNull();
			assertThat(span.getTags()).doesNotContainKey(CallObservation.ATTEMPT);
		});
		assertThat(finished).extracting(FinishedSpan::getTraceId).doesNotHaveDuplicates();
	}

	private void startServerAnswering503First() {
		this.server = ReactorTestServer.start((request, response) -> {
			this.traceparents.add(String.valueOf(request.requestHeaders().get("traceparent")));
			return (this.requests.incrementAndGet() == 1) ? response.status(503).send()
					: response.sendString(Mono.just("ok"));
		});
	}

	private AsyncApiClient client(boolean observeCalls, AsyncApiClientSettings settings) {
		AsyncApiClientFactory factory = new AsyncApiClientFactory(
				() -> WebClient.builder().observationRegistry(this.tracing.registry()), null, (bundle) -> {
					throw new IllegalArgumentException(bundle);
				}, List.of());
		if (observeCalls) {
			factory.setCallObservationRegistry(this.tracing.registry());
		}
		this.clients = new AsyncApiClients(
				Map.of(NAME, settings.withBaseUrl(URI.create(this.server.url("")))), factory,
				Duration.ofSeconds(1));
		return this.clients.get(NAME);
	}

	private static FinishedSpan single(List<FinishedSpan> spans, String name) {
		List<FinishedSpan> calls = spans.stream().filter((span) -> span.getParentId() == null).toList();
		assertThat(calls).as(name).hasSize(1);
		return calls.get(0);
	}

	private static FinishedSpan attemptNumber(List<FinishedSpan> attempts, int number) {
		return attempts.stream()
			.filter((attempt) -> String.valueOf(number).equals(attempt.getTags().get(CallObservation.ATTEMPT)))
			.findFirst()
			.orElseThrow();
	}

}
