package dev.asynchttp.client;

import java.net.URI;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * The {@code http.client.requests} observations of the attempts that skip
 * {@code WebClient} ({@link DirectExchange}), made as {@code WebClient} makes them for
 * the others, so that the meters, spans and handlers see no difference: the same
 * registry and convention, a {@link ClientRequest} as the carrier and as the request
 * (propagation headers a handler adds are sent), the call's URI template, the parent from
 * the Reactor context, the observation in the Reactor context of the exchange, and a stop
 * when the response head arrives, the exchange fails or the caller cancels before it.
 */
final class RequestObservations {

	/** The convention {@code WebClient} falls back to, for a builder without one. */
	private static final ClientRequestObservationConvention DEFAULT_CONVENTION = new DefaultClientRequestObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable ClientRequestObservationConvention convention;

	/**
	 * Observe with the registry and convention of the client's {@code WebClient.Builder}.
	 * @param registry the registry
	 * @param convention the convention, or {@code null} for Spring's default
	 */
	RequestObservations(ObservationRegistry registry, @Nullable ClientRequestObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/**
	 * Start the observation of one attempt.
	 * @param method the method
	 * @param uri the URI
	 * @param uriTemplate the template the URI was expanded from, or {@code null}
	 * @param headers writes the headers the request is sent with
	 * @param view the Reactor context of the attempt, where a parent may be
	 * @return the started observation
	 */
	Observed start(HttpMethod method, URI uri, @Nullable String uriTemplate, Consumer<HttpHeaders> headers,
			ContextView view) {
		ClientRequest.Builder carrier = ClientRequest.create(method, uri).headers(headers);
		if (uriTemplate != null) {
			carrier.attribute(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, uriTemplate);
		}
		Observation observation = ClientHttpObservationDocumentation.HTTP_REACTIVE_CLIENT_EXCHANGES
			.observation(this.convention, DEFAULT_CONVENTION, () -> new ClientRequestObservationContext(carrier),
					this.registry)
			.parentObservation(view.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
			.start();
		// Built after the start, so that it carries what a propagating handler wrote.
		ClientRequest request = carrier.build();
		if (observation.getContext() instanceof ClientRequestObservationContext context) {
			context.setUriTemplate(uriTemplate);
			context.setRequest(request);
		}
		return new Observed(observation, request);
	}

	/**
	 * One attempt's observation, stopped once: by the response head, by a failure before it,
	 * or by a cancel before it. A failure while the body is read is not the request's, as
	 * with {@code WebClient}.
	 */
	static final class Observed {

		private static final AtomicIntegerFieldUpdater<Observed> STOPPED = AtomicIntegerFieldUpdater
			.newUpdater(Observed.class, "stopped");

		private final Observation observation;

		private final ClientRequest request;

		private volatile int stopped;

		Observed(Observation observation, ClientRequest request) {
			this.observation = observation;
			this.request = request;
		}

		/** What goes into the exchange's Reactor context, as {@code WebClient} puts it. */
		Observation observation() {
			return this.observation;
		}

		/** The request as observed: its headers are the ones to send. */
		ClientRequest request() {
			return this.request;
		}

		void responded(HttpStatusCode status, HttpHeaders headers, HttpRequest sent) {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				if (this.observation.getContext() instanceof ClientRequestObservationContext context) {
					context.setResponse(ClientResponse.create(status).headers((target) -> target.putAll(headers))
						.request(sent)
						.build());
				}
				this.observation.stop();
			}
		}

		void failed(Throwable failure) {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.error(failure);
				this.observation.stop();
			}
		}

		/**
		 * Stops the observation of an attempt cancelled before its response. Unlike
		 * {@code WebClient}, which may, this cannot mark the context aborted (the setter is
		 * not public); without a response and an error Spring's convention gives the same
		 * {@code status} and {@code outcome} tags.
		 */
		void cancelled() {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				this.observation.stop();
			}
		}

	}

}
