package dev.asynchttp.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

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
	 * Give this call its own limit on the bytes of a streamed or downloaded body
	 * ({@link #stream()}, {@link #bodyToFlux}, {@link #download}) instead of the client's
	 * {@code max-response-size}, larger or smaller. Past it the call ends with
	 * {@link AsyncHttpResponseTooLargeException}. Bodies decoded in memory stay bounded by
	 * {@code max-in-memory-size}.
	 * @param maxResponseSize the most bytes of the body, counted after decompression; must
	 * be positive
	 * @return this request
	 */
	AsyncApiRequest maxResponseSize(DataSize maxResponseSize);

	/**
	 * Send this call with an API version instead of the client's {@code api-version.default},
	 * where the client's {@code api-version.insert.*} settings say. A client without those
	 * settings fails the call with {@link AsyncHttpInvalidRequestException}, unsent.
	 * @param version the API version
	 * @return this request
	 */
	AsyncApiRequest apiVersion(Object version);

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
	 * type). The total deadline covers the whole stream, and {@code max-response-size} (see
	 * {@link #maxResponseSize(DataSize)}) the bytes of the body.
	 * @param <T> the element type
	 * @param type the element type
	 * @return the decoded elements
	 */
	<T> Flux<T> bodyToFlux(Class<T> type);

	/**
	 * Send and decode the body as a stream of elements of a generic type, like
	 * {@link #bodyToFlux(Class)}.
	 * @param <T> the element type
	 * @param type the element type
	 * @return the decoded elements
	 */
	<T> Flux<T> bodyToFlux(ParameterizedTypeReference<T> type);

	/**
	 * Send and return status, headers and decoded body.
	 * @param <T> the body type
	 * @param type the body type
	 * @return the response entity
	 */
	<T> Mono<ResponseEntity<T>> toEntity(Class<T> type);

	/**
	 * Send and return status, headers and a body decoded to a generic type.
	 * @param <T> the body type
	 * @param type the body type
	 * @return the response entity
	 */
	<T> Mono<ResponseEntity<T>> toEntity(ParameterizedTypeReference<T> type);

	/**
	 * Send, discard the body and return status and headers.
	 * @return the response entity without a body
	 */
	Mono<ResponseEntity<Void>> toBodilessEntity();

	/**
	 * Send and return the body as it arrives, chunk by chunk, without ever holding it in
	 * memory: a consumer that requests slowly makes the client read the socket slowly.
	 * Not retried (chunks may already have reached the caller); the total deadline, by
	 * default {@code timeouts.total}, covers the whole body, so give a long body its own
	 * {@link #timeout(Duration)}. A consumer that stops requesting for longer than
	 * {@code timeouts.read} ends the stream with a read timeout.
	 * <p>
	 * <b>Every buffer must be released</b> once used, with
	 * {@link DataBufferUtils#release(DataBuffer)}; buffers an operator drops (for example
	 * {@code filter} or {@code skip}) need
	 * {@code doOnDiscard(DataBuffer.class, DataBufferUtils::release)}. Buffers not yet
	 * delivered when the stream is cancelled are released by the client.
	 * {@link #streamMapped(Function)} does all this for the caller.
	 * <p>
	 * A body that ends early (the connection closes before {@code Content-Length} bytes)
	 * ends the stream with {@link AsyncHttpConnectException}, never with completion; one
	 * larger than {@code max-response-size} (see {@link #maxResponseSize(DataSize)}) with
	 * {@link AsyncHttpResponseTooLargeException}.
	 * @return the body's buffers, to be released by the caller
	 */
	default Flux<DataBuffer> stream() {
		// DataBufferDecoder hands the buffers on as they arrive, and Reactor Netty stops
		// reading the socket while they are not requested: nothing is aggregated.
		return bodyToFlux(DataBuffer.class);
	}

	/**
	 * Like {@link #stream()}, but each buffer is mapped and then released, so nothing can
	 * leak. The mapper must copy what it needs: the buffer is released as soon as it
	 * returns.
	 * @param <R> the mapped type
	 * @param mapper maps one buffer; must not return {@code null}
	 * @return the mapped chunks
	 */
	default <R> Flux<R> streamMapped(Function<? super DataBuffer, ? extends R> mapper) {
		Assert.notNull(mapper, "'mapper' must not be null");
		return stream().map((buffer) -> {
			try {
				return mapper.apply(buffer);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		});
	}

	/**
	 * Send and write the body to a file with constant memory, reading the socket no faster
	 * than the disk takes the bytes. The body goes to a temporary file in the target's
	 * directory, which replaces the target in one atomic rename once complete; on any error
	 * or cancellation the temporary file is deleted and the target is left as it was. A
	 * body shorter than its {@code Content-Length} fails with
	 * {@link AsyncHttpConnectException}, one larger than {@code max-response-size} (see
	 * {@link #maxResponseSize(DataSize)}) with {@link AsyncHttpResponseTooLargeException}.
	 * <p>
	 * Not retried. The total deadline, by default {@code timeouts.total} (60 s unless
	 * configured), covers the whole download and would cut a large file short: give it a
	 * deadline of its own, for example
	 * {@code request(GET, "/files/{id}", id).timeout(Duration.ofHours(1)).download(target)}.
	 * @param target the file to write; its directory must exist
	 * @return the number of bytes written
	 */
	Mono<Long> download(Path target);

}
