package dev.asynchttp.client;

import org.springframework.util.unit.DataSize;

/**
 * A response body decoded in memory (by {@code get}, {@code bodyToMono}, {@code toEntity},
 * {@code fetchAll} and the like) was larger than the client's {@code max-in-memory-size}.
 * The rest of the body was not read and its connection was closed. Not retried: the same
 * body would be just as large. Read large bodies with {@link AsyncApiClient#stream} or
 * {@link AsyncApiClient#download} instead, or raise the limit.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpResponseTooLargeException extends AsyncHttpException {

	private final DataSize maxInMemorySize;

	public AsyncHttpResponseTooLargeException(RequestContext request, DataSize maxInMemorySize, Throwable cause) {
		super("response body is larger than max-in-memory-size (" + maxInMemorySize.toBytes() + " bytes); raise"
				+ " async-http.clients." + request.clientName() + ".max-in-memory-size, or read the body with"
				+ " stream(...) or download(...)", request, RequestState.OUTCOME_UNKNOWN, cause);
		this.maxInMemorySize = maxInMemorySize;
	}

	/**
	 * The limit the body went over.
	 * @return the configured {@code max-in-memory-size}
	 */
	public DataSize getMaxInMemorySize() {
		return this.maxInMemorySize;
	}

}
