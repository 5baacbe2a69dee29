package dev.asynchttp.client;

/**
 * The client's wait queue was full ({@code pool.max-pending}), so the request failed at once
 * and was never sent.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpOverloadException extends AsyncHttpException {

	private final int maxPending;

	public AsyncHttpOverloadException(RequestContext request, int maxPending, Throwable cause) {
		super("overloaded: " + maxPending + " requests already wait for a connection permit"
				+ " (raise pool.max-pending or pool.max-connections, or slow the caller down)", request,
				RequestState.NOT_SENT, cause);
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
