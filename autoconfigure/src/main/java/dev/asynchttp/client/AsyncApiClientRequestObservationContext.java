package dev.asynchttp.client;

import io.micrometer.core.instrument.LongTaskTimer;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;

/**
 * The context of an {@code http.client.requests} observation that async-http opens itself,
 * for an attempt that skips {@code WebClient}. It is a
 * {@link ClientRequestObservationContext} like {@code WebClient}'s, so conventions, filters
 * and handlers see no difference; its own type lets
 * {@link AsyncApiClientMeterObservationHandler} claim it, and that handler keeps its timing
 * state in fields here rather than in the context's map.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientRequestObservationContext extends ClientRequestObservationContext {

	// Plain fields, as the context's own state: the observation's start and stop are ordered by
	// the Reactor signals between them.
	LongTaskTimer.@Nullable Sample activeSample;

	long startNanos;

	AsyncApiClientRequestObservationContext(ClientRequest.Builder carrier) {
		super(carrier);
	}

}
