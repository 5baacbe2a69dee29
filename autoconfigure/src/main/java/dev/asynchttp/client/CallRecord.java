package dev.asynchttp.client;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * What a batch item needs to know about its call once it is over: the URI it went to and
 * how many attempts it made.
 */
final class CallRecord {

	private volatile @Nullable URI uri;

	private volatile @Nullable CallProgress state;

	void uri(URI uri) {
		this.uri = uri;
	}

	@Nullable URI uri() {
		return this.uri;
	}

	void state(CallProgress state) {
		this.state = state;
	}

	int attempts() {
		CallProgress state = this.state;
		return (state != null) ? state.attempts() : 1;
	}

}
