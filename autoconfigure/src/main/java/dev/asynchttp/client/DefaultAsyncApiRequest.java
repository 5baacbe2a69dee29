package dev.asynchttp.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpResponseTooLargeException.Limit;
import dev.asynchttp.client.DirectExchange.Reading;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link AsyncApiRequest} of {@link DefaultAsyncApiClient}. Input problems are recorded
 * as they are found and reported when the request is subscribed, as a typed error, before
 * anything is sent.
 */
final class DefaultAsyncApiRequest implements AsyncApiRequest {

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final DefaultAsyncApiClient client;

	private final HttpMethod method;

	private final String uriTemplate;

	private final Object[] uriVariables;

	/**
	 * Headers of this call, made on first use: most calls have none.
	 */
	private @Nullable HttpHeaders headers;

	/**
	 * Query parameters of this call, made on first use.
	 */
	private @Nullable MultiValueMap<String, String> queryParams;

	private @Nullable Object body;

	private @Nullable MediaType contentType;

	private MediaType @Nullable [] accept;

	private @Nullable Duration timeout;

	private @Nullable DataSize maxResponseSize;

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
		headers().addAll(name, List.of(values));
		return this;
	}

	@Override
	public AsyncApiRequest headers(Consumer<HttpHeaders> headersConsumer) {
		HttpHeaders headers = headers();
		headersConsumer.accept(headers);
		for (String name : headers.headerNames()) {
			if (!isToken(name)) {
				reject("header name is not a valid token");
			}
			for (String value : headers.getValuesAsList(name)) {
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
		MultiValueMap<String, String> queryParams = this.queryParams;
		if (queryParams == null) {
			queryParams = new LinkedMultiValueMap<>();
			this.queryParams = queryParams;
		}
		for (Object value : values) {
			queryParams.add(name, Objects.toString(value, ""));
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
	public AsyncApiRequest maxResponseSize(DataSize maxResponseSize) {
		if (maxResponseSize == null || maxResponseSize.toBytes() <= 0) {
			reject("maxResponseSize must be positive");
			return this;
		}
		this.maxResponseSize = maxResponseSize;
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
		return send((spec) -> spec.retrieve().bodyToMono(type), (direct) -> Reading.body(direct.extractor(type)),
				null);
	}

	@Override
	public <T> Mono<T> bodyToMono(ParameterizedTypeReference<T> type) {
		return send((spec) -> spec.retrieve().bodyToMono(type), (direct) -> Reading.body(BodyExtractors.toMono(type)),
				null);
	}

	@Override
	public <T> Flux<T> bodyToFlux(Class<T> type) {
		return sendMany(extractor(type));
	}

	@SuppressWarnings("unchecked")
	private static <T> BodyExtractor<Flux<T>, ? super ClientHttpResponse> extractor(Class<T> type) {
		if (type == DataBuffer.class) {
			// The buffers as they come, as ClientResponse.bodyToFlux(DataBuffer.class) hands them.
			return (BodyExtractor<Flux<T>, ? super ClientHttpResponse>) (BodyExtractor<?, ?>) BodyExtractors
				.toDataBuffers();
		}
		return BodyExtractors.toFlux(type);
	}

	@Override
	public <T> Flux<T> bodyToFlux(ParameterizedTypeReference<T> type) {
		return sendMany(BodyExtractors.toFlux(type));
	}

	private <T> Flux<T> sendMany(BodyExtractor<Flux<T>, ? super ClientHttpResponse> body) {
		RequestContext context = context();
		return Flux.defer(() -> {
			URI uri = expand(context);
			BodyExtractor<Flux<T>, ClientHttpResponse> limited = sizeLimit(context).apply(body);
			DirectExchange direct = this.client.direct();
			Flux<T> call = sendsDirectly(direct)
					? direct.stream(call(uri, context), limited)
					: spec(uri).retrieve()
						.toEntityFlux(limited)
						.flatMapMany((entity) -> Objects.requireNonNull(entity.getBody()));
			return this.client.executeMany(context, deadline(), call);
		});
	}

	/**
	 * The limit of a streamed body: this call's own, else the client's.
	 */
	private ResponseSizeLimit sizeLimit(RequestContext context) {
		if (this.maxResponseSize != null) {
			return new ResponseSizeLimit(context, Limit.REQUEST_MAX_RESPONSE_SIZE, this.maxResponseSize);
		}
		return new ResponseSizeLimit(context, Limit.MAX_RESPONSE_SIZE,
				Objects.requireNonNull(this.client.settings().maxResponseSize()));
	}

	@Override
	public <T> Mono<ResponseEntity<T>> toEntity(Class<T> type) {
		return send((spec) -> spec.retrieve().toEntity(type), (direct) -> Reading.entity(direct.extractor(type)),
				null);
	}

	@Override
	public <T> Mono<ResponseEntity<T>> toEntity(ParameterizedTypeReference<T> type) {
		return send((spec) -> spec.retrieve().toEntity(type), (direct) -> Reading.entity(BodyExtractors.toMono(type)),
				null);
	}

	@Override
	public Mono<ResponseEntity<Void>> toBodilessEntity() {
		return send((spec) -> spec.retrieve().toBodilessEntity(), (direct) -> Reading.bodiless(), null);
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
			ResponseSizeLimit limit = sizeLimit(context);
			Flux<Long> call = FileDownload.to(directory, file, context,
					() -> spec(uri).retrieve().toEntityFlux(limit.apply(BodyExtractors.toDataBuffers())));
			return this.client.executeMany(context, deadline(), call).single();
		});
	}

	/**
	 * Like {@link #toEntity(ParameterizedTypeReference)}, and note in {@code record} the URI
	 * the call went to and the attempts it made.
	 */
	<T> Mono<ResponseEntity<T>> toEntity(ParameterizedTypeReference<T> type, CallRecord record) {
		return send((spec) -> spec.retrieve().toEntity(type), (direct) -> Reading.entity(BodyExtractors.toMono(type)),
				record);
	}

	/**
	 * Send the call, through {@code WebClient} with {@code exchange}, or directly with
	 * {@code reading} when the client and this request allow it ({@link DirectExchange}).
	 */
	private <T> Mono<T> send(Function<WebClient.RequestHeadersSpec<?>, Mono<T>> exchange,
			Function<DirectExchange, Reading<T>> reading, @Nullable CallRecord call) {
		RequestContext context = context();
		return Mono.defer(() -> {
			URI uri = expand(context);
			if (call != null) {
				call.uri(uri);
			}
			// The same attempt serves every retry: each subscription is a new exchange.
			DirectExchange direct = this.client.direct();
			Mono<T> attempt = sendsDirectly(direct)
					? direct.attempt(call(uri, context), reading.apply(direct))
					: exchange.apply(spec(uri));
			return this.client.execute(context, deadline(), isIdempotent(), this.retry, uri, attempt, (state) -> {
						if (call != null) {
							call.state(state);
						}
					});
		});
	}

	/**
	 * Whether this call may skip {@code WebClient}: the client allows it, and the call has
	 * no body to encode and no API version to insert.
	 */
	private boolean sendsDirectly(@Nullable DirectExchange direct) {
		return direct != null && this.body == null && this.apiVersion == null;
	}

	private DirectExchange.Call call(URI uri, RequestContext context) {
		// An exact URL carries no template, as on the WebClient path.
		return new DirectExchange.Call(this.method, uri, this.exactUrl ? null : this.uriTemplate, context,
				this.headers, this.accept);
	}

	private boolean isIdempotent() {
		return this.markedIdempotent || RetryPolicy.isIdempotent(this.method)
				|| (this.headers != null && this.headers.containsHeader(IDEMPOTENCY_KEY));
	}

	private HttpHeaders headers() {
		HttpHeaders headers = this.headers;
		if (headers == null) {
			headers = new HttpHeaders();
			this.headers = headers;
		}
		return headers;
	}

	private RequestContext context() {
		// Stored as given: the exceptions that show it mask user info and query values.
		return new RequestContext(this.client.name(), this.method, this.uriTemplate);
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
				return this.client.uris().exact(this.uriTemplate, this.queryParams);
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

	private WebClient.RequestHeadersSpec<?> spec(URI uri) {
		WebClient.RequestBodySpec spec = this.client.webClient().method(this.method).uri(uri);
		HttpHeaders headers = this.headers;
		if (headers != null) {
			spec = spec.headers((target) -> target.addAll(headers));
		}
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
			if (Boolean.TRUE.equals(this.client.settings().redirects().follow())) {
				// A value is written anew on every subscription, so a 307 or 308 may send it again.
				spec = spec.attribute(FollowRedirects.REPLAYABLE_BODY_ATTRIBUTE, Boolean.TRUE);
			}
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
