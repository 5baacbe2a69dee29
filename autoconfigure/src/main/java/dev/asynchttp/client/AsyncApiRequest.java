package dev.asynchttp.client;

import java.time.Duration;
import java.util.function.Consumer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A request being put together by {@link AsyncApiClient#request}. Not thread-safe: build it
 * on one thread, then call one terminal method; each subscription to the returned publisher
 * sends the request once.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface AsyncApiRequest {

	/**
	 * Add a header. Values with line breaks are rejected before anything is sent.
	 * @param name the header name
	 * @param values the header values
	 * @return this request
	 */
	AsyncApiRequest header(String name, String... values);

	/**
	 * Change the headers at will.
	 * @param headersConsumer gets the request's headers
	 * @return this request
	 */
	AsyncApiRequest headers(Consumer<HttpHeaders> headersConsumer);

	/**
	 * Add a query parameter; its values are encoded like URI variables.
	 * @param name the parameter name
	 * @param values the parameter values
	 * @return this request
	 */
	AsyncApiRequest queryParam(String name, Object... values);

	/**
	 * Set the body, written as JSON unless {@link #contentType(MediaType)} says otherwise.
	 * @param body the body
	 * @return this request
	 */
	AsyncApiRequest body(Object body);

	/**
	 * Set the body's content type.
	 * @param contentType the content type
	 * @return this request
	 */
	AsyncApiRequest contentType(MediaType contentType);

	/**
	 * Set the accepted media types.
	 * @param mediaTypes the accepted media types
	 * @return this request
	 */
	AsyncApiRequest accept(MediaType... mediaTypes);

	/**
	 * Give this call its own total deadline instead of the client's {@code timeouts.total}.
	 * @param timeout the deadline for the whole call
	 * @return this request
	 */
	AsyncApiRequest timeout(Duration timeout);

	/**
	 * Never retry this call, whatever the client's retry policy says.
	 * @return this request
	 */
	AsyncApiRequest noRetry();

	/**
	 * Mark this call as safe to repeat even though its method is not idempotent (for example
	 * a POST the server deduplicates), so the retry policy treats it like a GET. A request
	 * with an {@code Idempotency-Key} header is treated so without this call.
	 * @return this request
	 */
	AsyncApiRequest idempotent();

	/**
	 * Send and decode the body.
	 * @param <T> the body type
	 * @param type the body type
	 * @return the decoded body; empty for an empty body
	 */
	<T> Mono<T> bodyToMono(Class<T> type);

	/**
	 * Send and decode the body to a generic type.
	 * @param <T> the body type
	 * @param type the body type
	 * @return the decoded body; empty for an empty body
	 */
	<T> Mono<T> bodyToMono(ParameterizedTypeReference<T> type);

	/**
	 * Send and decode the body as a stream of elements (a JSON array or a streaming media
	 * type). The total deadline covers the whole stream.
	 * @param <T> the element type
	 * @param type the element type
	 * @return the decoded elements
	 */
	<T> Flux<T> bodyToFlux(Class<T> type);

	/**
	 * Send and return status, headers and decoded body.
	 * @param <T> the body type
	 * @param type the body type
	 * @return the response entity
	 */
	<T> Mono<ResponseEntity<T>> toEntity(Class<T> type);

	/**
	 * Send, discard the body and return status and headers.
	 * @return the response entity without a body
	 */
	Mono<ResponseEntity<Void>> toBodilessEntity();

}
