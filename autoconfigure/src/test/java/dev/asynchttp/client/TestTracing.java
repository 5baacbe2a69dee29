package dev.asynchttp.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveFinishedSpan;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;

import static org.awaitility.Awaitility.await;

/**
 * A real tracer for tests: Brave through Micrometer Tracing, 128-bit trace ids, W3C
 * {@code traceparent} propagation, and an {@link ObservationRegistry} whose observations
 * become spans, kept in memory. ({@code micrometer-tracing-test}'s {@code SimpleTracer} has
 * no propagator, so it could not show {@code traceparent} reaching a server.)
 */
public final class TestTracing implements AutoCloseable {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final Tracing tracing;

	private final Tracer tracer;

	private final ObservationRegistry registry = ObservationRegistry.create();

	public TestTracing() {
		ThreadLocalCurrentTraceContext current = ThreadLocalCurrentTraceContext.newBuilder().build();
		this.tracing = Tracing.newBuilder()
			.currentTraceContext(current)
			.traceId128Bit(true)
			.propagationFactory(new W3CPropagation())
			.addSpanHandler(new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					TestTracing.this.spans.add(span);
					return true;
				}

			})
			.build();
		this.tracer = new BraveTracer(this.tracing.tracer(), new BraveCurrentTraceContext(current));
		this.registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, new BravePropagator(this.tracing)),
					new DefaultTracingObservationHandler(this.tracer)));
	}

	public Tracer tracer() {
		return this.tracer;
	}

	public ObservationRegistry registry() {
		return this.registry;
	}

	/**
	 * The finished spans, once there are at least {@code count}: a span ends as its
	 * observation stops, which may be just after the caller got the result.
	 * @param count how many spans to wait for, at most 10 seconds
	 * @return the finished spans
	 */
	public List<FinishedSpan> finishedSpans(int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.spans.size() >= count);
		return this.spans.stream().map(BraveFinishedSpan::fromBrave).toList();
	}

	@Override
	public void close() {
		this.tracing.close();
	}

}
