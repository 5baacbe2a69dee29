package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
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

	static <T> Flux<FetchResult<T>> fetchAll(AsyncApiClient client, Publisher<FetchRequest> requests,
			ParameterizedTypeReference<T> type, FetchOptions options) {
		Assert.notNull(requests, "'requests' must not be null");
		Assert.notNull(type, "'type' must not be null");
		Assert.notNull(options, "'options' must not be null");
		int concurrency = (options.getConcurrency() > 0) ? options.getConcurrency() : defaultConcurrency(client);
		Function<Tuple2<Long, FetchRequest>, Mono<FetchResult<T>>> fetch = (item) -> fetch(client, item.getT1(),
				item.getT2(), type, options);
		// flatMap runs at most 'concurrency' items and asks the source for more only as they
		// finish, so a source of a million URIs is never read ahead; flatMapSequential also
		// holds back at most that many finished results while an earlier item still runs.
		Flux<Tuple2<Long, FetchRequest>> items = Flux.from(requests).index();
		return options.isInputOrder() ? items.flatMapSequential(fetch, concurrency, 1)
				: items.flatMap(fetch, concurrency, 1);
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

	private static <T> Mono<FetchResult<T>> fetch(AsyncApiClient client, long index, FetchRequest item,
			ParameterizedTypeReference<T> type, FetchOptions options) {
		// Only our own client can send a URL as it is; another implementation gets it as a
		// template through its request(...).
		AsyncApiRequest request = (item.exactUrl() && client instanceof DefaultAsyncApiClient ours)
				? DefaultAsyncApiRequest.exactUrl(ours, item.method(), item.uriTemplate())
				: client.request(item.method(), item.uriTemplate(), item.uriVariables().toArray());
		item.queryParams().forEach((name, values) -> request.queryParam(name, values.toArray()));
		item.headers().forEach((name, values) -> request.header(name, values.toArray(String[]::new)));
		Duration timeout = options.getTimeout();
		if (timeout != null) {
			request.timeout(timeout);
		}
		if (request instanceof DefaultAsyncApiRequest ours) {
			// Ours also reports the resolved URI and the attempts of a successful call.
			return ours.fetch(index, item, type);
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return request.toEntity(type)
				.map((entity) -> success(index, item, null, entity, 1, start))
				.onErrorResume((ex) -> Mono.just(failure(index, item, null, ex, 1, start)));
		});
	}

	static <T> FetchResult<T> success(long index, FetchRequest item, @Nullable URI uri, ResponseEntity<T> entity,
			int attempts, long startNanos) {
		return new FetchResult<>(index, item, uri, entity.getStatusCode(), entity.getBody(), null, attempts,
				Duration.ofNanos(System.nanoTime() - startNanos));
	}

	/**
	 * A failed item; the attempts of an {@link AsyncHttpException} are its own, as the
	 * retry policy recorded them.
	 */
	static <T> FetchResult<T> failure(long index, FetchRequest item, @Nullable URI uri, Throwable error,
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
		return (maxConnections != null) ? maxConnections
				: Objects.requireNonNull(AsyncApiClientSettings.defaults().pool().maxConnections());
	}

}
