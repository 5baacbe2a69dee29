package dev.asynchttp.client;

import reactor.util.context.ContextView;

/**
 * How far one attempt got, shared through the Reactor context between the exchange filter,
 * the Reactor Netty request callbacks, the retry policy and the total deadline, so that an
 * error can say whether the request was sent.
 */
final class AttemptProgress {

	static final String CONTEXT_KEY = AttemptProgress.class.getName();

	private final int attempt;

	private volatile boolean writeStarted;

	private volatile boolean reusedConnection;

	private volatile boolean responseReceived;

	private volatile boolean redirected;

	/**
	 * The only attempt of a call that is not retried.
	 */
	AttemptProgress() {
		this(1);
	}

	/**
	 * Attempt {@code attempt} of a call, counted from 1.
	 */
	AttemptProgress(int attempt) {
		this.attempt = attempt;
	}

	/**
	 * Which attempt of its call this is, counted from 1.
	 */
	int attempt() {
		return this.attempt;
	}

	void markWriteStarted(boolean reusedConnection) {
		this.reusedConnection = reusedConnection;
		this.writeStarted = true;
	}

	RequestState state() {
		return this.writeStarted ? RequestState.OUTCOME_UNKNOWN : RequestState.NOT_SENT;
	}

	/**
	 * The state of a failure before the current request was written: {@code NOT_SENT},
	 * unless it follows a redirect, since the request that was redirected had been sent.
	 */
	RequestState unsent() {
		return this.redirected ? RequestState.OUTCOME_UNKNOWN : RequestState.NOT_SENT;
	}

	/**
	 * A redirect was followed: from now on the call's request counts as sent.
	 */
	void markRedirected() {
		this.redirected = true;
	}

	void markResponseReceived() {
		this.responseReceived = true;
	}

	/**
	 * Whether the status line and headers of a response arrived: a connection lost after
	 * that was not a stale keep-alive connection.
	 */
	boolean responseReceived() {
		return this.responseReceived;
	}

	/**
	 * Whether the attempt was written on a pooled connection that had served a request
	 * before: the case where an idle connection closed by the server shows up.
	 */
	boolean reusedConnection() {
		return this.reusedConnection;
	}

	static void markWriteStarted(ContextView context, boolean reusedConnection) {
		AttemptProgress progress = context.getOrDefault(CONTEXT_KEY, null);
		if (progress != null) {
			progress.markWriteStarted(reusedConnection);
		}
	}

}
