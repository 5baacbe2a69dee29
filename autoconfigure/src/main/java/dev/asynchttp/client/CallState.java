package dev.asynchttp.client;

import org.jspecify.annotations.Nullable;

/**
 * One call across its attempts: how many were started, how far the current one got, and
 * how the last one failed. Read by the total deadline to report attempts and last cause.
 */
final class CallState {

	private volatile int attempts;

	/**
	 * The progress before any attempt started: nothing sent. Never marked, so one instance
	 * serves every call.
	 */
	private static final RequestProgress NOT_STARTED = new RequestProgress();

	private volatile RequestProgress current = NOT_STARTED;

	private volatile @Nullable Throwable lastFailure;

	RequestProgress startAttempt() {
		int attempt = this.attempts + 1;
		RequestProgress progress = new RequestProgress(attempt);
		this.current = progress;
		this.attempts = attempt;
		return progress;
	}

	int attempts() {
		return Math.max(this.attempts, 1);
	}

	RequestProgress current() {
		return this.current;
	}

	void failed(Throwable failure) {
		this.lastFailure = failure;
	}

	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

}
