package dev.asynchttp.client;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.Assert;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.ObjectUtils;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * The carrier of a direct attempt's {@code http.client.requests} observation: a
 * {@link ClientRequest.Builder} that reads and writes as
 * {@code ClientRequest.create(method, uri)} with the call's headers and URI template would,
 * and whose {@link #build() requests} are views of it, as Spring's are of its builder.
 * <p>
 * Spring's builder fills a header map, a cookie map and an attribute map for every request,
 * and each of the two builds of an observed exchange wraps them again; most observations
 * never look at any of them (the convention reads the method and the URL, a tracing handler
 * writes one header). Here each is made when a handler or filter first touches it, the
 * headers from the call's own, so that an untouched carrier costs two small objects and the
 * call's headers are sent as without an observation.
 * <p>
 * Like Spring's builder it is not thread-safe: the observation's start, the exchange and
 * the stop that use it are ordered by the Reactor signals between them.
 */
final class ObservationCarrier implements ClientRequest.Builder {

	private HttpMethod method;

	private URI url;

	private final @Nullable String uriTemplate;

	private final Consumer<HttpHeaders> callHeaders;

	private @Nullable HttpHeaders headers;

	private @Nullable MultiValueMap<String, String> cookies;

	private @Nullable Map<String, Object> attributes;

	private BodyInserter<?, ? super ClientHttpRequest> body = BodyInserters.empty();

	private @Nullable Consumer<ClientHttpRequest> httpRequestConsumer;

	private @Nullable View built;

	/**
	 * The carrier of one attempt.
	 * @param method the method
	 * @param url the URI
	 * @param uriTemplate the template the URI was expanded from, or {@code null}
	 * @param callHeaders writes the headers the call is sent with
	 */
	ObservationCarrier(HttpMethod method, URI url, @Nullable String uriTemplate, Consumer<HttpHeaders> callHeaders) {
		this.method = method;
		this.url = url;
		this.uriTemplate = uriTemplate;
		this.callHeaders = callHeaders;
	}

	/**
	 * Whether a handler or filter has read or written the headers, which are then the ones
	 * to send; until then they are exactly the call's own.
	 */
	boolean headersTouched() {
		return this.headers != null;
	}

	HttpHeaders headers() {
		HttpHeaders headers = this.headers;
		if (headers == null) {
			headers = new HttpHeaders();
			this.callHeaders.accept(headers);
			this.headers = headers;
		}
		return headers;
	}

	private MultiValueMap<String, String> cookies() {
		MultiValueMap<String, String> cookies = this.cookies;
		if (cookies == null) {
			cookies = new LinkedMultiValueMap<>();
			this.cookies = cookies;
		}
		return cookies;
	}

	private Map<String, Object> attributes() {
		Map<String, Object> attributes = this.attributes;
		if (attributes == null) {
			attributes = new LinkedHashMap<>();
			if (this.uriTemplate != null) {
				attributes.put(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, this.uriTemplate);
			}
			// Spring's first build puts the log id; it is made here when the map is.
			attributes.put(ClientRequest.LOG_ID_ATTRIBUTE, ObjectUtils.getIdentityHexString(this));
			this.attributes = attributes;
		}
		return attributes;
	}

	@Override
	public ClientRequest.Builder method(HttpMethod method) {
		Assert.notNull(method, "HttpMethod must not be null");
		this.method = method;
		return this;
	}

	@Override
	public ClientRequest.Builder url(URI url) {
		Assert.notNull(url, "URI must not be null");
		this.url = url;
		return this;
	}

	@Override
	public ClientRequest.Builder header(String headerName, String... headerValues) {
		HttpHeaders headers = headers();
		for (String headerValue : headerValues) {
			headers.add(headerName, headerValue);
		}
		return this;
	}

	@Override
	public ClientRequest.Builder headers(Consumer<HttpHeaders> headersConsumer) {
		headersConsumer.accept(headers());
		return this;
	}

	@Override
	public ClientRequest.Builder cookie(String name, String... values) {
		MultiValueMap<String, String> cookies = cookies();
		for (String value : values) {
			cookies.add(name, value);
		}
		return this;
	}

	@Override
	public ClientRequest.Builder cookies(Consumer<MultiValueMap<String, String>> cookiesConsumer) {
		cookiesConsumer.accept(cookies());
		return this;
	}

	@Override
	public ClientRequest.Builder body(BodyInserter<?, ? super ClientHttpRequest> inserter) {
		this.body = inserter;
		return this;
	}

	@Override
	public <S, P extends Publisher<S>> ClientRequest.Builder body(P publisher, Class<S> elementClass) {
		return body(BodyInserters.fromPublisher(publisher, elementClass));
	}

	@Override
	public <S, P extends Publisher<S>> ClientRequest.Builder body(P publisher,
			ParameterizedTypeReference<S> typeReference) {
		return body(BodyInserters.fromPublisher(publisher, typeReference));
	}

	@Override
	public ClientRequest.Builder attribute(String name, Object value) {
		attributes().put(name, value);
		return this;
	}

	@Override
	public ClientRequest.Builder attributes(Consumer<Map<String, Object>> attributesConsumer) {
		attributesConsumer.accept(attributes());
		return this;
	}

	@Override
	public ClientRequest.Builder httpRequest(Consumer<ClientHttpRequest> requestConsumer) {
		this.httpRequestConsumer = (this.httpRequestConsumer != null)
				? this.httpRequestConsumer.andThen(requestConsumer) : requestConsumer;
		return this;
	}

	@Override
	public ClientRequest build() {
		// An observed exchange builds twice, before and after the start; nothing changes between.
		View last = this.built;
		if (last != null && last.method() == this.method && last.url() == this.url && last.body() == this.body
				&& last.httpRequest() == this.httpRequestConsumer) {
			return last;
		}
		View view = new View(this, this.method, this.url, this.body, this.httpRequestConsumer);
		this.built = view;
		return view;
	}

	/**
	 * A built request: method, URL, body and request consumer as at the build, headers,
	 * cookies and attributes read-only views of the carrier's.
	 */
	private record View(ObservationCarrier carrier, HttpMethod method, URI url,
			BodyInserter<?, ? super ClientHttpRequest> body,
			@Nullable Consumer<ClientHttpRequest> httpRequest) implements ClientRequest {

		@Override
		public HttpHeaders headers() {
			return HttpHeaders.readOnlyHttpHeaders(this.carrier.headers());
		}

		@Override
		public MultiValueMap<String, String> cookies() {
			return CollectionUtils.unmodifiableMultiValueMap(this.carrier.cookies());
		}

		@Override
		public Map<String, Object> attributes() {
			return Collections.unmodifiableMap(this.carrier.attributes());
		}

		@Override
		public String logPrefix() {
			return "[" + this.carrier.attributes().get(LOG_ID_ATTRIBUTE) + "] ";
		}

		/** Writes as Spring's request of the same content would. */
		@Override
		public Mono<Void> writeTo(ClientHttpRequest request, ExchangeStrategies strategies) {
			return ClientRequest.from(this).build().writeTo(request, strategies);
		}

	}

}
