package dev.asynchttp.benchmarks;

import java.util.concurrent.TimeoutException;

import dev.asynchttp.client.AsyncHttpOverloadException;
import dev.asynchttp.client.AsyncHttpTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * How a failed call failed, the same way for every client.
 *
 * @author async-http
 * @since 0.1.0
 */
public enum ErrorKind {

	/** Refused at once because a wait queue was full (never sent). */
	OVERLOAD("overload"),

	/** The upstream answered 503. */
	HTTP_503("503"),

	/** A timeout of any kind. */
	TIMEOUT("timeout"),

	/** Anything else: another status, a connection failure. */
	OTHER("other");

	// Reactor Netty's own pool errors live in a shaded internal package: matched by name.
	private static final String PENDING_LIMIT = "PoolAcquirePendingLimitException";

	private static final String ACQUIRE_TIMEOUT = "PoolAcquireTimeoutException";

	private final String label;

	ErrorKind(String label) {
		this.label = label;
	}

	/**
	 * Short name used in the table and the result files.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Classify an error, looking through its causes.
	 * @param error the error a call ended with
	 * @return its kind
	 */
	public static ErrorKind of(Throwable error) {
		for (Throwable current = error; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			ErrorKind kind = direct(current);
			if (kind != null) {
				return kind;
			}
		}
		return OTHER;
	}

	private static ErrorKind direct(Throwable error) {
		String name = error.getClass().getSimpleName();
		if (error instanceof AsyncHttpOverloadException || name.equals(PENDING_LIMIT)) {
			return OVERLOAD;
		}
		if (error instanceof AsyncHttpTimeoutException || error instanceof TimeoutException
				|| error instanceof ReadTimeoutException || name.equals(ACQUIRE_TIMEOUT)) {
			return TIMEOUT;
		}
		if (error instanceof WebClientResponseException response) {
			return (response.getStatusCode().value() == 503) ? HTTP_503 : OTHER;
		}
		if (error instanceof UpstreamStatusException status) {
			return (status.status() == 503) ? HTTP_503 : OTHER;
		}
		return null;
	}

}
