package dev.asynchttp.client;

/**
 * A redirect was not followed, so the call ended without a response: too many redirects, a
 * redirect loop, an https to http downgrade, a target outside the client's {@code base-url},
 * a malformed {@code Location}, or a request body that cannot be sent again. The request
 * was sent and answered with the redirect; never retried, since the server would answer the
 * same. Messages name the origin of a target at most, never its path or query.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpRedirectException extends AsyncHttpException {

	private final Reason reason;

	private final int status;

	private final int redirects;

	public AsyncHttpRedirectException(Reason reason, String problem, RequestContext request, int status,
			int redirects) {
		super("redirect not followed: " + problem, request, RequestState.OUTCOME_UNKNOWN, null);
		this.reason = reason;
		this.status = status;
		this.redirects = redirects;
	}

	/**
	 * Why the redirect was refused.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Status code of the refused redirect.
	 * @return the 3xx status
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Redirects followed before the refused one.
	 * @return the number of redirects followed
	 */
	public int getRedirects() {
		return this.redirects;
	}

	/**
	 * Why a redirect was refused.
	 */
	public enum Reason {

		/**
		 * One more redirect than {@code redirects.max} allows.
		 */
		TOO_MANY,

		/**
		 * The redirect pointed back to a URL the call had already requested with the same
		 * method.
		 */
		LOOP,

		/**
		 * From https to http, without {@code redirects.allow-downgrade}.
		 */
		DOWNGRADE,

		/**
		 * To the origin of the client's {@code base-url}, but outside its path.
		 */
		OUTSIDE_BASE_URL,

		/**
		 * The {@code Location} is not a valid http or https URL without user info.
		 */
		INVALID_LOCATION,

		/**
		 * The redirect keeps the method and body (307, 308), but the body was given as a
		 * stream that cannot be sent again.
		 */
		BODY_NOT_REPLAYABLE

	}

}
