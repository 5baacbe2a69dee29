package dev.asynchttp.client;

import java.net.URI;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.InFlightLimiter.Permit;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.codec.CodecException;
import org.springframework.core.codec.Decoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.UnknownHttpStatusCodeException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * One attempt of a typed call without a request body, sent on the client's Reactor Netty
 * {@link HttpClient} without {@code WebClient}'s request and response layers, which cost
 * about as much per call as the exchange itself (an attribute map, header adapters, a log
 * prefix and a checkpoint description per request). It is only used for clients whose
 * {@code WebClient} would add nothing of its own (see
 * {@link AsyncApiClientFactory#setDirectExchange(boolean)}) and gives the caller what the
 * {@code WebClient} path gives: the same admission ({@link ExchangeGuard#admitted}), the
 * same codecs for the body, {@link WebClientResponseException} for 4xx and 5xx with the
 * body, and the same typed transport errors.
 */
final class DirectExchange {

	private static final Map<String, Object> NO_HINTS = Map.of();

	private static final ResolvableType BYTE_ARRAY = ResolvableType.forClass(byte[].class);

	/** No response cookies: they stay in the {@code Set-Cookie} headers. */
	static final MultiValueMap<String, ResponseCookie> NO_COOKIES = CollectionUtils
		.unmodifiableMultiValueMap(new LinkedMultiValueMap<>());

	/** Wraps the connection's buffers; never allocates. */
	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final ClientRuntime runtime;

	private final ExchangeGuard guard;

	private final HttpClient httpClient;

	private final SafeUris uris;

	private final Map<String, List<String>> defaultHeaders;

	private final BodyExtractor.Context readers;

	private final @Nullable RequestObservations observations;

	/** The methods of calls without a body, matched by identity: hashing them per call showed in profiles. */
	private static final HttpMethod[] BODILESS = { HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE,
			HttpMethod.OPTIONS };

	/** The client's sender for each of {@link #BODILESS}, in the same order. */
	private final HttpClient.RequestSender[] senders;

	/** Reads {@code byte[]} bodies without choosing a reader per call, or {@code null}. */
	private final @Nullable BodyExtractor<Mono<byte[]>, ReactiveHttpInputMessage> bytes;

	/**
	 * Create the direct exchange of a client.
	 * @param runtime the client's runtime
	 * @param guard the admission its {@code WebClient} filter uses too
	 * @param httpClient the client's Reactor Netty client, the one behind its
	 * {@code WebClient}
	 * @param uris checks that a request stays under {@code base-url}
	 * @param readers the message readers of the client's {@code WebClient}, codec
	 * customizations and {@code max-in-memory-size} included
	 * @param observations observes each attempt as its {@code WebClient} would, or
	 * {@code null} when that {@code WebClient} has no observation registry
	 */
	DirectExchange(ClientRuntime runtime, ExchangeGuard guard, HttpClient httpClient, SafeUris uris,
			List<HttpMessageReader<?>> readers, @Nullable RequestObservations observations) {
		this.runtime = runtime;
		this.guard = guard;
		this.httpClient = httpClient;
		this.uris = uris;
		this.defaultHeaders = runtime.settings().defaultHeaders();
		this.readers = readers(List.copyOf(readers));
		this.observations = observations;
		this.senders = Stream.of(BODILESS)
			.map((method) -> httpClient.request(io.netty.handler.codec.http.HttpMethod.valueOf(method.name())))
			.toArray(HttpClient.RequestSender[]::new);
		this.bytes = bytesExtractor(this.readers.messageReaders());
	}

	/**
	 * Reads a body as {@code BodyExtractors.toMono(type)} does, through the reader the codecs
	 * choose for it.
	 * @param type the body's type
	 * @return the extractor
	 */
	@SuppressWarnings("unchecked")
	<T> BodyExtractor<Mono<T>, ReactiveHttpInputMessage> extractor(Class<T> type) {
		if (type == byte[].class && this.bytes != null) {
			return (BodyExtractor<Mono<T>, ReactiveHttpInputMessage>) (BodyExtractor<?, ?>) this.bytes;
		}
		return BodyExtractors.toMono(type);
	}

	/**
	 * When the codecs read {@code byte[]} with Spring's own {@link ByteArrayDecoder}, whatever
	 * the content type, that decoder reads such bodies directly. {@code BodyExtractors} would
	 * otherwise parse the {@code Content-Type} twice and walk the readers for every response,
	 * to pick the same decoder, which ignores the content type. Any other reader placed
	 * before it (a codec customization) keeps the general path.
	 */
	@SuppressWarnings("unchecked")
	static @Nullable BodyExtractor<Mono<byte[]>, ReactiveHttpInputMessage> bytesExtractor(
			List<HttpMessageReader<?>> readers) {
		for (HttpMessageReader<?> reader : readers) {
			if (reader.getClass() == DecoderHttpMessageReader.class
					&& ((DecoderHttpMessageReader<?>) reader).getDecoder().getClass() == ByteArrayDecoder.class) {
				Decoder<byte[]> decoder = (Decoder<byte[]>) ((DecoderHttpMessageReader<?>) reader).getDecoder();
				return (message, context) -> decoder.decodeToMono(message.getBody(), BYTE_ARRAY, null, NO_HINTS);
			}
			if (reader.canRead(BYTE_ARRAY, null) || !reader.getReadableMediaTypes(BYTE_ARRAY).isEmpty()) {
				return null;
			}
		}
		return null;
	}

	/**
	 * Spring's read-only view of a response's Netty headers, without copying them.
	 * @param headers the Netty headers
	 * @return the view
	 */
	static HttpHeaders readOnlyHeaders(io.netty.handler.codec.http.HttpHeaders headers) {
		return HttpHeaders.readOnlyHttpHeaders(new Netty4HeadersAdapter(headers));
	}

	/**
	 * What the codecs are given to read a body with: the readers, no hints (the log prefix
	 * {@code WebClient} puts there costs a string per call), no server response.
	 */
	static BodyExtractor.Context readers(List<HttpMessageReader<?>> messageReaders) {
		return new BodyExtractor.Context() {

			@Override
			public List<HttpMessageReader<?>> messageReaders() {
				return messageReaders;
			}

			@Override
			public Optional<ServerHttpResponse> serverResponse() {
				return Optional.empty();
			}

			@Override
			public Map<String, Object> hints() {
				return NO_HINTS;
			}

		};
	}

	/**
	 * One attempt, subscribed again for every retry.
	 * @param call what to send
	 * @param reading what to make of the response
	 * @return the attempt
	 */
	<T> Mono<T> attempt(Call call, Reading<T> reading) {
		return Mono.deferContextual((view) -> {
			AttemptProgress progress = view.getOrDefault(AttemptProgress.CONTEXT_KEY, null);
			AttemptProgress current = (progress != null) ? progress : new AttemptProgress();
			RequestObservations observations = this.observations;
			if (observations == null) {
				return checked(call, reading, current, null);
			}
			// Around the checks and the admission, as WebClient's observation is around its filters.
			RequestObservations.Observed observed = observations.start(call.method(), call.uri(), call.uriTemplate(),
					(headers) -> headers(call, headers::put), view);
			return checked(call, reading, current, observed).doOnError(observed::failed)
				.doOnCancel(observed::cancelled)
				.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observed.observation()));
		});
	}

	private <T> Mono<T> checked(Call call, Reading<T> reading, AttemptProgress progress,
			RequestObservations.@Nullable Observed observed) {
		RequestContext context = call.context();
		if (this.runtime.isClosed()) {
			return Mono.error(new AsyncHttpClientClosedException(context, progress.unsent(), null));
		}
		String problem = this.uris.whyNotUnder(call.uri());
		if (problem != null) {
			return Mono.error(
					new AsyncHttpInvalidRequestException(problem + "; base-url is " + this.uris.baseUrl(), context));
		}
		// Built before the admission, while the caller's thread has the call at hand: a call that
		// waits for a permit is otherwise prepared later, on an event loop, from cold memory.
		HttpClient.ResponseReceiver<?> receiver = receiver(call, observed);
		return this.guard.admitted(call.uri(), context, progress, null,
				(permit) -> exchange(call, receiver, reading, progress, observed, permit));
	}

	/**
	 * One streaming call, as {@code retrieve().toEntityFlux(extractor)} would give its body:
	 * the elements as they are read, {@link WebClientResponseException} with the body for
	 * 4xx and 5xx.
	 * @param call what to send
	 * @param extractor reads the body
	 * @return the elements
	 */
	<T> Flux<T> stream(Call call, BodyExtractor<Flux<T>, ? super ClientHttpResponse> extractor) {
		Reading<Flux<T>> reading = (response, readers, request) -> {
			Mono<Flux<T>> failed = Reading.statusError(response, readers, request);
			if (failed != null) {
				return failed;
			}
			return Mono.just(extractor.extract(response, readers)
				.onErrorResume(Reading::wrapped, (ex) -> Mono.error(Reading.exception(response, request, ex))));
		};
		return attempt(call, reading).flatMapMany((body) -> body);
	}

	/**
	 * Write the headers a call is sent with, in {@code WebClient}'s order: the defaults,
	 * then the call's own replacing those of the same name, then {@code Accept}.
	 */
	private void headers(Call call, BiConsumer<String, List<String>> target) {
		this.defaultHeaders.forEach(target);
		HttpHeaders headers = call.headers();
		if (headers != null) {
			headers.forEach(target);
		}
		MediaType[] accept = call.accept();
		if (accept != null) {
			target.accept(HttpHeaders.ACCEPT, List.of(MediaType.toString(List.of(accept))));
		}
	}

	/**
	 * The client's sender for a call's method. {@code request(method)} copies the client's
	 * whole configuration, so the copies for the methods of calls without a body are made once.
	 */
	private HttpClient.RequestSender sender(Call call) {
		HttpMethod method = call.method();
		for (int i = 0; i < BODILESS.length; i++) {
			if (BODILESS[i] == method) {
				return this.senders[i];
			}
		}
		return this.httpClient.request(call.nettyMethod());
	}

	/**
	 * The Reactor Netty request of one attempt: the call's URI and the headers to send.
	 */
	private HttpClient.ResponseReceiver<?> receiver(Call call, RequestObservations.@Nullable Observed observed) {
		HttpClient.RequestSender sender = sender(call).uri(call.uri());
		boolean callHeaders = call.headers() != null || call.accept() != null || !this.defaultHeaders.isEmpty();
		if (!callHeaders && (observed == null || observed.touchedHeaders() == null)) {
			return sender;
		}
		return sender.send((request, outbound) -> {
			// Once a handler of the observation has touched them, its request's headers are the
			// ones to send (propagation headers included), read when sent.
			HttpHeaders observedHeaders = (observed != null) ? observed.touchedHeaders() : null;
			if (observedHeaders != null) {
				observedHeaders.forEach(request.requestHeaders()::set);
			}
			else {
				headers(call, request.requestHeaders()::set);
			}
			return outbound;
		});
	}

	private <T> Mono<T> exchange(Call call, HttpClient.ResponseReceiver<?> receiver, Reading<T> reading,
			AttemptProgress progress, RequestObservations.@Nullable Observed observed, Permit permit) {
		RequestContext context = call.context();
		if (this.runtime.isClosed()) {
			permit.release();
			return Mono.error(new AsyncHttpClientClosedException(context, progress.unsent(), null));
		}
		return receiver.responseConnection((response, connection) -> {
			progress.markResponseReceived();
			NettyResponse received = new NettyResponse(response, connection, context, permit);
			if (observed != null) {
				observed.responded(received.getStatusCode(), response.responseHeaders(), call);
			}
			return reading.read(received, this.readers, call);
		})
			.singleOrEmpty()
			.onErrorMap((ex) -> {
				// Released here rather than in an operator of its own, before the error goes on.
				permit.release();
				return this.runtime.errors()
					.translate(ex, context, progress.state(), progress.unsent(), this.runtime.isClosed());
			})
			.doOnCancel(permit::release);
	}

	/**
	 * The response as Spring's codecs read it, with a body that gives the permit back as it
	 * ends, before its end reaches the caller, and types its transport failures; as
	 * {@link ExchangeGuard} does for {@code WebClient}.
	 */
	private final class NettyResponse implements ClientHttpResponse {

		private final HttpClientResponse response;

		private final Connection connection;

		private final RequestContext context;

		private final Permit permit;

		private @Nullable HttpHeaders headers;

		private @Nullable HttpStatusCode status;

		NettyResponse(HttpClientResponse response, Connection connection, RequestContext context, Permit permit) {
			this.response = response;
			this.connection = connection;
			this.context = context;
			this.permit = permit;
		}

		@Override
		public String getId() {
			return this.connection.channel().id().asShortText();
		}

		@Override
		public HttpStatusCode getStatusCode() {
			// Asked several times per response; the look-up searches every known status.
			HttpStatusCode status = this.status;
			if (status == null) {
				status = HttpStatusCode.valueOf(this.response.status().code());
				this.status = status;
			}
			return status;
		}

		@Override
		public HttpHeaders getHeaders() {
			HttpHeaders headers = this.headers;
			if (headers == null) {
				headers = readOnlyHeaders(this.response.responseHeaders());
				this.headers = headers;
			}
			return headers;
		}

		/**
		 * Not read: no codec and no typed result looks at response cookies, which stay in
		 * the {@code Set-Cookie} headers of {@link #getHeaders()}.
		 */
		@Override
		public MultiValueMap<String, ResponseCookie> getCookies() {
			return NO_COOKIES;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			ExchangeErrors errors = DirectExchange.this.runtime.errors();
			return this.connection.inbound()
				.receive()
				// Retained as Spring's connector does: a codec releases each buffer when it is done.
				.map((buffer) -> (DataBuffer) BUFFERS.wrap(buffer.retain()))
				.doOnTerminate(this.permit::release)
				.doOnCancel(this.permit::release)
				.onErrorMap((ex) -> errors.translateBody(ex, this.context, DirectExchange.this.runtime.isClosed()));
		}

	}

	/**
	 * What a typed call makes of its response, as {@code WebClient.retrieve()} would.
	 */
	@FunctionalInterface
	interface Reading<T> {

		/** For exceptions raised after the body was read: their body is empty. */
		BodyExtractor.Context NO_READERS = readers(List.of());

		Mono<T> read(ClientHttpResponse response, BodyExtractor.Context readers, HttpRequest request);

		/**
		 * The body decoded by the codecs, like {@code retrieve().bodyToMono(type)}.
		 */
		static <T> Reading<T> body(BodyExtractor<Mono<T>, ReactiveHttpInputMessage> extractor) {
			return (response, readers, request) -> {
				Mono<T> failed = statusError(response, readers, request);
				if (failed != null) {
					return failed;
				}
				return decoded(response, readers, request, extractor);
			};
		}

		/**
		 * The status, headers and decoded body, like {@code retrieve().toEntity(type)}.
		 */
		static <T> Reading<ResponseEntity<T>> entity(BodyExtractor<Mono<T>, ReactiveHttpInputMessage> extractor) {
			return (response, readers, request) -> {
				Mono<ResponseEntity<T>> failed = statusError(response, readers, request);
				if (failed != null) {
					return failed;
				}
				HttpHeaders headers = response.getHeaders();
				HttpStatusCode status = response.getStatusCode();
				return decoded(response, readers, request, extractor)
					.map((body) -> new ResponseEntity<>(body, headers, status))
					.defaultIfEmpty(new ResponseEntity<>(headers, status));
			};
		}

		/**
		 * The status and headers, the body read and dropped, like
		 * {@code retrieve().toBodilessEntity()}.
		 */
		static Reading<ResponseEntity<Void>> bodiless() {
			return (response, readers, request) -> {
				Mono<ResponseEntity<Void>> failed = statusError(response, readers, request);
				if (failed != null) {
					return failed;
				}
				ResponseEntity<Void> entity = new ResponseEntity<>(response.getHeaders(), response.getStatusCode());
				return response.getBody()
					.map(DataBufferUtils::release)
					.onErrorResume(Reading::wrapped, (ex) -> Mono.error(exception(response, request, ex)))
					.then(Mono.just(entity));
			};
		}

		private static <T> Mono<T> decoded(ClientHttpResponse response,
				BodyExtractor.Context readers, HttpRequest request,
				BodyExtractor<Mono<T>, ReactiveHttpInputMessage> extractor) {
			return extractor.extract(response, readers)
				.onErrorResume(Reading::wrapped, (ex) -> Mono.error(exception(response, request, ex)));
		}

		/**
		 * For a 4xx or 5xx, the {@link WebClientResponseException} {@code retrieve()} raises,
		 * with the body; {@code null} for any other status.
		 */
		static <T> @Nullable Mono<T> statusError(ClientHttpResponse response,
				BodyExtractor.Context readers, HttpRequest request) {
			if (!response.getStatusCode().isError()) {
				return null;
			}
			return BodyExtractors.toMono(byte[].class)
				.extract(response, readers)
				.defaultIfEmpty(new byte[0])
				.flatMap((body) -> Mono.error(statusException(response, body, readers, request)));
		}

		/**
		 * The exception {@code ClientResponse.createException()} makes: the status's standard
		 * reason phrase, the body, and the codecs for {@code getResponseBodyAs}.
		 */
		private static WebClientResponseException statusException(ClientHttpResponse response, byte[] body,
				BodyExtractor.Context readers, HttpRequest request) {
			HttpStatusCode status = response.getStatusCode();
			HttpHeaders headers = response.getHeaders();
			MediaType contentType = headers.getContentType();
			Charset charset = (contentType != null) ? contentType.getCharset() : null;
			WebClientResponseException exception = (status instanceof HttpStatus known)
					? WebClientResponseException.create(status, known.getReasonPhrase(), headers, body, charset,
							request)
					: new UnknownHttpStatusCodeException(status, headers, body, charset, request);
			exception.setBodyDecodeFunction((type) -> decode(body, type, contentType, readers));
			return exception;
		}

		private static @Nullable Object decode(byte[] body, ResolvableType type, @Nullable MediaType contentType,
				BodyExtractor.Context readers) {
			if (body.length == 0) {
				return null;
			}
			for (HttpMessageReader<?> reader : readers.messageReaders()) {
				if (reader.canRead(type, contentType) && reader instanceof DecoderHttpMessageReader<?> decoding) {
					return decoding.getDecoder()
						.decode(DefaultDataBufferFactory.sharedInstance.wrap(body), type, contentType, Map.of());
				}
			}
			throw new IllegalStateException("No suitable decoder");
		}

		/**
		 * Whether {@code retrieve()} would wrap a failure of reading the body into a
		 * {@link WebClientResponseException}: anything but its own and the codecs' errors.
		 */
		static boolean wrapped(Throwable failure) {
			return !(failure instanceof WebClientException) && !(failure instanceof CodecException);
		}

		static WebClientResponseException exception(ClientHttpResponse response,
				HttpRequest request, Throwable cause) {
			WebClientResponseException exception = statusException(response, new byte[0], NO_READERS, request);
			exception.initCause(cause);
			return exception;
		}


	}

	/**
	 * One call as the direct path sends it; also the request a
	 * {@link WebClientResponseException} reports, by its method and URI.
	 * @param method the method
	 * @param uri the URI, expanded and checked
	 * @param uriTemplate the template it was expanded from, or {@code null} for an exact URL
	 * @param context names the call in errors
	 * @param headers the call's own headers, or {@code null} for none
	 * @param accept the media types to accept, or {@code null} for any
	 */
	record Call(HttpMethod method, URI uri, @Nullable String uriTemplate, RequestContext context,
			@Nullable HttpHeaders headers, MediaType @Nullable [] accept) implements HttpRequest {

		io.netty.handler.codec.http.HttpMethod nettyMethod() {
			return io.netty.handler.codec.http.HttpMethod.valueOf(this.method.name());
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		public Map<String, Object> getAttributes() {
			return Map.of();
		}

		/** None: the exception of a status shows no request headers, which may hold secrets. */
		@Override
		public HttpHeaders getHeaders() {
			return HttpHeaders.EMPTY;
		}

	}

}
