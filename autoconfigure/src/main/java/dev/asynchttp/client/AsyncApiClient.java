package dev.asynchttp.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A named, tuned client for one HTTP API: the Spring Boot counterpart of an aiohttp
 * {@code ClientSession} with its own {@code TCPConnector}. Every method is non-blocking and
 * returns a cold publisher: nothing is sent until it is subscribed.
 * <p>
 * URI templates are resolved against the client's {@code base-url} and URI variables are
 * always encoded; a template or variable that would change scheme, host or port fails with
 * {@link AsyncHttpInvalidRequestException} before anything is sent. Transport failures are
 * {@link AsyncHttpException} subtypes; HTTP error statuses are Spring's
 * {@code WebClientResponseException}.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface AsyncApiClient {

	/**
	 * Name of this client, as in {@code async-http.clients.<name>}.
	 * @return the client name
	 */
	String name();

	/**
	 * Effective settings of this client, after all layers were merged.
	 * @return the settings
	 */
	AsyncApiClientSettings settings();

	/**
	 * GET a JSON resource.
	 * @param <T> the body type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param type the body type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded body; empty for an empty body
	 */
	default <T> Mono<T> get(String uriTemplate, Class<T> type, Object... uriVariables) {
		return request(HttpMethod.GET, uriTemplate, uriVariables).bodyToMono(type);
	}

	/**
	 * GET a JSON resource of a generic type.
	 * @param <T> the body type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param type the body type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded body; empty for an empty body
	 */
	default <T> Mono<T> get(String uriTemplate, ParameterizedTypeReference<T> type, Object... uriVariables) {
		return request(HttpMethod.GET, uriTemplate, uriVariables).bodyToMono(type);
	}

	/**
	 * POST a body as JSON and decode the JSON answer.
	 * @param <T> the answer type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param body the request body
	 * @param type the answer type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded answer; empty for an empty body
	 */
	default <T> Mono<T> post(String uriTemplate, Object body, Class<T> type, Object... uriVariables) {
		return request(HttpMethod.POST, uriTemplate, uriVariables).body(body).bodyToMono(type);
	}

	/**
	 * POST a body as JSON and decode a JSON answer of a generic type.
	 * @param <T> the answer type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param body the request body
	 * @param type the answer type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded answer; empty for an empty body
	 */
	default <T> Mono<T> post(String uriTemplate, Object body, ParameterizedTypeReference<T> type,
			Object... uriVariables) {
		return request(HttpMethod.POST, uriTemplate, uriVariables).body(body).bodyToMono(type);
	}

	/**
	 * PUT a body as JSON and decode the JSON answer.
	 * @param <T> the answer type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param body the request body
	 * @param type the answer type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded answer; empty for an empty body
	 */
	default <T> Mono<T> put(String uriTemplate, Object body, Class<T> type, Object... uriVariables) {
		return request(HttpMethod.PUT, uriTemplate, uriVariables).body(body).bodyToMono(type);
	}

	/**
	 * PATCH with a JSON body and decode the JSON answer.
	 * @param <T> the answer type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param body the request body
	 * @param type the answer type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded answer; empty for an empty body
	 */
	default <T> Mono<T> patch(String uriTemplate, Object body, Class<T> type, Object... uriVariables) {
		return request(HttpMethod.PATCH, uriTemplate, uriVariables).body(body).bodyToMono(type);
	}

	/**
	 * DELETE a resource and decode the JSON answer, if any.
	 * @param <T> the answer type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param type the answer type
	 * @param uriVariables the URI variables, encoded
	 * @return the decoded answer; empty for an empty body
	 */
	default <T> Mono<T> delete(String uriTemplate, Class<T> type, Object... uriVariables) {
		return request(HttpMethod.DELETE, uriTemplate, uriVariables).bodyToMono(type);
	}

	/**
	 * Fetch many URIs, at most {@code pool.max-connections} at once, and get one result per
	 * URI in completion order: the guide's crawler, asyncio's
	 * {@code gather(..., return_exceptions=True)}. See
	 * {@link #fetchAll(Publisher, ParameterizedTypeReference, FetchOptions)}.
	 * @param <T> the body type
	 * @param uris without a {@code base-url}, absolute URLs sent exactly as given (already
	 * encoded, see {@link FetchRequest#url(String)}); with one, paths resolved against it,
	 * written unencoded (see {@link FetchRequest#get})
	 * @param type the body type
	 * @return one result per URI, in completion order
	 */
	default <T> Flux<FetchResult<T>> fetchAll(Publisher<String> uris, Class<T> type) {
		return fetchAll(BatchFetcher.items(this, uris), type, FetchOptions.defaults());
	}

	/**
	 * Fetch many URIs, at most {@code concurrency} at once, and get one result per URI in
	 * completion order. See
	 * {@link #fetchAll(Publisher, ParameterizedTypeReference, FetchOptions)}.
	 * @param <T> the body type
	 * @param uris without a {@code base-url}, absolute URLs sent exactly as given (already
	 * encoded, see {@link FetchRequest#url(String)}); with one, paths resolved against it,
	 * written unencoded (see {@link FetchRequest#get})
	 * @param type the body type
	 * @param concurrency items in flight at once
	 * @return one result per URI, in completion order
	 */
	default <T> Flux<FetchResult<T>> fetchAll(Publisher<String> uris, Class<T> type, int concurrency) {
		return fetchAll(BatchFetcher.items(this, uris), type, FetchOptions.defaults().withConcurrency(concurrency));
	}

	/**
	 * Fetch many URIs, at most {@code pool.max-connections} at once, and get one result per
	 * URI in input order. See
	 * {@link #fetchAll(Publisher, ParameterizedTypeReference, FetchOptions)}.
	 * @param <T> the body type
	 * @param uris without a {@code base-url}, absolute URLs sent exactly as given (already
	 * encoded, see {@link FetchRequest#url(String)}); with one, paths resolved against it,
	 * written unencoded (see {@link FetchRequest#get})
	 * @param type the body type
	 * @return one result per URI, in input order
	 */
	default <T> Flux<FetchResult<T>> fetchAllOrdered(Publisher<String> uris, Class<T> type) {
		return fetchAll(BatchFetcher.items(this, uris), type, FetchOptions.defaults().inInputOrder());
	}

	/**
	 * Fetch many requests and get one result per request. See
	 * {@link #fetchAll(Publisher, ParameterizedTypeReference, FetchOptions)}.
	 * @param <T> the body type
	 * @param requests the requests, pulled as the batch has room for them
	 * @param type the body type
	 * @param options concurrency, order and per-item deadline
	 * @return one result per request
	 */
	default <T> Flux<FetchResult<T>> fetchAll(Publisher<FetchRequest> requests, Class<T> type,
			FetchOptions options) {
		return fetchAll(requests, ParameterizedTypeReference.forType(type), options);
	}

	/**
	 * Fetch many requests and get one {@link FetchResult} per request, holding the value or
	 * the typed error, the status, the attempts and the duration. One failing item never
	 * fails the batch; only a failure of the source itself does.
	 * <ul>
	 * <li>At most {@link FetchOptions#withConcurrency concurrency} items run at once
	 * (default: {@code pool.max-connections}). Requests are pulled from the source only as
	 * items finish, so a source of a million URIs is never held in memory: generate it
	 * lazily ({@code Flux.range(...).map(...)}) or read it as a stream ({@code Iterable}s:
	 * {@code Flux.fromIterable}).</li>
	 * <li>Results come in completion order, or in input order with
	 * {@link FetchOptions#inInputOrder()}; {@link FetchResult#index()} is the input
	 * position either way.</li>
	 * <li>Each item is a call like {@link #request}: the same URI rules (absolute URLs
	 * without a {@code base-url}, paths that cannot leave it with one; an item that breaks
	 * them fails alone, unsent), retry policy, rate limit, total deadline (or
	 * {@link FetchOptions#withTimeout}), typed errors and metrics. Its body is decoded in
	 * memory, so {@code max-in-memory-size} applies. {@link FetchRequest#url(String)} items
	 * are sent exactly as given, for URLs that are already encoded.</li>
	 * <li>Cancelling the returned {@code Flux} cancels the items in flight; their
	 * connections are closed and their permits returned.</li>
	 * </ul>
	 * @param <T> the body type
	 * @param requests the requests, pulled as the batch has room for them
	 * @param type the body type
	 * @param options concurrency, order and per-item deadline
	 * @return one result per request
	 */
	default <T> Flux<FetchResult<T>> fetchAll(Publisher<FetchRequest> requests, ParameterizedTypeReference<T> type,
			FetchOptions options) {
		return BatchFetcher.fetchAll(this, requests, type, options);
	}

	/**
	 * GET a body as a stream of buffers that are never aggregated in memory; a slow
	 * consumer slows the socket down. <b>The caller must release every buffer</b>, or use
	 * {@link #streamMapped}. Not retried, and bounded by {@code timeouts.total}: for a long
	 * body use {@code request(GET, ...).timeout(...).stream()}. See
	 * {@link AsyncApiRequest#stream()}.
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param uriVariables the URI variables, encoded
	 * @return the body's buffers, to be released by the caller
	 */
	default Flux<DataBuffer> stream(String uriTemplate, Object... uriVariables) {
		return request(HttpMethod.GET, uriTemplate, uriVariables).stream();
	}

	/**
	 * GET a body as a stream, map each buffer and release it: the leak-proof form of
	 * {@link #stream}. The mapper must copy what it needs. See
	 * {@link AsyncApiRequest#streamMapped(Function)}.
	 * @param <R> the mapped type
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param mapper maps one buffer; must not return {@code null}
	 * @param uriVariables the URI variables, encoded
	 * @return the mapped chunks
	 */
	default <R> Flux<R> streamMapped(String uriTemplate, Function<? super DataBuffer, ? extends R> mapper,
			Object... uriVariables) {
		return request(HttpMethod.GET, uriTemplate, uriVariables).streamMapped(mapper);
	}

	/**
	 * GET a body into a file with constant memory: written to a temporary file next to the
	 * target and renamed onto it once complete, so a failed, truncated or cancelled download
	 * never leaves a file that looks complete. Not retried, and bounded by
	 * {@code timeouts.total} (60 s by default), which would cut a large file short: use
	 * {@code request(GET, ...).timeout(Duration.ofHours(1)).download(target)} for those.
	 * See {@link AsyncApiRequest#download(Path)}.
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param target the file to write; its directory must exist
	 * @param uriVariables the URI variables, encoded
	 * @return the number of bytes written
	 */
	default Mono<Long> download(String uriTemplate, Path target, Object... uriVariables) {
		return request(HttpMethod.GET, uriTemplate, uriVariables).download(target);
	}

	/**
	 * Start a request that needs more than the shortcuts: headers, query parameters, a body,
	 * its own timeout.
	 * @param method the HTTP method
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param uriVariables the URI variables, encoded
	 * @return a request to complete and then send with one of its terminal methods
	 */
	AsyncApiRequest request(HttpMethod method, String uriTemplate, Object... uriVariables);

	/**
	 * Start a request whose URI template has named variables, as HTTP interfaces give them
	 * ({@code @PathVariable}). Same rules as {@link #request(HttpMethod, String, Object...)}:
	 * variables are strictly encoded and the result must stay under the base URL.
	 * @param method the HTTP method
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param uriVariables the URI variables by name, encoded
	 * @return a request to complete and then send with one of its terminal methods
	 */
	AsyncApiRequest request(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables);

	/**
	 * Start a request of a complete URI, such as an HTTP interface's {@code URI} argument.
	 * With a {@code base-url} it must be a path starting with '/' (resolved against it) or an
	 * absolute URL under it; without one, an absolute http or https URL. It must be encoded
	 * already and carry no user info; anything else fails with
	 * {@link AsyncHttpInvalidRequestException} before it is sent. Its metrics have
	 * {@code uri=none}, as there is no template.
	 * @param method the HTTP method
	 * @param uri the URI
	 * @return a request to complete and then send with one of its terminal methods
	 */
	AsyncApiRequest request(HttpMethod method, URI uri);

	/**
	 * The fully configured {@link WebClient} behind this client (pool, timeouts, limiter,
	 * default headers, base URL, typed errors) for anything the other methods do not cover.
	 * Its calls are not bounded by the total deadline: add {@code timeout(...)} yourself.
	 * @return the client's WebClient
	 */
	WebClient webClient();

}
