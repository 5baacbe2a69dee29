package dev.asynchttp.client;

/**
 * The request was rejected before anything was sent because its input is unsafe or invalid:
 * a URI template or variable that would leave the client's base URL, a header value with
 * line breaks, and the like.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpInvalidRequestException extends AsyncHttpException {

	public AsyncHttpInvalidRequestException(String problem, RequestContext request) {
		super("invalid request: " + problem, request, RequestState.NOT_SENT, null);
	}

}
