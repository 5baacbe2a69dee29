package dev.asynchttp.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The client's rate limit ({@code rate-limit.*}) would have made the request wait longer
 * than {@code rate-limit.max-wait}, so it failed at once and was never sent (after a
 * redirect: the redirected request was not).
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpRateLimitException extends AsyncHttpException {

	private final Duration maxWait;

	public AsyncHttpRateLimitException(RequestContext request, Duration maxWait) {
		this(request, maxWait, RequestState.NOT_SENT);
	}

	/**
	 * A rejection of a request that follows a redirect, whose call was sent already.
	 * @param request the call
	 * @param maxWait the configured {@code rate-limit.max-wait}
	 * @param requestState {@code OUTCOME_UNKNOWN} after a redirect, else {@code NOT_SENT}
	 */
	public AsyncHttpRateLimitException(RequestContext request, Duration maxWait, RequestState requestState) {
		super("rate limit reached: no permit within " + maxWait.toMillis() + "ms (rate-limit.max-wait)", request,
				requestState, null);
		this.maxWait = maxWait;
	}

	/**
	 * For subtypes whose permit could not be had for another reason.
	 * @param problem what went wrong
	 * @param request the call
	 * @param maxWait the configured {@code rate-limit.max-wait}
	 * @param cause the cause, if any
	 */
	protected AsyncHttpRateLimitException(String problem, RequestContext request, Duration maxWait,
			@Nullable Throwable cause) {
		super(problem, request, RequestState.NOT_SENT, cause);
		this.maxWait = maxWait;
	}

	/**
	 * The longest wait the request was allowed.
	 * @return the configured {@code rate-limit.max-wait}
	 */
	public Duration getMaxWait() {
		return this.maxWait;
	}

}
