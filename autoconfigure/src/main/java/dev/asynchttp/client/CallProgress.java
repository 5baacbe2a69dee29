package dev.asynchttp.client;

import org.jspecify.annotations.Nullable;

/**
 * One call across its attempts: how many were started, how far the current one got, and
 * how the last one failed. Read by the total deadline to report attempts and last cause.
 */
final class CallProgress {

	private volatile int attempts;

	/**
	 * The progress before any attempt started: nothing sent. Never marked, so one instance
	 * serves every call.
	 */
	private static final AttemptProgress NOT_STARTED = new AttemptProgress();

	private volatile AttemptProgress current = NOT_STARTED;

	private volatile @Nullable Throwable lastFailure;

	AttemptProgress startAttempt() {
		int attempt = this.attempts + 1;
		AttemptProgress progress = new AttemptProgress(attempt);
		this.current = progress;
		this.attempts = attempt;
		return progress;
	}

	int attempts() {
		return Math.max(this.attempts, 1);
	}

	AttemptProgress current() {
		return this.current;
	}

	void failed(Throwable failure) {
		this.lastFailure = failure;
	}

	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

}
