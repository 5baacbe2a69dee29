package dev.asynchttp.client;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * A response body was larger than a limit: decoded in memory (by {@code get},
 * {@code bodyToMono}, {@code toEntity}, {@code fetchAll} and the like) larger than the
 * client's {@code max-in-memory-size}, or streamed (by {@code stream}, {@code bodyToFlux},
 * {@code download}) larger than {@code max-response-size}, counted after decompression.
 * The rest of the body was not read and its connection was closed; a download's partial
 * file was deleted. Not retried: the same body would be just as large. {@link #getLimit()}
 * tells which limit it was.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpResponseTooLargeException extends AsyncHttpException {

	private final Limit limit;

	private final DataSize maxSize;

	/**
	 * A body decoded in memory went over {@code max-in-memory-size}.
	 * @param request the call
	 * @param maxInMemorySize the client's {@code max-in-memory-size}
	 * @param cause what the decoder raised
	 */
	public AsyncHttpResponseTooLargeException(RequestContext request, DataSize maxInMemorySize, Throwable cause) {
		this(Limit.MAX_IN_MEMORY_SIZE, "response body is larger than max-in-memory-size (" + maxInMemorySize.toBytes()
				+ " bytes); raise " + clientProperty(request, "max-in-memory-size")
				+ ", or read the body with stream(...) or download(...)", request, maxInMemorySize, cause);
	}

	/**
	 * A streamed or downloaded body went over {@code max-response-size}, or announced with
	 * its {@code Content-Length} that it would.
	 * @param request the call
	 * @param limit {@link Limit#MAX_RESPONSE_SIZE} or {@link Limit#REQUEST_MAX_RESPONSE_SIZE}
	 * @param maxResponseSize the limit
	 * @param contentLength the response's {@code Content-Length} when it alone went over the
	 * limit (the body was not read), else {@code -1}
	 */
	public AsyncHttpResponseTooLargeException(RequestContext request, Limit limit, DataSize maxResponseSize,
			long contentLength) {
		this(limit, describe(request, limit, maxResponseSize, contentLength), request, maxResponseSize, null);
	}

	private AsyncHttpResponseTooLargeException(Limit limit, String problem, RequestContext request, DataSize maxSize,
			@Nullable Throwable cause) {
		super(problem, request, RequestState.OUTCOME_UNKNOWN, cause);
		this.limit = limit;
		this.maxSize = maxSize;
	}

	private static String describe(RequestContext request, Limit limit, DataSize maxResponseSize,
			long contentLength) {
		Assert.isTrue(limit != Limit.MAX_IN_MEMORY_SIZE, "'limit' must be a max-response-size limit");
		String size = (contentLength >= 0) ? "response Content-Length (" + contentLength + " bytes) is"
				: "response body is";
		String property = clientProperty(request, "max-response-size");
		if (limit == Limit.REQUEST_MAX_RESPONSE_SIZE) {
			return size + " larger than this call's maxResponseSize (" + maxResponseSize.toBytes()
					+ " bytes); raise it in request(...).maxResponseSize(DataSize), which overrides " + property;
		}
		return size + " larger than max-response-size (" + maxResponseSize.toBytes() + " bytes); raise " + property
				+ ", or give this call its own limit with request(...).maxResponseSize(DataSize)";
	}

	private static String clientProperty(RequestContext request, String property) {
		return "async-http.clients." + request.clientName() + "." + property;
	}

	/**
	 * Which limit the body went over.
	 * @return the limit
	 */
	public Limit getLimit() {
		return this.limit;
	}

	/**
	 * The size the body went over.
	 * @return the value of the limit in {@link #getLimit()}
	 */
	public DataSize getMaxSize() {
		return this.maxSize;
	}

	/**
	 * The limits a response body can go over.
	 */
	public enum Limit {

		/**
		 * The client's {@code max-in-memory-size}, for bodies decoded in memory.
		 */
		MAX_IN_MEMORY_SIZE,

		/**
		 * The client's {@code max-response-size}, for streamed and downloaded bodies.
		 */
		MAX_RESPONSE_SIZE,

		/**
		 * The call's own {@link AsyncApiRequest#maxResponseSize(DataSize)}, which overrides
		 * the client's {@code max-response-size}.
		 */
		REQUEST_MAX_RESPONSE_SIZE

	}

}
