package dev.asynchttp.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import io.netty.channel.group.ChannelGroup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link AsyncApiClient} built by {@link AsyncApiClientFactory}. It owns its connection
 * pool, its limiter and the channels they opened, and releases them in {@link #close}.
 */
final class DefaultAsyncApiClient implements AsyncApiClient {

	private final String name;

	private final AsyncApiClientSettings settings;

	private final WebClient webClient;

	private final ConnectionProvider connectionProvider;

	private final InFlightLimiter limiter;

	private final ChannelGroup channels;

	private final SafeUris uris;

	private final ExchangeErrors errors;

	private final AtomicBoolean closed;

	DefaultAsyncApiClient(String name, AsyncApiClientSettings settings, WebClient webClient,
			ConnectionProvider connectionProvider, InFlightLimiter limiter, ChannelGroup channels, SafeUris uris,
			ExchangeErrors errors, AtomicBoolean closed) {
		this.name = name;
		this.settings = settings;
		this.webClient = webClient;
		this.connectionProvider = connectionProvider;
		this.limiter = limiter;
		this.channels = channels;
		this.uris = uris;
		this.errors = errors;
		this.closed = closed;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public AsyncApiClientSettings settings() {
		return this.settings;
	}

	@Override
	public AsyncApiRequest request(HttpMethod method, String uriTemplate, Object... uriVariables) {
		return new DefaultAsyncApiRequest(this, method, uriTemplate, uriVariables);
	}

	@Override
	public WebClient webClient() {
		return this.webClient;
	}

	SafeUris uris() {
		return this.uris;
	}

	ExchangeErrors errors() {
		return this.errors;
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Requests holding a limiter permit: sent or about to be sent.
	 * @return the number of requests in flight
	 */
	int inFlight() {
		return this.limiter.inFlight();
	}

	/**
	 * Requests waiting for a limiter permit.
	 * @return the number of queued requests
	 */
	int queued() {
		return this.limiter.queued();
	}

	ConnectionProvider connectionProvider() {
		return this.connectionProvider;
	}

	/**
	 * Wrap one call: fail fast once closed, and bound the whole call by its deadline.
	 */
	<T> Mono<T> guard(RequestContext context, Duration deadline, Mono<T> call) {
		return Mono.defer(() -> {
			if (isClosed()) {
				return Mono.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
			}
			RequestProgress progress = new RequestProgress();
			return call
				.timeout(deadline,
						Mono.defer(() -> Mono.error(this.errors.totalTimeout(context, progress.state(), deadline))))
				.contextWrite((ctx) -> ctx.put(RequestProgress.CONTEXT_KEY, progress));
		});
	}

	<T> Flux<T> guardMany(RequestContext context, Duration deadline, Flux<T> call) {
		return Flux.defer(() -> {
			if (isClosed()) {
				return Flux.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
			}
			RequestProgress progress = new RequestProgress();
			long end = System.nanoTime() + deadline.toNanos();
			// A Flux timeout is per element; re-arming it with the time left keeps one deadline.
			return call
				.timeout(Mono.delay(deadline),
						(item) -> Mono.delay(Duration.ofNanos(Math.max(0, end - System.nanoTime()))),
						Flux.defer(() -> Flux.error(this.errors.totalTimeout(context, progress.state(), deadline))))
				.contextWrite((ctx) -> ctx.put(RequestProgress.CONTEXT_KEY, progress));
		});
	}

	/**
	 * Stop taking requests: calls from now on fail at once with
	 * {@link AsyncHttpClientClosedException}; calls in flight go on.
	 */
	void stopAccepting() {
		this.closed.set(true);
	}

	/**
	 * Cut off whatever still runs (its callers get a typed "client closed"), then dispose
	 * the limiter and the connection pool.
	 * @param timeout how long each step may take
	 */
	void dispose(Duration timeout) {
		this.closed.set(true);
		this.channels.close().awaitUninterruptibly(timeout.toMillis());
		this.limiter.disposeLater().onErrorComplete().block(timeout);
		this.connectionProvider.disposeLater().onErrorComplete().block(timeout);
	}

}
