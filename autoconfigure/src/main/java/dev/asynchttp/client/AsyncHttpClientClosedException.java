package dev.asynchttp.client;

import org.jspecify.annotations.Nullable;

/**
 * The client was closed (its application context is shutting down), like aiohttp's "Session
 * is closed".
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpClientClosedException extends AsyncHttpException {

	public AsyncHttpClientClosedException(RequestContext request, RequestState requestState,
			@Nullable Throwable cause) {
		super("client is closed", request, requestState, cause);
	}

}
