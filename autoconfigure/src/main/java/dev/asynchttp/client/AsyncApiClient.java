package dev.asynchttp.client;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
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
	 * Start a request that needs more than the shortcuts: headers, query parameters, a body,
	 * its own timeout.
	 * @param method the HTTP method
	 * @param uriTemplate the URI template, relative to the base URL
	 * @param uriVariables the URI variables, encoded
	 * @return a request to complete and then send with one of its terminal methods
	 */
	AsyncApiRequest request(HttpMethod method, String uriTemplate, Object... uriVariables);

	/**
	 * The fully configured {@link WebClient} behind this client (pool, timeouts, limiter,
	 * default headers, base URL, typed errors) for anything the other methods do not cover.
	 * Its calls are not bounded by the total deadline: add {@code timeout(...)} yourself.
	 * @return the client's WebClient
	 */
	WebClient webClient();

}
