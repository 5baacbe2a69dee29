package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Runs {@link AsyncApiClient#fetchAll}: a bounded number of items at once, inputs pulled
 * from the source only as items finish, and every item built and sent exactly like a
 * {@link AsyncApiClient#request} call, so that retries, rate limits, timeouts, typed
 * errors and metrics apply to it as to any other call.
 */
final class BatchFetcher {

	private BatchFetcher() {
	}

	/**
	 * Sends the items of a batch for one client.
	 */
	interface Sender {

		/**
		 * Send one item once under the client's policy.
		 * @param item the item
		 * @param timeout the item's deadline, or {@code null} for the client's
		 * @param type the body type
		 * @param record notes the URI the call went to and the attempts it made, where the
		 * client can tell
		 * @return the response
		 */
		<T> Mono<ResponseEntity<T>> send(FetchRequest item, @Nullable Duration timeout,
				ParameterizedTypeReference<T> type, CallRecord record);

	}

	/**
	 * Run a batch through any client's {@link AsyncApiClient#request}: exact URLs go in as
	 * templates, and attempts and URIs are not known.
	 */
	static <T> Flux<FetchResult<T>> fetchAll(AsyncApiClient client, Publisher<FetchRequest> requests,
			ParameterizedTypeReference<T> type, FetchOptions options) {
		return fetchAll(client, requests, type, options, new Sender() {

			@Override
			public <B> Mono<ResponseEntity<B>> send(FetchRequest item, @Nullable Duration timeout,
					ParameterizedTypeReference<B> bodyType, CallRecord record) {
				return prepare(client.request(item.method(), item.uriTemplate(), item.uriVariables().toArray()), item,
						timeout)
					.toEntity(bodyType);
			}

		});
	}

	static <T> Flux<FetchResult<T>> fetchAll(AsyncApiClient client, Publisher<FetchRequest> requests,
			ParameterizedTypeReference<T> type, FetchOptions options, Sender sender) {
		Assert.notNull(requests, "'requests' must not be null");
		Assert.notNull(type, "'type' must not be null");
		Assert.notNull(options, "'options' must not be null");
		int concurrency = (options.getConcurrency() > 0) ? options.getConcurrency() : defaultConcurrency(client);
		Function<Tuple2<Long, FetchRequest>, Mono<FetchResult<T>>> fetch = (item) -> fetch(sender, item.getT1(),
				item.getT2(), type, options);
		// flatMap runs at most 'concurrency' items and asks the source for more only as they
		// finish, so a source of a million URIs is never read ahead; flatMapSequential also
		// holds back at most that many finished results while an earlier item still runs.
		Flux<Tuple2<Long, FetchRequest>> items = Flux.from(requests).index();
		return options.isInputOrder() ? items.flatMapSequential(fetch, concurrency, 1)
				: items.flatMap(fetch, concurrency, 1);
	}

	/**
	 * Give a request the item's query parameters, headers and deadline.
	 */
	static AsyncApiRequest prepare(AsyncApiRequest request, FetchRequest item, @Nullable Duration timeout) {
		item.queryParams().forEach((name, values) -> request.queryParam(name, values.toArray()));
		item.headers().forEach((name, values) -> request.header(name, values.toArray(String[]::new)));
		if (timeout != null) {
			request.timeout(timeout);
		}
		return request;
	}

	/**
	 * The items for a source of strings: exact URLs (crawler style, as found in pages) for a
	 * client without a {@code base-url}, path templates for a client with one.
	 */
	static Flux<FetchRequest> items(AsyncApiClient client, Publisher<String> uris) {
		return Flux.defer(() -> {
			boolean absolute = client.settings().baseUrl() == null;
			return Flux.from(uris).map((uri) -> absolute ? FetchRequest.url(uri) : FetchRequest.get(uri));
		});
	}

	private static <T> Mono<FetchResult<T>> fetch(Sender sender, long index, FetchRequest item,
			ParameterizedTypeReference<T> type, FetchOptions options) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			CallRecord record = new CallRecord();
			return sender.send(item, options.getTimeout(), type, record)
				.map((entity) -> success(index, item, record.uri(), entity, record.attempts(), start))
				.onErrorResume((ex) -> Mono.just(failure(index, item, record.uri(), ex, record.attempts(), start)));
		});
	}

	private static <T> FetchResult<T> success(long index, FetchRequest item, @Nullable URI uri, ResponseEntity<T> entity,
			int attempts, long startNanos) {
		return new FetchResult<>(index, item, uri, entity.getStatusCode(), entity.getBody(), null, attempts,
				Duration.ofNanos(System.nanoTime() - startNanos));
	}

	/**
	 * A failed item; the attempts of an {@link AsyncHttpException} are its own, as the
	 * retry policy recorded them.
	 */
	private static <T> FetchResult<T> failure(long index, FetchRequest item, @Nullable URI uri, Throwable error,
			int attempts, long startNanos) {
		int made = (error instanceof AsyncHttpException typed) ? typed.getAttempts() : attempts;
		return new FetchResult<>(index, item, uri, statusOf(error), null, error, made,
				Duration.ofNanos(System.nanoTime() - startNanos));
	}

	private static @Nullable HttpStatusCode statusOf(Throwable error) {
		if (error instanceof WebClientResponseException response) {
			return response.getStatusCode();
		}
		if (error instanceof AsyncHttpRetriesExhaustedException exhausted && exhausted.getLastStatus() != null) {
			return HttpStatusCode.valueOf(exhausted.getLastStatus());
		}
		if (error instanceof AsyncHttpResponseTooLargeException
				&& error.getCause() instanceof WebClientResponseException response) {
			// Spring reports a body it could not decode with the response's own status.
			return response.getStatusCode();
		}
		return null;
	}

	private static int defaultConcurrency(AsyncApiClient client) {
		Integer maxConnections = client.settings().pool().maxConnections();
		return (maxConnections != null) ? maxConnections : AsyncApiClientDefaults.POOL_MAX_CONNECTIONS;
	}

}
