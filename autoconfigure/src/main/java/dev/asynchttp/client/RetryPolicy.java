package dev.asynchttp.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpRetriesExhaustedException.StopReason;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import io.micrometer.observation.ObservationRegistry;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Decides, failure by failure, whether a call is tried again and after how long, and
 * subscribes the attempt again when it is.
 * <ul>
 * <li>Never sent (refused connection, connect timeout): any method.</li>
 * <li>Never retried: an overload rejection (the wait queue is full), an acquire timeout
 * (the call already waited its turn) or a refused redirect (the server would answer the
 * same); none is charged to the retry budget.</li>
 * <li>Sent without a complete response, or answered with a status in
 * {@code retry.statuses}: idempotent methods, or requests marked idempotent.</li>
 * <li>A reused keep-alive connection that the server had closed (the stale-connection
 * race): retried at once, without backoff or budget.</li>
 * <li>The wait is {@code max(backoff, Retry-After)}; a {@code Retry-After} above
 * {@code retry.max-retry-after}, or a wait that would end past the deadline, stops at once
 * with a typed error instead of sleeping.</li>
 * </ul>
 */
final class RetryPolicy {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private final String clientName;

	private final Retry settings;

	private final RetryBudget budget;

	private final CoolDownRegistry coolDowns;

	private final AsyncApiClientObserver observer;

	private final Clock clock;

	private final @Nullable ObservationRegistry callObservations;

	private final ExchangeErrors errors;

	RetryPolicy(ClientRuntime runtime, RetryBudget budget, Clock clock) {
		this.clientName = runtime.name();
		this.settings = runtime.settings().retry();
		this.budget = budget;
		this.coolDowns = runtime.coolDowns();
		this.observer = runtime.observer();
		this.clock = clock;
		this.callObservations = runtime.callObservations();
		this.errors = runtime.errors();
	}

	static boolean isIdempotent(HttpMethod method) {
		return IDEMPOTENT.contains(method);
	}

	/**
	 * Run {@code attempt} (re-subscribed for every attempt) under this policy.
	 * @param context the call, for error messages
	 * @param idempotent whether the request may be repeated after it may have reached the
	 * server
	 * @param retry whether retries are allowed at all for this call
	 * @param deadlineNanos {@link System#nanoTime()} value of the call's deadline
	 * @param uri the URI the call goes to
	 * @param call the call's state across attempts
	 * @param attempt one attempt
	 * @return the call
	 */
	<T> Mono<T> apply(RequestContext context, boolean idempotent, boolean retry, long deadlineNanos, URI uri,
			CallProgress call, Mono<T> attempt) {
		this.budget.recordRequest();
		return attempt(context, idempotent, retry, deadlineNanos, uri, call, attempt);
	}

	/**
	 * One attempt and, if it fails and the policy allows, the next one after the wait. A
	 * body over {@code max-in-memory-size} fails the call at once as
	 * {@link AsyncHttpResponseTooLargeException}.
	 * Built with {@code onErrorResume} rather than {@code retryWhen}: a call that succeeds
	 * at once, the common case, then costs one operator instead of a companion sink and
	 * its subscription.
	 */
	private <T> Mono<T> attempt(RequestContext context, boolean idempotent, boolean retry, long deadlineNanos,
			URI uri, CallProgress call, Mono<T> attempt) {
		return Mono.defer(() -> {
			AttemptProgress progress = call.startAttempt();
			return attempt.contextWrite((ctx) -> ctx.put(AttemptProgress.CONTEXT_KEY, progress));
		}).onErrorResume((failure) -> {
			call.failed(failure);
			if (ExchangeErrors.isResponseTooLarge(failure)) {
				// Here rather than in an operator of its own: this handler sees every failure.
				return Mono.error(this.errors.responseTooLarge(context, call, failure));
			}
			Decision decision = decide(failure, context, idempotent, retry, deadlineNanos, uri, call);
			if (decision.error != null) {
				return Mono.error(decision.error);
			}
			Mono<T> next = Mono.delay(decision.delay)
				.then(attempt(context, idempotent, retry, deadlineNanos, uri, call, attempt));
			if (this.callObservations == null) {
				return next;
			}
			String reason = decision.reason;
			return Mono.deferContextual((view) -> {
				CallObservation.retrying(view, call.attempts(), reason, decision.delay);
				return next;
			});
		});
	}

	private Decision decide(Throwable failure, RequestContext context, boolean idempotent, boolean retry,
			long deadlineNanos, URI uri, CallProgress call) {
		int attempts = call.attempts();
		Failure kind = classify(failure, idempotent, call.current());
		if (kind.status != null && kind.status == 429 && kind.retryAfter != null) {
			// The server asked every caller to wait, not just this one. After a redirect, the
			// response's own request names the host that answered.
			Duration pause = min(kind.retryAfter, maxRetryAfter());
			HttpRequest answered = ((WebClientResponseException) failure).getRequest();
			String host = HostCoolDowns.key((answered != null) ? answered.getURI() : uri);
			this.coolDowns.pause(host, pause);
			this.observer.coolDownStarted(this.clientName, host, pause);
		}
		if (!kind.retryable || !retry || !Boolean.TRUE.equals(this.settings.enabled())) {
			return Decision.stop(finalError(failure, context, call, StopReason.NOT_RETRYABLE, null, kind.status));
		}
		if (attempts >= this.settings.maxAttempts()) {
			return Decision.stop(finalError(failure, context, call, StopReason.MAX_ATTEMPTS, null, kind.status));
		}
		if (kind.retryAfter != null && kind.retryAfter.compareTo(maxRetryAfter()) > 0) {
			return Decision.stop(new AsyncHttpRetriesExhaustedException(context, RequestState.OUTCOME_UNKNOWN,
					attempts, StopReason.RETRY_AFTER_TOO_LONG, kind.retryAfter, kind.status, failure));
		}
		Duration delay = kind.stale ? Duration.ZERO : backoff(attempts);
		if (kind.retryAfter != null && kind.retryAfter.compareTo(delay) > 0) {
			delay = kind.retryAfter;
		}
		if (System.nanoTime() + delay.toNanos() >= deadlineNanos) {
			if (kind.retryAfter != null) {
				return Decision.stop(new AsyncHttpRetriesExhaustedException(context, RequestState.OUTCOME_UNKNOWN,
						attempts, StopReason.DEADLINE, kind.retryAfter, kind.status, failure));
			}
			return Decision.stop(finalError(failure, context, call, StopReason.DEADLINE, null, kind.status));
		}
		if (!kind.stale && !this.budget.tryRetry()) {
			this.observer.retryBudgetExhausted(this.clientName);
			return Decision.stop(finalError(failure, context, call, StopReason.BUDGET_EXHAUSTED, null, kind.status));
		}
		this.observer.retrying(this.clientName, kind.reason, delay);
		return Decision.retry(kind.reason, delay);
	}

	private Failure classify(Throwable failure, boolean idempotent, AttemptProgress progress) {
		if (failure instanceof WebClientResponseException response) {
			int status = response.getStatusCode().value();
			boolean listed = this.settings.statuses().contains(status);
			Duration retryAfter = (status == 429 || status == 503)
					? RetryAfter.parse(response.getHeaders(), this.clock.instant()) : null;
			return new Failure(listed && idempotent, String.valueOf(status), status, retryAfter, false);
		}
		if (!(failure instanceof AsyncHttpException typed) || failure instanceof AsyncHttpClientClosedException
				|| failure instanceof AsyncHttpInvalidRequestException
				|| failure instanceof AsyncHttpRateLimitException
				|| failure instanceof AsyncHttpRedirectException
				|| failure instanceof AsyncHttpRetriesExhaustedException) {
			return Failure.FINAL;
		}
		if (typed instanceof AsyncHttpOverloadException) {
			// The queue is full now; trying again at once only adds to it, and counting the
			// try against the budget would leave none for the failures worth retrying.
			return Failure.FINAL;
		}
		String reason = reason(typed);
		if (typed instanceof AsyncHttpTimeoutException timeout && timeout.getKind() == Kind.ACQUIRE) {
			// It already waited its turn for the whole acquire timeout; queueing again only
			// stretches the call towards its deadline.
			return Failure.FINAL;
		}
		if (typed.getCause() instanceof TooLongFrameException) {
			// A response head over the decoder's limits will be just as long next time.
			return Failure.FINAL;
		}
		if (typed.isNotSent()) {
			return new Failure(true, reason, null, null, false);
		}
		// The stale-connection race: a reused connection closed (FIN) or reset (RST) by the
		// server before any response; a connection lost during a response is not stale.
		Throwable cause = typed.getCause();
		boolean stale = typed instanceof AsyncHttpConnectException && progress.reusedConnection()
				&& !progress.responseReceived()
				&& (cause instanceof PrematureCloseException || AbortedException.isConnectionReset(cause));
		return new Failure(idempotent, stale ? "stale_connection" : reason, null, null, stale);
	}

	private static String reason(AsyncHttpException failure) {
		if (failure instanceof AsyncHttpTimeoutException timeout) {
			return timeout.getKind().name().toLowerCase() + "_timeout";
		}
		return failure.isNotSent() ? "connect" : "connection_closed";
	}

	private Throwable finalError(Throwable failure, RequestContext context, CallProgress call, StopReason reason,
			@Nullable Duration retryAfter, @Nullable Integer status) {
		int attempts = call.attempts();
		if (failure instanceof AsyncHttpException typed) {
			typed.recordAttempts(attempts, reason);
		}
		else if (failure instanceof WebClientResponseException && attempts > 1) {
			failure.addSuppressed(new AsyncHttpRetriesExhaustedException(context, RequestState.OUTCOME_UNKNOWN,
					attempts, reason, retryAfter, status, failure));
		}
		return failure;
	}

	private Duration backoff(int attempts) {
		Retry.Backoff backoff = this.settings.backoff();
		double initial = backoff.initial().toNanos();
		double max = backoff.max().toNanos();
		double next = Math.min(max, initial * Math.pow(backoff.multiplier(), attempts - 1));
		double jitter = backoff.jitter();
		// "Equal jitter": a random share of the wait is taken off, so waits spread out but
		// never exceed the cap.
		double jittered = next - next * jitter * ThreadLocalRandom.current().nextDouble();
		return Duration.ofNanos((long) jittered);
	}

	private Duration maxRetryAfter() {
		return this.settings.maxRetryAfter();
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private record Failure(boolean retryable, String reason, @Nullable Integer status, @Nullable Duration retryAfter,
			boolean stale) {

		static final Failure FINAL = new Failure(false, "final", null, null, false);

	}

	private record Decision(@Nullable Throwable error, String reason, Duration delay) {

		static Decision stop(Throwable error) {
			return new Decision(error, "", Duration.ZERO);
		}

		static Decision retry(String reason, Duration delay) {
			return new Decision(null, reason, delay);
		}

	}

}
