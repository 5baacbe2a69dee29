package dev.asynchttp.client;

import reactor.util.context.ContextView;

/**
 * How far one exchange got, shared through the Reactor context between the exchange filter,
 * the Reactor Netty request callbacks and the total deadline, so that an error can say
 * whether the request was sent.
 */
final class RequestProgress {

	static final String CONTEXT_KEY = RequestProgress.class.getName();

	private volatile boolean writeStarted;

	void markWriteStarted() {
		this.writeStarted = true;
	}

	RequestState state() {
		return this.writeStarted ? RequestState.OUTCOME_UNKNOWN : RequestState.NOT_SENT;
	}

	static void markWriteStarted(ContextView context) {
		context.<RequestProgress>getOrEmpty(CONTEXT_KEY).ifPresent(RequestProgress::markWriteStarted);
	}

}
