package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.InFlightLimiter.Permit;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The filter every exchange of a client passes through, so that {@code webClient()} users
 * get the same guarantees as the typed methods: fail fast once closed, wait out a host's
 * cool-down, take a rate-limit permit, take a connection permit and hold it until the
 * response body is consumed or cancelled, and type every transport error. Each request that
 * follows a redirect ({@link FollowRedirects}) passes through it too, and its failures never
 * say "not sent": the call's first request was.
 */
final class ExchangeGuard implements ExchangeFilterFunction {

	private final ClientRuntime runtime;

	private final ExchangeErrors errors;

	private final InFlightLimiter limiter;

	private final @Nullable RequestRateLimiter rateLimiter;

	private final @Nullable RequestLog log;

	ExchangeGuard(ClientRuntime runtime, @Nullable RequestRateLimiter rateLimiter) {
		this.runtime = runtime;
		this.errors = runtime.errors();
		this.limiter = runtime.limiter();
		this.rateLimiter = rateLimiter;
		this.log = runtime.requestLog();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.deferContextual((view) -> {
			RequestContext context = this.errors.context(request);
			AttemptProgress progress = view.getOrDefault(AttemptProgress.CONTEXT_KEY, null);
			if (this.runtime.isClosed()) {
				AttemptProgress current = (progress != null) ? progress : new AttemptProgress();
				return logged(request, current,
						Mono.error(new AsyncHttpClientClosedException(context, current.unsent(), null)));
			}
			if (progress != null) {
				Observation attempt = CallObservation.attempt(view);
				if (attempt != null) {
					CallObservation.attemptNumber(attempt, progress.attempt());
				}
				return logged(request, progress, guarded(request, next, context, progress, attempt));
			}
			// A plain webClient() call: the Reactor Netty callbacks find its progress here.
			AttemptProgress tracked = new AttemptProgress();
			return logged(request, tracked, guarded(request, next, context, tracked, null))
				.contextWrite((ctx) -> ctx.put(AttemptProgress.CONTEXT_KEY, tracked));
		});
	}

	private Mono<ClientResponse> logged(ClientRequest request, AttemptProgress progress,
			Mono<ClientResponse> exchange) {
		RequestLog log = this.log;
		return (log != null) ? log.attempt(request, progress, exchange) : exchange;
	}

	private Mono<ClientResponse> guarded(ClientRequest request, ExchangeFunction next, RequestContext context,
			AttemptProgress progress, @Nullable Observation attempt) {
		return admitted(request.url(), context, progress, attempt,
				(permit) -> exchange(request, next, context, progress, permit));
	}

	/**
	 * Run one exchange once it is admitted: after the host's cool-down, with a rate-limit
	 * permit and a connection permit. The exchange owns the permit and must release it when
	 * the response body ends or the exchange fails or is cancelled. Shared by the
	 * {@code WebClient} filter and by {@link DirectExchange}.
	 * @param url the URL the exchange goes to
	 * @param attempt the attempt's observation, to show the permit wait on, or {@code null}
	 * @param exchange the exchange, given its permit
	 */
	<R> Mono<R> admitted(URI url, RequestContext context, AttemptProgress progress, @Nullable Observation attempt,
			Function<Permit, Mono<R>> exchange) {
		Mono<Void> coolDown = coolDown(url);
		Mono<Void> ratePermit = ratePermit(context, progress);
		if (coolDown == null && ratePermit == null) {
			return admit(url, context, progress, attempt, exchange);
		}
		Mono<Void> before = (coolDown == null) ? ratePermit : (ratePermit == null) ? coolDown
				: coolDown.then(ratePermit);
		return before
			.onErrorMap((ex) -> this.errors.translate(ex, context, progress.unsent(), progress.unsent(), isClosed()))
			.then(Mono.defer(() -> admit(url, context, progress, attempt, exchange)));
	}

	/**
	 * Wait, without blocking, while the host is cooling down after a 429.
	 * @return the wait, or {@code null} when no cool-down is active
	 */
	private @Nullable Mono<Void> coolDown(URI url) {
		CoolDownRegistry coolDowns = this.runtime.coolDowns();
		if (coolDowns.isEmpty()) {
			return null;
		}
		Duration pause = coolDowns.remaining(HostCoolDowns.key(url));
		return pause.isZero() ? null : Mono.delay(pause).then();
	}

	/**
	 * Take a rate-limit permit, waiting for it without blocking, or fail unsent when the
	 * wait would exceed {@code rate-limit.max-wait}.
	 * @return the wait, or {@code null} without a rate limit
	 */
	private @Nullable Mono<Void> ratePermit(RequestContext context, AttemptProgress progress) {
		RequestRateLimiter limiter = this.rateLimiter;
		if (limiter == null) {
			return null;
		}
		return limiter.reserve(context).flatMap((waitNanos) -> {
			AsyncApiClientObserver observer = this.runtime.observer();
			if (waitNanos < 0) {
				observer.rateLimitRejected(this.runtime.name());
				return Mono.error(new AsyncHttpRateLimitException(context, limiter.maxWait(), progress.unsent()));
			}
			if (waitNanos == 0) {
				return Mono.empty();
			}
			Duration wait = Duration.ofNanos(waitNanos);
			observer.rateLimitWaited(this.runtime.name(), wait);
			return Mono.delay(wait).then();
		});
	}

	/**
	 * Take a connection permit, at once when one is free, else by waiting in the limiter;
	 * the wait shows on the attempt's observation when the call is observed.
	 */
	private <R> Mono<R> admit(URI url, RequestContext context, AttemptProgress progress,
			@Nullable Observation attempt, Function<Permit, Mono<R>> exchange) {
		Object host = this.runtime.hostKey(url);
		Permit permit;
		try {
			permit = this.limiter.tryAcquire(host);
		}
		catch (RuntimeException ex) {
			return Mono.error(this.errors.translate(ex, context, progress.unsent(), progress.unsent(), isClosed()));
		}
		if (permit != null) {
			return exchange.apply(permit);
		}
		Mono<Permit> waited = this.limiter.acquire(host);
		if (attempt != null) {
			long start = System.nanoTime();
			waited = waited.doOnNext((granted) -> CallObservation.queueWait(attempt, System.nanoTime() - start));
		}
		// A call that waited long enough to be promoted to the old generation would otherwise keep
		// its whole exchange reachable from there until the next marking cycle (flatMap keeps its
		// inner subscriber), and every young collection would copy what the exchange still points to.
		return waited
			.onErrorMap((ex) -> this.errors.translate(ex, context, progress.unsent(), progress.unsent(), isClosed()))
			.flatMap((granted) -> exchange.apply(granted).onTerminateDetach());
	}

	private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, RequestContext context,
			AttemptProgress progress, Permit permit) {
		if (isClosed()) {
			permit.release();
			return Mono.error(new AsyncHttpClientClosedException(context, progress.unsent(), null));
		}
		return next.exchange(request)
			.map((response) -> guardBody(response, context, progress, permit))
			.onErrorMap((ex) -> this.errors.translate(ex, context, progress.state(), progress.unsent(), isClosed()))
			.doOnError((ex) -> permit.release())
			.doOnCancel(permit::release);
	}

	private ClientResponse guardBody(ClientResponse response, RequestContext context, AttemptProgress progress,
			Permit permit) {
		progress.markResponseReceived();
		// Released as the body ends, before its end reaches the caller: a call the caller
		// starts on that signal then finds the permit free instead of queueing behind it.
		return response.mutate()
			.body((body) -> body.doOnTerminate(permit::release)
				.doOnCancel(permit::release)
				.onErrorMap((ex) -> this.errors.translateBody(ex, context, isClosed())))
			.build();
	}

	private boolean isClosed() {
		return this.runtime.isClosed();
	}

}
