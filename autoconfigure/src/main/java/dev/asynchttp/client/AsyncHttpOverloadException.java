package dev.asynchttp.client;

/**
 * The client's wait queue was full ({@code pool.max-pending}), so the request failed at once
 * and was never sent (after a redirect: the redirected request was not).
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpOverloadException extends AsyncHttpException {

	private final int maxPending;

	public AsyncHttpOverloadException(RequestContext request, int maxPending, Throwable cause) {
		this(request, maxPending, RequestState.NOT_SENT, cause);
	}

	/**
	 * An overload of a request that follows a redirect, whose call was sent already.
	 * @param request the call
	 * @param maxPending the configured {@code pool.max-pending}
	 * @param requestState {@code OUTCOME_UNKNOWN} after a redirect, else {@code NOT_SENT}
	 * @param cause the cause
	 */
	public AsyncHttpOverloadException(RequestContext request, int maxPending, RequestState requestState,
			Throwable cause) {
		super("overloaded: " + maxPending + " requests already wait for a connection permit"
				+ " (raise pool.max-pending or pool.max-connections, or slow the caller down)", request,
				requestState, cause);
		this.maxPending = maxPending;
	}

	/**
	 * Size of the wait queue that was full.
	 * @return the configured {@code pool.max-pending}
	 */
	public int getMaxPending() {
		return this.maxPending;
	}

}
