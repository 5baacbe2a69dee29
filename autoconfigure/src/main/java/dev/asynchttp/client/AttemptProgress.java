package dev.asynchttp.client;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import reactor.util.context.ContextView;

/**
 * How far one attempt got, shared through the Reactor context between the exchange filter,
 * the Reactor Netty request callbacks, the retry policy and the total deadline, so that an
 * error can say whether the request was sent.
 */
final class AttemptProgress {

	static final String CONTEXT_KEY = AttemptProgress.class.getName();

	private static final AtomicIntegerFieldUpdater<AttemptProgress> WRITE = AtomicIntegerFieldUpdater
		.newUpdater(AttemptProgress.class, "write");

	private static final int UNSENT = 0;

	private static final int WRITING = 1;

	/** The call's deadline passed before the write: it must never start. */
	private static final int ABANDONED = 2;

	private final int attempt;

	private volatile int write;

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

	/**
	 * The request is about to be written.
	 * @return {@code false} if the call was abandoned first: the request must not be written
	 */
	boolean startWrite(boolean reusedConnection) {
		if (this.write != WRITING && !WRITE.compareAndSet(this, UNSENT, WRITING)) {
			return false;
		}
		this.reusedConnection = reusedConnection;
		return true;
	}

	RequestState state() {
		return (this.write == WRITING) ? RequestState.OUTCOME_UNKNOWN : RequestState.NOT_SENT;
	}

	/**
	 * The call's deadline passed and the attempt is being cancelled, on another thread than
	 * the one that may be about to write its request. Settles the race: either the write had
	 * started, or it never will ({@link #startWrite(boolean)} refuses it), so that
	 * {@code NOT_SENT} is never said of a request the server may yet receive.
	 * @return the attempt's state from now on
	 */
	RequestState abandon() {
		WRITE.compareAndSet(this, UNSENT, ABANDONED);
		return state();
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

	/**
	 * Note that the request of the attempt in {@code context} is about to be written.
	 * @throws AbandonedException if its call was abandoned first: thrown before the write,
	 * it makes Reactor Netty fail the exchange, whose caller has already been given the
	 * deadline's error, without sending anything
	 */
	static void startWrite(ContextView context, boolean reusedConnection) {
		AttemptProgress progress = context.getOrDefault(CONTEXT_KEY, null);
		if (progress != null && !progress.startWrite(reusedConnection)) {
			throw new AbandonedException();
		}
	}

	/**
	 * Stops the write of a request whose call's deadline passed while it was being prepared.
	 */
	static final class AbandonedException extends RuntimeException {

		AbandonedException() {
			super("The call's total deadline passed before its request was written; not sent", null, false, false);
		}

	}

}
