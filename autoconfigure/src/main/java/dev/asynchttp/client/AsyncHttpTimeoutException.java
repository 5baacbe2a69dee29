package dev.asynchttp.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A timeout fired. {@link #getKind()} says which one.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpTimeoutException extends AsyncHttpException {

	private final Kind kind;

	private final @Nullable Duration timeout;

	public AsyncHttpTimeoutException(Kind kind, @Nullable Duration timeout, RequestContext request,
			RequestState requestState, @Nullable Throwable cause) {
		super(kind.description + " timeout" + ((timeout != null) ? " of " + timeout.toMillis() + "ms" : "")
				+ " expired (" + kind.property + ")", request, requestState, cause);
		this.kind = kind;
		this.timeout = timeout;
	}

	/**
	 * Which timeout fired.
	 * @return the kind of timeout
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The timeout that expired, when known.
	 * @return the timeout, or {@code null}
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Kinds of timeout.
	 */
	public enum Kind {

		/**
		 * Waiting in the queue for a permit or a pooled connection.
		 */
		ACQUIRE("acquire", "pool.acquire-timeout"),

		/**
		 * Opening the TCP connection.
		 */
		CONNECT("connect", "timeouts.connect"),

		/**
		 * Waiting for the next bytes of the response.
		 */
		READ("read", "timeouts.read"),

		/**
		 * Writing the request.
		 */
		WRITE("write", "timeouts.write"),

		/**
		 * The deadline of the whole call.
		 */
		TOTAL("total", "timeouts.total or the per-request timeout");

		private final String description;

		private final String property;

		Kind(String description, String property) {
			this.description = description;
			this.property = property;
		}

	}

}
