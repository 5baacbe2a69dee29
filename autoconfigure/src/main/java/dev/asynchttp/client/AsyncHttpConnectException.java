package dev.asynchttp.client;

/**
 * The connection failed: it could not be opened, or it was closed or reset before a complete
 * response arrived. {@link #getRequestState()} tells which side of sending it happened on.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpConnectException extends AsyncHttpException {

	public AsyncHttpConnectException(String problem, RequestContext request, RequestState requestState,
			Throwable cause) {
		super("connection failed: " + problem, request, requestState, cause);
	}

}
