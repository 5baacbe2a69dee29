package dev.asynchttp.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The {@link AsyncApiRequest} of {@link DefaultAsyncApiClient}. Input problems are recorded
 * as they are found and reported when the request is subscribed, as a typed error, before
 * anything is sent.
 */
final class DefaultAsyncApiRequest implements AsyncApiRequest {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/**
	 * Size of one file write of a download: large enough to make the cost per write
	 * negligible, small enough not to be a humongous object for G1 even in a small heap.
	 */
	private static final int WRITE_SIZE = 256 * 1024;

	private final DefaultAsyncApiClient client;

	private final HttpMethod method;

	private final String uriTemplate;

	private final Object[] uriVariables;

	private final HttpHeaders headers = new HttpHeaders();

	private final MultiValueMap<String, String> queryParams = new LinkedMultiValueMap<>();

	private @Nullable Object body;

	private @Nullable MediaType contentType;

	private MediaType @Nullable [] accept;

	private @Nullable Duration timeout;

	private @Nullable String problem;

	private boolean retry = true;

	private boolean markedIdempotent;

	/**
	 * Whether {@link #uriTemplate} is an exact URL, sent as it is (see
	 * {@link FetchRequest#url(String)}).
	 */
	private final boolean exactUrl;

	/**
	 * Named URI variables, used instead of {@link #uriVariables} when not {@code null}.
	 */
	private final @Nullable Map<String, ?> namedVariables;

	/**
	 * A complete URI given instead of a template (see {@link AsyncApiClient#request(HttpMethod, URI)}).
	 */
	private final @Nullable URI fullUri;

	private @Nullable Object apiVersion;

	DefaultAsyncApiRequest(DefaultAsyncApiClient client, HttpMethod method, String uriTemplate,
			Object[] uriVariables) {
		this(client, method, uriTemplate, uriVariables, false, null, null);
	}

	DefaultAsyncApiRequest(DefaultAsyncApiClient client, HttpMethod method, String uriTemplate,
			Map<String, ?> uriVariables) {
		this(client, method, uriTemplate, new Object[0], false, Map.copyOf(uriVariables), null);
	}

	DefaultAsyncApiRequest(DefaultAsyncApiClient client, HttpMethod method, URI uri) {
		this(client, method, uri.toString(), new Object[0], true, null, uri);
	}

	private DefaultAsyncApiRequest(DefaultAsyncApiClient client, HttpMethod method, String uriTemplate,
			Object[] uriVariables, boolean exactUrl, @Nullable Map<String, ?> namedVariables, @Nullable URI fullUri) {
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(uriTemplate, "'uriTemplate' must not be null");
		this.client = client;
		this.method = method;
		this.uriTemplate = uriTemplate;
		this.uriVariables = (uriVariables != null) ? uriVariables.clone() : new Object[0];
		this.exactUrl = exactUrl;
		this.namedVariables = namedVariables;
		this.fullUri = fullUri;
	}

	/**
	 * A request of an absolute, already encoded URL, sent exactly as given.
	 * @param client the client, which must have no {@code base-url}
	 * @param method the HTTP method
	 * @param url the URL
	 * @return the request
	 */
	static DefaultAsyncApiRequest exactUrl(DefaultAsyncApiClient client, HttpMethod method, String url) {
		return new DefaultAsyncApiRequest(client, method, url, new Object[0], true, null, null);
	}

	@Override
	public AsyncApiRequest header(String name, String... values) {
		if (!isToken(name)) {
			reject("header name is not a valid token");
			return this;
		}
		for (String value : values) {
			if (value == null || hasControlCharacters(value)) {
				// The value itself is never repeated: it may be a credential.
				reject("value of header '" + name + "' is missing or contains CR, LF or NUL");
				return this;
			}
		}
		this.headers.addAll(name, List.of(values));
		return this;
	}

	@Override
	public AsyncApiRequest headers(Consumer<HttpHeaders> headersConsumer) {
		headersConsumer.accept(this.headers);
		for (String name : this.headers.headerNames()) {
			if (!isToken(name)) {
				reject("header name is not a valid token");
			}
			for (String value : this.headers.getValuesAsList(name)) {
				if (hasControlCharacters(value)) {
					reject("value of header '" + name + "' contains CR, LF or NUL");
				}
			}
		}
		return this;
	}

	@Override
	public AsyncApiRequest queryParam(String name, Object... values) {
		if (name == null || name.isEmpty()) {
			reject("query parameter name is empty");
			return this;
		}
		for (Object value : values) {
			this.queryParams.add(name, Objects.toString(value, ""));
		}
		return this;
	}

	@Override
	public AsyncApiRequest body(Object body) {
		this.body = body;
		return this;
	}

	@Override
	public AsyncApiRequest contentType(MediaType contentType) {
		this.contentType = contentType;
		return this;
	}

	@Override
	public AsyncApiRequest accept(MediaType... mediaTypes) {
		this.accept = mediaTypes.clone();
		return this;
	}

	@Override
	public AsyncApiRequest timeout(Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			reject("timeout must be positive");
			return this;
		}
		this.timeout = timeout;
		return this;
	}

	@Override
	public AsyncApiRequest apiVersion(Object version) {
		Assert.notNull(version, "'version' must not be null");
		if (!this.client.settings().apiVersion().hasInsert()) {
			reject("an API version was given but the client has no api-version.insert.* setting to send it with");
			return this;
		}
		this.apiVersion = version;
		return this;
	}

	@Override
	public AsyncApiRequest noRetry() {
		this.retry = false;
		return this;
	}

	@Override
	public AsyncApiRequest idempotent() {
		this.markedIdempotent = true;
		return this;
	}

	@Override
	public <T> Mono<T> bodyToMono(Class<T> type) {
		return send((spec) -> spec.retrieve().bodyToMono(type));
	}

	@Override
	public <T> Mono<T> bodyToMono(ParameterizedTypeReference<T> type) {
		return send((spec) -> spec.retrieve().bodyToMono(type));
	}

	@Override
	public <T> Flux<T> bodyToFlux(Class<T> type) {
		return sendMany((response) -> response.bodyToFlux(type));
	}

	@Override
	public <T> Flux<T> bodyToFlux(ParameterizedTypeReference<T> type) {
		return sendMany((response) -> response.bodyToFlux(type));
	}

	private <T> Flux<T> sendMany(Function<WebClient.ResponseSpec, Flux<T>> body) {
		RequestContext context = context();
		return Flux.defer(() -> {
			URI uri = expand(context);
			return this.client.executeMany(context, deadline(), body.apply(spec(uri).retrieve()));
		});
	}

	@Override
	public <T> Mono<ResponseEntity<T>> toEntity(Class<T> type) {
		return send((spec) -> spec.retrieve().toEntity(type));
	}

	@Override
	public <T> Mono<ResponseEntity<T>> toEntity(ParameterizedTypeReference<T> type) {
		return send((spec) -> spec.retrieve().toEntity(type));
	}

	@Override
	public Mono<ResponseEntity<Void>> toBodilessEntity() {
		return send((spec) -> spec.retrieve().toBodilessEntity());
	}

	@Override
	public Mono<Long> download(Path target) {
		Assert.notNull(target, "'target' must not be null");
		Path file = target.toAbsolutePath();
		Path directory = file.getParent();
		Assert.notNull(directory, "'target' must be a file in a directory");
		RequestContext context = context();
		return Mono.defer(() -> {
			URI uri = expand(context);
			// The body goes to a temporary file next to the target, which becomes the target
			// in one atomic rename once every byte is there: a failed or cancelled download
			// never leaves a file under the target's name, nor a temporary file.
			Flux<Long> call = Flux.usingWhen(createTemporaryFile(directory, file),
					(temporary) -> spec(uri).retrieve()
						.toEntityFlux(DataBuffer.class)
						.flatMap((entity) -> write(entity, temporary, file, context)),
					DefaultAsyncApiRequest::deleteIfExists, (temporary, ex) -> deleteIfExists(temporary),
					DefaultAsyncApiRequest::deleteIfExists);
			return this.client.executeMany(context, deadline(), call).single();
		});
	}

	/**
	 * Send once under the client's policy, like {@link #toEntity(ParameterizedTypeReference)},
	 * and report the outcome as a {@link FetchResult}, never as an error.
	 */
	<T> Mono<FetchResult<T>> fetch(long index, FetchRequest item, ParameterizedTypeReference<T> type) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			Call call = new Call();
			return send((spec) -> spec.retrieve().toEntity(type), call)
				.map((entity) -> BatchFetcher.success(index, item, call.uri, entity, call.attempts(), start))
				.onErrorResume(
						(ex) -> Mono.just(BatchFetcher.failure(index, item, call.uri, ex, call.attempts(), start)));
		});
	}

	private <T> Mono<T> send(Function<WebClient.RequestHeadersSpec<?>, Mono<T>> exchange) {
		return send(exchange, null);
	}

	private <T> Mono<T> send(Function<WebClient.RequestHeadersSpec<?>, Mono<T>> exchange, @Nullable Call call) {
		RequestContext context = context();
		return Mono.defer(() -> {
			URI uri = expand(context);
			if (call != null) {
				call.uri = uri;
			}
			// The same spec serves every attempt: each subscription is a new exchange.
			return this.client.execute(context, deadline(), isIdempotent(), this.retry, uri,
					exchange.apply(spec(uri)), (state) -> {
						if (call != null) {
							call.state = state;
						}
					});
		});
	}

	private static Mono<Path> createTemporaryFile(Path directory, Path target) {
		// Created like any other file (umask permissions, unlike Files.createTempFile), so
		// that the downloaded file looks like one written in place.
		return Mono
			.fromCallable(() -> Files
				.createFile(directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".part")))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private static Mono<Long> write(ResponseEntity<Flux<DataBuffer>> entity, Path temporary, Path target,
			RequestContext context) {
		long expected = entity.getHeaders().getContentLength();
		AtomicLong received = new AtomicLong();
		Flux<DataBuffer> body = coalesce(Objects.requireNonNull(entity.getBody())
			.doOnNext((buffer) -> received.addAndGet(buffer.readableByteCount())));
		// DataBufferUtils.write asks for the next buffer only once the previous one is on
		// disk, so a slow disk slows the socket down instead of filling memory. The channel
		// is ours (not write(Publisher, Path)'s) so that cancelling also cancels the body.
		return Flux
			.using(() -> AsynchronousFileChannel.open(temporary, StandardOpenOption.WRITE),
					(channel) -> DataBufferUtils.write(body, channel), DefaultAsyncApiRequest::closeQuietly)
			.doOnNext(DataBufferUtils::release)
			.then(Mono.fromCallable(() -> complete(temporary, target, expected, received.get(), context))
				.subscribeOn(Schedulers.boundedElastic()));
	}

	/**
	 * Copy the body into heap buffers of {@value #WRITE_SIZE} bytes. Reactor Netty hands a
	 * body over in chunks of 8 KiB and every file write costs two thread hand-offs, so
	 * writing chunk by chunk was four times slower than the network. Each network buffer is
	 * released as soon as it is copied: no pooled buffer ever waits in an operator that
	 * could drop it on cancel, so none needs a discard hook, and none can be released twice
	 * by hooks that callers further down may have set. A dropped heap buffer is just garbage.
	 */
	private static Flux<DataBuffer> coalesce(Flux<DataBuffer> body) {
		return Flux.defer(() -> {
			WriteBuffers buffers = new WriteBuffers();
			return body.<DataBuffer>handle((buffer, sink) -> {
				try {
					DataBuffer full = buffers.add(buffer);
					if (full != null) {
						sink.next(full);
					}
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			}).concatWith(Mono.fromSupplier(buffers::rest));
		});
	}

	private static Long complete(Path temporary, Path target, long expected, long received, RequestContext context)
			throws IOException {
		if (expected >= 0 && received != expected) {
			// Reactor Netty reports a connection closed early itself; this catches whatever
			// else could end a body short of its Content-Length.
			throw new AsyncHttpConnectException(
					"response body ended after " + received + " of " + expected + " bytes (Content-Length)", context,
					RequestState.OUTCOME_UNKNOWN, new EOFException());
		}
		try {
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return received;
	}

	private static Mono<Void> deleteIfExists(Path file) {
		return Mono.fromCallable(() -> Files.deleteIfExists(file))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(IOException.class, (ex) -> Mono.just(false))
			.then();
	}

	private static void closeQuietly(AsynchronousFileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing left to do: the download has ended either way.
		}
	}

	private boolean isIdempotent() {
		return this.markedIdempotent || RetryPolicy.isIdempotent(this.method)
				|| this.headers.containsHeader(IDEMPOTENCY_KEY);
	}

	private RequestContext context() {
		// An exact URL is no template: messages show it without query and user info.
		String uri = this.exactUrl ? FetchRequest.withoutSecrets(this.uriTemplate) : this.uriTemplate;
		return new RequestContext(this.client.name(), this.method, uri);
	}

	private Duration deadline() {
		Duration total = this.client.settings().timeouts().total();
		return (this.timeout != null) ? this.timeout : Objects.requireNonNull(total);
	}

	private URI expand(RequestContext context) {
		if (this.problem != null) {
			throw new AsyncHttpInvalidRequestException(this.problem, context);
		}
		try {
			if (this.fullUri != null) {
				return this.client.uris().check(this.fullUri, this.queryParams);
			}
			if (this.exactUrl) {
				return exactUri();
			}
			if (this.namedVariables != null) {
				return this.client.uris().expand(this.uriTemplate, this.queryParams, this.namedVariables);
			}
			return this.client.uris().expand(this.uriTemplate, this.queryParams, this.uriVariables);
		}
		catch (IllegalArgumentException ex) {
			throw new AsyncHttpInvalidRequestException(String.valueOf(ex.getMessage()), context);
		}
	}

	/**
	 * The exact URL, checked as {@link SafeUris} checks the URIs of a client without a
	 * {@code base-url}. A client with one never sends it: only a template can be proven to
	 * stay under the base URL.
	 * @throws IllegalArgumentException with a message safe to show when the URL is refused
	 */
	private URI exactUri() {
		if (this.client.settings().baseUrl() != null) {
			throw new IllegalArgumentException("an exact URL is only sent by a client without base-url; this client"
					+ " resolves paths against " + this.client.settings().baseUrl() + ", so give a path template");
		}
		URI uri;
		try {
			uri = new URI(this.uriTemplate);
		}
		catch (URISyntaxException ex) {
			// The reason names the offending character and its index, never the URL itself.
			throw new IllegalArgumentException("not a valid, encoded URL: " + ex.getReason() + " at index "
					+ ex.getIndex());
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| uri.getRawAuthority() == null || uri.getHost() == null) {
			throw new IllegalArgumentException("request URI must be an absolute http or https URL");
		}
		if (uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException("request URI must not carry user info");
		}
		if (this.queryParams.isEmpty()) {
			return uri;
		}
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(uri);
		this.queryParams.forEach((name, values) -> values.forEach((value) -> builder.queryParam(
				UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8),
				UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8))));
		return builder.build(true).toUri();
	}

	private WebClient.RequestHeadersSpec<?> spec(URI uri) {
		WebClient.RequestBodySpec spec = this.client.webClient()
			.method(this.method)
			.uri(uri)
			.headers((target) -> target.addAll(this.headers));
		if (!this.exactUrl) {
			// An exact URL carries no template: as the metrics' uri tag it would add a value
			// per URL.
			spec = spec.attribute(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, this.uriTemplate);
		}
		if (this.contentType != null) {
			spec = spec.contentType(this.contentType);
		}
		if (this.accept != null) {
			spec = spec.accept(this.accept);
		}
		if (this.apiVersion != null) {
			spec = spec.apiVersion(this.apiVersion);
		}
		if (this.body != null) {
			// Without a content type the codecs choose: JSON for objects, text for strings.
			return spec.bodyValue(this.body);
		}
		return spec;
	}

	private void reject(String problem) {
		if (this.problem == null) {
			this.problem = problem;
		}
	}

	private static boolean hasControlCharacters(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n' || c == '\0') {
				return true;
			}
		}
		return false;
	}

	/**
	 * The heap buffer a download is filling, handed out for writing once full.
	 */
	private static final class WriteBuffers {

		private @Nullable DataBuffer current;

		/**
		 * Copy a network buffer in.
		 * @return the buffer that was full before it, if any, to be written
		 */
		@Nullable DataBuffer add(DataBuffer buffer) {
			int size = buffer.readableByteCount();
			DataBuffer full = null;
			if (this.current != null && this.current.readableByteCount() + size > WRITE_SIZE) {
				full = this.current;
				this.current = null;
			}
			if (this.current == null) {
				this.current = DefaultDataBufferFactory.sharedInstance.allocateBuffer(Math.max(WRITE_SIZE, size));
			}
			this.current.write(buffer);
			return full;
		}

		/**
		 * The last, partly filled buffer, if any.
		 */
		@Nullable DataBuffer rest() {
			DataBuffer rest = this.current;
			this.current = null;
			return rest;
		}

	}

	/**
	 * What a batch item needs to know about its call once it is over: the URI it went to
	 * and how many attempts it made.
	 */
	private static final class Call {

		private volatile @Nullable URI uri;

		private volatile @Nullable CallState state;

		int attempts() {
			CallState state = this.state;
			return (state != null) ? state.attempts() : 1;
		}

	}

	private static boolean isToken(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

}
