package dev.asynchttp.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.pool.PooledRef;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The filter every exchange of a client passes through, so that {@code webClient()} users
 * get the same guarantees as the typed methods: fail fast once closed, take a permit from
 * the in-flight limiter and hold it until the response body is consumed or cancelled, and
 * type every transport error.
 */
final class ExchangeGuard implements ExchangeFilterFunction {

	private final InFlightLimiter limiter;

	private final ExchangeErrors errors;

	private final AtomicBoolean closed;

	private final CoolDownRegistry coolDowns;

	private final @Nullable RequestRateLimiter rateLimiter;

	private final AsyncApiClientObserver observer;

	private final String clientName;

	ExchangeGuard(String clientName, InFlightLimiter limiter, ExchangeErrors errors, AtomicBoolean closed,
			CoolDownRegistry coolDowns, @Nullable RequestRateLimiter rateLimiter, AsyncApiClientObserver observer) {
		this.clientName = clientName;
		this.limiter = limiter;
		this.errors = errors;
		this.closed = closed;
		this.coolDowns = coolDowns;
		this.rateLimiter = rateLimiter;
		this.observer = observer;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		RequestContext context = this.errors.context(request);
		return Mono.deferContextual((view) -> {
			RequestProgress progress = view.getOrDefault(RequestProgress.CONTEXT_KEY, null);
			RequestProgress tracked = (progress != null) ? progress : new RequestProgress();
			if (this.closed.get()) {
				return Mono.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
			}
			return coolDown(request).then(ratePermit(context))
				.then(this.limiter.acquire())
				.onErrorMap((ex) -> this.errors.translate(ex, context, RequestState.NOT_SENT, this.closed.get()))
				.flatMap((permit) -> exchange(request, next, context, tracked, new Permit(permit)))
				.contextWrite((ctx) -> ctx.put(RequestProgress.CONTEXT_KEY, tracked));
		});
	}

	/**
	 * Wait, without blocking, while the host is cooling down after a 429.
	 */
	private Mono<Void> coolDown(ClientRequest request) {
		Duration pause = this.coolDowns.remaining(HostCoolDowns.key(request.url()));
		return pause.isZero() ? Mono.empty() : Mono.delay(pause).then();
	}

	/**
	 * Take a rate-limit permit, waiting for it without blocking, or fail unsent when the
	 * wait would exceed {@code rate-limit.max-wait}.
	 */
	private Mono<Void> ratePermit(RequestContext context) {
		RequestRateLimiter limiter = this.rateLimiter;
		if (limiter == null) {
			return Mono.empty();
		}
		return limiter.reserve(context).flatMap((waitNanos) -> {
			if (waitNanos < 0) {
				this.observer.rateLimitRejected(this.clientName);
				return Mono.error(new AsyncHttpRateLimitException(context, limiter.maxWait()));
			}
			if (waitNanos == 0) {
				return Mono.empty();
			}
			Duration wait = Duration.ofNanos(waitNanos);
			this.observer.rateLimitWaited(this.clientName, wait);
			return Mono.delay(wait).then();
		});
	}

	private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, RequestContext context,
			RequestProgress progress, Permit permit) {
		if (this.closed.get()) {
			permit.release();
			return Mono.error(new AsyncHttpClientClosedException(context, RequestState.NOT_SENT, null));
		}
		return next.exchange(request)
			.map((response) -> guardBody(response, context, progress, permit))
			.onErrorMap((ex) -> this.errors.translate(ex, context, progress.state(), this.closed.get()))
			.doOnError((ex) -> permit.release())
			.doOnCancel(permit::release);
	}

	private ClientResponse guardBody(ClientResponse response, RequestContext context, RequestProgress progress,
			Permit permit) {
		progress.markResponseReceived();
		return response.mutate()
			.body((body) -> body.onErrorMap((ex) -> this.errors.translateBody(ex, context, this.closed.get()))
				.doFinally((signal) -> permit.release()))
			.build();
	}

	/**
	 * A limiter permit that is given back exactly once, whichever of body completion, error
	 * or cancellation comes first.
	 */
	private static final class Permit {

		private final PooledRef<Object> ref;

		private final AtomicBoolean released = new AtomicBoolean();

		Permit(PooledRef<Object> ref) {
			this.ref = ref;
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				this.ref.release().subscribe();
			}
		}

	}

}
