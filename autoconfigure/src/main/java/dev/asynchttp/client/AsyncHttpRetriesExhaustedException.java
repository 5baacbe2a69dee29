package dev.asynchttp.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The retry policy wanted to try again but could not: attempts used up, retry budget
 * spent, the call's deadline too close, or a {@code Retry-After} longer than allowed. The
 * cause is the last attempt's failure. When that failure was an HTTP status, the caller
 * receives Spring's {@code WebClientResponseException} with this exception attached as a
 * suppressed one, except when the server's {@code Retry-After} could not be honoured: then
 * this exception itself, carrying the requested wait, is the outcome.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpRetriesExhaustedException extends AsyncHttpException {

	private final StopReason stopReason;

	private final @Nullable Duration retryAfter;

	private final @Nullable Integer lastStatus;

	public AsyncHttpRetriesExhaustedException(RequestContext request, RequestState requestState, int attempts,
			StopReason stopReason, @Nullable Duration retryAfter, @Nullable Integer lastStatus, Throwable cause) {
		super(describe(attempts, stopReason, retryAfter, lastStatus), request, requestState, cause);
		this.stopReason = stopReason;
		this.retryAfter = retryAfter;
		this.lastStatus = lastStatus;
		recordAttempts(attempts, stopReason);
	}

	private static String describe(int attempts, StopReason reason, @Nullable Duration retryAfter,
			@Nullable Integer lastStatus) {
		StringBuilder message = new StringBuilder("gave up after ").append(attempts)
			.append((attempts == 1) ? " attempt: " : " attempts: ")
			.append(reason.description);
		if (retryAfter != null) {
			message.append(" (server asked to wait ").append(retryAfter.toMillis()).append("ms)");
		}
		if (lastStatus != null) {
			message.append(", last status ").append(lastStatus);
		}
		return message.toString();
	}

	/**
	 * Why retrying stopped.
	 * @return the stop reason
	 */
	public StopReason getStopReason() {
		return this.stopReason;
	}

	/**
	 * The wait the server asked for with {@code Retry-After}, if it did.
	 * @return the requested wait, or {@code null}
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * HTTP status of the last attempt, if it got one.
	 * @return the last status, or {@code null}
	 */
	public @Nullable Integer getLastStatus() {
		return this.lastStatus;
	}

	/**
	 * Why the retry policy stopped.
	 */
	public enum StopReason {

		/**
		 * The failure is not one that may be retried.
		 */
		NOT_RETRYABLE("not retryable"),

		/**
		 * {@code retry.max-attempts} were made.
		 */
		MAX_ATTEMPTS("retry.max-attempts reached"),

		/**
		 * The client's retry budget ({@code retry.budget.*}) is spent.
		 */
		BUDGET_EXHAUSTED("retry budget exhausted (retry.budget.*)"),

		/**
		 * The next attempt could not start before the call's deadline.
		 */
		DEADLINE("the next attempt would start after the call's deadline (timeouts.total)"),

		/**
		 * The server's {@code Retry-After} is longer than {@code retry.max-retry-after}.
		 */
		RETRY_AFTER_TOO_LONG("Retry-After is longer than retry.max-retry-after");

		private final String description;

		StopReason(String description) {
			this.description = description;
		}

	}

}
