package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.group.ChannelGroup;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link AsyncApiClient} built by {@link AsyncApiClientFactory}. It owns its connection
 * pool, its limiter and the channels they opened, and releases them in {@link #close}.
 */
final class DefaultAsyncApiClient implements AsyncApiClient {

	private final ClientRuntime runtime;

	private final WebClient webClient;

	private final ConnectionProvider connectionProvider;

	private final ChannelGroup channels;

	private final SafeUris uris;

	private final RetryPolicy retryPolicy;

	private final @Nullable DirectExchange direct;

	DefaultAsyncApiClient(ClientRuntime runtime, WebClient webClient, ConnectionProvider connectionProvider,
			ChannelGroup channels, SafeUris uris, RetryPolicy retryPolicy, @Nullable DirectExchange direct) {
		this.runtime = runtime;
		this.webClient = webClient;
		this.connectionProvider = connectionProvider;
		this.channels = channels;
		this.uris = uris;
		this.retryPolicy = retryPolicy;
		this.direct = direct;
	}

	@Override
	public String name() {
		return this.runtime.name();
	}

	@Override
	public AsyncApiClientSettings settings() {
		return this.runtime.settings();
	}

	@Override
	public AsyncApiRequest request(HttpMethod method, String uriTemplate, Object... uriVariables) {
		return new DefaultAsyncApiRequest(this, method, uriTemplate, uriVariables);
	}

	/**
	 * A batch of this client: exact URLs are sent as given, and each result carries the URI
	 * its call went to and the attempts it made.
	 */
	@Override
	public <T> Flux<FetchResult<T>> fetchAll(Publisher<FetchRequest> requests, ParameterizedTypeReference<T> type,
			FetchOptions options) {
		return BatchFetcher.fetchAll(this, requests, type, options, new BatchFetcher.Sender() {

			@Override
			public <B> Mono<ResponseEntity<B>> send(FetchRequest item, @Nullable Duration timeout,
					ParameterizedTypeReference<B> bodyType, CallRecord record) {
				DefaultAsyncApiRequest request = item.exactUrl()
						? DefaultAsyncApiRequest.exactUrl(DefaultAsyncApiClient.this, item.method(), item.uriTemplate())
						: new DefaultAsyncApiRequest(DefaultAsyncApiClient.this, item.method(), item.uriTemplate(),
								item.uriVariables().toArray());
				BatchFetcher.prepare(request, item, timeout);
				return request.toEntity(bodyType, record);
			}

		});
	}

	@Override
	public AsyncApiRequest request(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables) {
		Assert.notNull(uriVariables, "'uriVariables' must not be null");
		return new DefaultAsyncApiRequest(this, method, uriTemplate, uriVariables);
	}

	@Override
	public AsyncApiRequest request(HttpMethod method, URI uri) {
		Assert.notNull(uri, "'uri' must not be null");
		return new DefaultAsyncApiRequest(this, method, uri);
	}

	@Override
	public WebClient webClient() {
		return this.webClient;
	}

	/**
	 * The way typed calls without a body skip {@code WebClient}, or {@code null} when this
	 * client sends everything through it.
	 */
	@Nullable DirectExchange direct() {
		return this.direct;
	}

	SafeUris uris() {
		return this.uris;
	}

	ExchangeErrors errors() {
		return this.runtime.errors();
	}

	ClientRuntime runtime() {
		return this.runtime;
	}

	boolean isClosed() {
		return this.runtime.isClosed();
	}

	/**
	 * Requests holding a limiter permit: sent or about to be sent.
	 * @return the number of requests in flight
	 */
	int inFlight() {
		return this.runtime.limiter().inFlight();
	}

	/**
	 * Requests waiting for a limiter permit.
	 * @return the number of queued requests
	 */
	int queued() {
		return this.runtime.limiter().queued();
	}

	ConnectionProvider connectionProvider() {
		return this.connectionProvider;
	}

	/**
	 * Run one call: fail fast once closed, retry under the client's policy, and bound the
	 * whole call, queueing and backoffs included, by one deadline.
	 * @param attempt one attempt, subscribed again for every retry
	 */
	<T> Mono<T> execute(RequestContext context, Duration deadline, boolean idempotent, boolean retry, URI uri,
			Mono<T> attempt) {
		return execute(context, deadline, idempotent, retry, uri, attempt, (call) -> {
		});
	}

	/**
	 * Run one call like {@link #execute(RequestContext, Duration, boolean, boolean, URI, Mono)}
	 * and hand its {@link CallProgress} to {@code onStart}, so that a caller can tell how many
	 * attempts a successful call took.
	 * @param attempt one attempt, subscribed again for every retry
	 * @param onStart receives the call's state when the call starts
	 */
	<T> Mono<T> execute(RequestContext context, Duration deadline, boolean idempotent, boolean retry, URI uri,
			Mono<T> attempt, Consumer<CallProgress> onStart) {
		Mono<T> run = Mono.defer(() -> {
			if (isClosed()) {
				return Mono.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
			}
			CallProgress call = new CallProgress();
			onStart.accept(call);
			long deadlineNanos = System.nanoTime() + deadline.toNanos();
			return this.retryPolicy
				.apply(context, idempotent, retry, deadlineNanos, uri, call, attempt)
				.timeout(CallTimers.delay(deadline),
						Mono.defer(() -> Mono.error(errors().totalTimeout(context, call, deadline))));
		});
		ObservationRegistry observations = this.runtime.callObservations();
		return (observations != null) ? CallObservation.observe(observations, context, run) : run;
	}

	/**
	 * Run one streaming call once, bounded by one deadline over the whole stream. Streams
	 * are not retried: elements may already have reached the caller.
	 */
	<T> Flux<T> executeMany(RequestContext context, Duration deadline, Flux<T> call) {
		return Flux.defer(() -> {
			if (isClosed()) {
				return Flux.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
			}
			CallProgress state = new CallProgress();
			AttemptProgress progress = state.startAttempt();
			// One timer for the whole stream, not a timeout per element (a Flux timeout
			// subscribes to its timeout publisher again for every buffer of a long body).
			Sinks.Empty<Void> expired = Sinks.empty();
			AtomicBoolean timedOut = new AtomicBoolean();
			Disposable timer = CallTimers.schedule(() -> {
				timedOut.set(true);
				expired.tryEmitEmpty();
			}, deadline);
			return call.doOnError(state::failed)
				.takeUntilOther(expired.asMono())
				.concatWith(Mono.defer(() -> timedOut.get()
						? Mono.error(errors().totalTimeout(context, state, deadline)) : Mono.empty()))
				.doFinally((signal) -> timer.dispose())
				.onErrorMap(ExchangeErrors::isResponseTooLarge,
						(ex) -> errors().responseTooLarge(context, state, ex))
				.contextWrite((ctx) -> ctx.put(AttemptProgress.CONTEXT_KEY, progress));
		});
	}

	/**
	 * Stop taking requests: calls from now on fail at once with
	 * {@link AsyncHttpClientClosedException}; calls in flight go on.
	 */
	void stopAccepting() {
		this.runtime.close();
	}

	/**
	 * Cut off whatever still runs (its callers get a typed "client closed"), then dispose
	 * the limiter and the connection pool.
	 * @param timeout how long each step may take
	 */
	void dispose(Duration timeout) {
		this.runtime.close();
		this.channels.close().awaitUninterruptibly(timeout.toMillis());
		this.runtime.limiter().disposeLater().onErrorComplete().block(timeout);
		this.connectionProvider.disposeLater().onErrorComplete().block(timeout);
	}

}
