package dev.asynchttp.client;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpResponseTooLargeException.Limit;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpResponseDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyExtractor;

/**
 * The {@code max-response-size} of one streamed or downloaded call. Bytes are counted as
 * they come off the connection, after Netty has inflated a compressed body (and dropped its
 * {@code Content-Length}), so a small compressed body cannot expand past the limit. Going
 * over it ends the body with {@link AsyncHttpResponseTooLargeException}, which cancels the
 * body: Reactor Netty then closes the connection rather than pool it with unread data.
 * Only streaming calls are counted here; bodies decoded in memory are already bounded by
 * {@code max-in-memory-size}.
 */
final class ResponseSizeLimit {

	private final RequestContext request;

	private final Limit limit;

	private final DataSize maxSize;

	private final long maxBytes;

	ResponseSizeLimit(RequestContext request, Limit limit, DataSize maxSize) {
		this.request = request;
		this.limit = limit;
		this.maxSize = maxSize;
		this.maxBytes = maxSize.toBytes();
	}

	/**
	 * Apply the limit to the body {@code extractor} reads.
	 * @param extractor reads the body (decoding it, or as buffers)
	 * @return the same extractor, reading a body that fails once over the limit
	 */
	<T> BodyExtractor<Flux<T>, ClientHttpResponse> apply(BodyExtractor<Flux<T>, ? super ClientHttpResponse> extractor) {
		return (response, context) -> extractor.extract(new LimitedResponse(response), context);
	}

	private Flux<DataBuffer> limit(Flux<DataBuffer> body, long contentLength) {
		if (contentLength > this.maxBytes) {
			return Flux.defer(() -> {
				// Subscribed to and at once cancelled, the body is never read: its connection
				// is closed instead of drained, and its permit is released.
				body.subscribe(new BaseSubscriber<>() {

					@Override
					protected void hookOnSubscribe(Subscription subscription) {
						subscription.cancel();
					}

				});
				return Flux.error(tooLarge(contentLength));
			});
		}
		return Flux.defer(() -> {
			long[] received = new long[1];
			return body.handle((buffer, sink) -> {
				received[0] += buffer.readableByteCount();
				if (received[0] > this.maxBytes) {
					DataBufferUtils.release(buffer);
					sink.error(tooLarge(-1));
				}
				else {
					sink.next(buffer);
				}
			});
		});
	}

	private AsyncHttpResponseTooLargeException tooLarge(long contentLength) {
		return new AsyncHttpResponseTooLargeException(this.request, this.limit, this.maxSize, contentLength);
	}

	private final class LimitedResponse extends ClientHttpResponseDecorator {

		LimitedResponse(ClientHttpResponse delegate) {
			super(delegate);
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return limit(getDelegate().getBody(), getHeaders().getContentLength());
		}

	}

}
