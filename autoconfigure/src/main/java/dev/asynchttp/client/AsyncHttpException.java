package dev.asynchttp.client;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * Base type of every failure of an async-http call other than an HTTP error status (those
 * stay Spring's {@code WebClientResponseException}). It names the client, the method and
 * the URI template, and says whether the request was sent. The template is shown as
 * {@link SafeText#uri(String)} makes it: without user info, query values masked. It is a
 * {@link WebClientException}, so handlers written for plain {@code WebClient} keep working.
 *
 * @author async-http
 * @since 0.1.0
 */
public abstract class AsyncHttpException extends WebClientException {

	private final String clientName;

	private final HttpMethod method;

	private final String uriTemplate;

	private final RequestState requestState;

	private volatile int attempts = 1;

	private volatile AsyncHttpRetriesExhaustedException.@Nullable StopReason stopReason;

	protected AsyncHttpException(String problem, RequestContext request, RequestState requestState,
			@Nullable Throwable cause) {
		this(problem, request, SafeText.uri(request.uriTemplate()), requestState, cause);
	}

	private AsyncHttpException(String problem, RequestContext request, String shownUri, RequestState requestState,
			@Nullable Throwable cause) {
		super(describe(problem, request, shownUri, requestState), cause);
		this.clientName = request.clientName();
		this.method = request.method();
		this.uriTemplate = shownUri;
		this.requestState = requestState;
	}

	private static String describe(String problem, RequestContext request, String shownUri,
			RequestState requestState) {
		String state = (requestState == RequestState.NOT_SENT) ? "request not sent"
				: "request sent, outcome unknown";
		return "async-http client '" + request.clientName() + "' " + request.method().name() + " " + shownUri + ": "
				+ problem + " (" + state + ")";
	}

	/**
	 * Name of the client that made the call.
	 * @return the client name
	 */
	public String getClientName() {
		return this.clientName;
	}

	/**
	 * HTTP method of the call.
	 * @return the method
	 */
	public HttpMethod getMethod() {
		return this.method;
	}

	/**
	 * URI template of the call (or the path when the call had no template), without user
	 * info and with query values masked, since they may carry secrets.
	 * @return the URI template as it may be shown
	 */
	public String getUriTemplate() {
		return this.uriTemplate;
	}

	/**
	 * Whether the request was sent.
	 * @return what is known about the request having reached the server
	 */
	public RequestState getRequestState() {
		return this.requestState;
	}

	/**
	 * Shortcut for {@code getRequestState() == NOT_SENT}: the server cannot have seen it.
	 * @return whether the request was provably never sent
	 */
	public boolean isNotSent() {
		return this.requestState == RequestState.NOT_SENT;
	}

	/**
	 * How many attempts the call made before it ended with this exception.
	 * @return the number of attempts, at least 1
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Why the retry policy stopped, when it was consulted.
	 * @return the stop reason, or {@code null} when no retry was considered
	 */
	public AsyncHttpRetriesExhaustedException.@Nullable StopReason getRetryStopReason() {
		return this.stopReason;
	}

	/**
	 * Record how many attempts the call made: set by the retry policy before the exception
	 * reaches the caller.
	 */
	final void recordAttempts(int attempts, AsyncHttpRetriesExhaustedException.StopReason stopReason) {
		this.attempts = attempts;
		this.stopReason = stopReason;
	}

	/**
	 * The call an exception is about. Holds no headers or body; the template is masked when
	 * it is shown (in exception messages and in {@link #toString()}), not when it is stored,
	 * so that a call that succeeds pays nothing for it.
	 *
	 * @param clientName the client name
	 * @param method the HTTP method
	 * @param uriTemplate the URI template, or the path when there is none
	 */
	public record RequestContext(String clientName, HttpMethod method, String uriTemplate) {

		@Override
		public String toString() {
			return "RequestContext[clientName=" + this.clientName + ", method=" + this.method + ", uriTemplate="
					+ SafeText.uri(this.uriTemplate) + "]";
		}

	}

}
