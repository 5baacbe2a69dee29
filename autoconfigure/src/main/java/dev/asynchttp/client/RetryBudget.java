package dev.asynchttp.client;

import java.util.function.LongSupplier;

/**
 * Caps the extra load retries may add, in the spirit of Finagle's and Envoy's retry
 * budgets: over a sliding ten-second window, retries may reach {@code ratio} of the first
 * attempts plus {@code minPerSecond} per second. When the budget is spent the retry is
 * refused at once; a caller never waits for budget.
 */
final class RetryBudget {

	private static final int WINDOW_SECONDS = 10;

	private static final long SECOND = 1_000_000_000L;

	private final double ratio;

	private final int minPerSecond;

	private final LongSupplier nanoClock;

	private final long[] requests = new long[WINDOW_SECONDS];

	private final long[] retries = new long[WINDOW_SECONDS];

	private final long[] bucketSecond = new long[WINDOW_SECONDS];

	RetryBudget(double ratio, int minPerSecond, LongSupplier nanoClock) {
		this.ratio = ratio;
		this.minPerSecond = minPerSecond;
		this.nanoClock = nanoClock;
	}

	/**
	 * Count a first attempt: it earns {@code ratio} of a retry.
	 */
	synchronized void recordRequest() {
		this.requests[bucket()]++;
	}

	/**
	 * Take one retry from the budget if there is one left.
	 * @return whether the retry may go ahead
	 */
	synchronized boolean tryRetry() {
		int current = bucket();
		long requestsInWindow = 0;
		long retriesInWindow = 0;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			requestsInWindow += this.requests[i];
			retriesInWindow += this.retries[i];
		}
		double allowed = (double) this.minPerSecond * WINDOW_SECONDS + this.ratio * requestsInWindow;
		if (retriesInWindow + 1 > allowed) {
			return false;
		}
		this.retries[current]++;
		return true;
	}

	private int bucket() {
		long second = Math.floorDiv(this.nanoClock.getAsLong(), SECOND);
		int index = (int) Math.floorMod(second, WINDOW_SECONDS);
		if (this.bucketSecond[index] != second) {
			// The bucket holds a second that has left the window: start it afresh.
			this.bucketSecond[index] = second;
			this.requests[index] = 0;
			this.retries[index] = 0;
		}
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			if (second - this.bucketSecond[i] >= WINDOW_SECONDS) {
				this.requests[i] = 0;
				this.retries[i] = 0;
			}
		}
		return index;
	}

}
