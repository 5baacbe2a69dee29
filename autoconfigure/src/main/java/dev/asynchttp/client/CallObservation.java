package dev.asynchttp.client;

import java.time.Duration;
import java.util.Locale;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The observation of one logical call, {@value #NAME}: the parent of the
 * {@code http.client.requests} observation that Spring's {@code WebClient} opens per
 * attempt (it takes the observation in the Reactor context as parent), so that under
 * tracing a retried call is one span with one child per attempt instead of unrelated
 * siblings. Retries show as {@value #RETRY} events on the call, naming the reason and the
 * backoff; each attempt carries its number and, when it waited for a connection permit,
 * the time it waited, as high-cardinality key values (span tags, never meter tags: an
 * attempt number or a wait as a tag would multiply the {@code http.client.requests}
 * series).
 * <p>
 * Opened only for clients built by a factory given an {@link ObservationRegistry} for calls
 * ({@link AsyncApiClientFactory#setCallObservationRegistry}); the auto-configuration gives
 * it one when tracing is on. Without tracing the attempts' observations already give every
 * meter, and a second observation per call would double their cost.
 */
final class CallObservation {

	static final String NAME = "async.http.client.calls";

	static final String ATTEMPT = "async.http.attempt";

	static final String QUEUE_WAIT = "async.http.queue.wait";

	static final String RETRY = "retry";

	private CallObservation() {
	}

	/**
	 * Run {@code call} inside a call observation on {@code registry}, a child of the
	 * observation the caller runs in, if any.
	 */
	static <T> Mono<T> observe(ObservationRegistry registry, RequestContext context, Mono<T> call) {
		if (registry.isNoop()) {
			return call;
		}
		return Mono.deferContextual((view) -> {
			Observation observation = Observation.createNotStarted(NAME, CallContext::new, registry)
				.contextualName(context.clientName() + " " + context.method().name().toLowerCase(Locale.ROOT))
				.lowCardinalityKeyValue(KeyValue.of("client.name", context.clientName()))
				.lowCardinalityKeyValue(KeyValue.of("method", context.method().name()))
				.highCardinalityKeyValue(KeyValue.of("uri", SafeText.uri(context.uriTemplate())))
				.parentObservation(view.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
				.start();
			return call.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((ctx) -> ctx.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	/**
	 * Record on the call observation in {@code view}, if there is one, that a failed
	 * attempt is retried.
	 */
	static void retrying(ContextView view, int attempt, String reason, Duration backoff) {
		Observation observation = view.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (observation != null && observation.getContext() instanceof CallContext) {
			observation.event(Observation.Event.of(RETRY,
					"retry after attempt " + attempt + " (" + reason + "), backoff " + backoff.toMillis() + "ms"));
		}
	}

	/**
	 * The attempt's {@code http.client.requests} observation in {@code view} when it is
	 * the child of a call observation, else {@code null}: a look-up, no allocation, when
	 * calls are not observed.
	 */
	static @Nullable Observation attempt(ContextView view) {
		Observation observation = view.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (observation == null || observation.isNoop()) {
			return null;
		}
		ObservationView parent = observation.getContextView().getParentObservation();
		return (parent != null && parent.getContextView() instanceof CallContext) ? observation : null;
	}

	static void attemptNumber(Observation attempt, int number) {
		attempt.highCardinalityKeyValue(ATTEMPT, String.valueOf(number));
	}

	static void queueWait(Observation attempt, long nanos) {
		attempt.highCardinalityKeyValue(QUEUE_WAIT, Duration.ofNanos(nanos).toMillis() + "ms");
	}

	/**
	 * The context of a call observation, so that the attempts and the retry policy tell it
	 * from an observation of the caller.
	 */
	static final class CallContext extends Observation.Context {

	}

}
