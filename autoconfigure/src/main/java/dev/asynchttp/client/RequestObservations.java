package dev.asynchttp.client;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClientResponseException;

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
		ObservationCarrier carrier = new ObservationCarrier(method, uri, uriTemplate, headers);
		Observation observation = ClientHttpObservationDocumentation.HTTP_REACTIVE_CLIENT_EXCHANGES
			.observation(this.convention, DEFAULT_CONVENTION, () -> new AsyncApiClientRequestObservationContext(carrier),
					this.registry)
			.parentObservation(view.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
			.start();
		// Built after the start, so that it carries what a propagating handler wrote.
		ClientRequest request = carrier.build();
		if (observation.getContext() instanceof ClientRequestObservationContext context) {
			context.setUriTemplate(uriTemplate);
			context.setRequest(request);
		}
		return new Observed(observation, carrier);
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

		private final ObservationCarrier carrier;

		private volatile int stopped;

		Observed(Observation observation, ObservationCarrier carrier) {
			this.observation = observation;
			this.carrier = carrier;
		}

		/** What goes into the exchange's Reactor context, as {@code WebClient} puts it. */
		Observation observation() {
			return this.observation;
		}

		/**
		 * The headers to send when a handler or filter has read or written them (a
		 * propagating handler writes its own), {@code null} when they are still exactly the
		 * call's own.
		 */
		@Nullable HttpHeaders touchedHeaders() {
			return this.carrier.headersTouched() ? this.carrier.headers() : null;
		}

		/**
		 * Stops the observation with the response head.
		 * @param status the status
		 * @param headers the response's Netty headers, wrapped only when a handler reads them
		 * @param sent the request as sent
		 */
		void responded(HttpStatusCode status, io.netty.handler.codec.http.HttpHeaders headers, HttpRequest sent) {
			if (STOPPED.compareAndSet(this, 0, 1)) {
				if (this.observation.getContext() instanceof ClientRequestObservationContext context) {
					context.setResponse(new ResponseHead(status, headers, sent));
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

	/**
	 * The response as the observation sees it: status, headers and request, without copying
	 * them as {@link ClientResponse#create} would. Its body is the call's, read by the
	 * codecs, so it cannot be read here. Spring's view of the headers is made when first
	 * asked for: the default conventions read the status only.
	 */
	private static final class ResponseHead implements ClientResponse, ClientResponse.Headers {

		private final HttpStatusCode statusCode;

		private final io.netty.handler.codec.http.HttpHeaders nettyHeaders;

		private final HttpRequest request;

		private volatile @Nullable HttpHeaders httpHeaders;

		ResponseHead(HttpStatusCode statusCode, io.netty.handler.codec.http.HttpHeaders nettyHeaders,
				HttpRequest request) {
			this.statusCode = statusCode;
			this.nettyHeaders = nettyHeaders;
			this.request = request;
		}

		@Override
		public HttpStatusCode statusCode() {
			return this.statusCode;
		}

		@Override
		public HttpRequest request() {
			return this.request;
		}

		@Override
		public Headers headers() {
			return this;
		}

		@Override
		public OptionalLong contentLength() {
			long length = asHttpHeaders().getContentLength();
			return (length != -1) ? OptionalLong.of(length) : OptionalLong.empty();
		}

		@Override
		public Optional<MediaType> contentType() {
			return Optional.ofNullable(asHttpHeaders().getContentType());
		}

		@Override
		public List<String> header(String headerName) {
			List<String> values = asHttpHeaders().get(headerName);
			return (values != null) ? values : List.of();
		}

		@Override
		public HttpHeaders asHttpHeaders() {
			HttpHeaders headers = this.httpHeaders;
			if (headers == null) {
				// A race makes two equal read-only views of the same headers, which is harmless.
				headers = DirectExchange.readOnlyHeaders(this.nettyHeaders);
				this.httpHeaders = headers;
			}
			return headers;
		}

		/** None: response cookies stay in the {@code Set-Cookie} headers. */
		@Override
		public MultiValueMap<String, ResponseCookie> cookies() {
			return DirectExchange.NO_COOKIES;
		}

		@Override
		public ExchangeStrategies strategies() {
			throw bodyNotHere();
		}

		@Override
		public <T> T body(BodyExtractor<T, ? super ClientHttpResponse> extractor) {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<T> bodyToMono(Class<? extends T> elementClass) {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<T> bodyToMono(ParameterizedTypeReference<T> elementTypeRef) {
			throw bodyNotHere();
		}

		@Override
		public <T> Flux<T> bodyToFlux(Class<? extends T> elementClass) {
			throw bodyNotHere();
		}

		@Override
		public <T> Flux<T> bodyToFlux(ParameterizedTypeReference<T> elementTypeRef) {
			throw bodyNotHere();
		}

		@Override
		public Mono<Void> releaseBody() {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<ResponseEntity<T>> toEntity(Class<T> bodyClass) {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<ResponseEntity<T>> toEntity(ParameterizedTypeReference<T> bodyTypeReference) {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<ResponseEntity<List<T>>> toEntityList(Class<T> elementClass) {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<ResponseEntity<List<T>>> toEntityList(ParameterizedTypeReference<T> elementTypeRef) {
			throw bodyNotHere();
		}

		@Override
		public Mono<ResponseEntity<Void>> toBodilessEntity() {
			throw bodyNotHere();
		}

		@Override
		public Mono<WebClientResponseException> createException() {
			throw bodyNotHere();
		}

		@Override
		public <T> Mono<T> createError() {
			throw bodyNotHere();
		}

		@Override
		public String logPrefix() {
			return "";
		}

		@Override
		public Builder mutate() {
			throw bodyNotHere();
		}

		private static UnsupportedOperationException bodyNotHere() {
			return new UnsupportedOperationException(
					"The response of an async-http observation shows its status and headers only; the body is read by the call");
		}

	}

}
