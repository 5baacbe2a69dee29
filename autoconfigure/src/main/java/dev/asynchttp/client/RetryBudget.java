package dev.asynchttp.client;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps the extra load retries may add, in the spirit of Finagle's and Envoy's retry
 * budgets: over a sliding ten-second window, retries may reach {@code ratio} of the first
 * attempts plus {@code minPerSecond} per second. When the budget is spent the retry is
 * refused at once; a caller never waits for budget.
 * <p>
 * Counting a first attempt, done on every call, takes no lock: only moving to a new second
 * and taking a retry do.
 */
final class RetryBudget {

	private static final int WINDOW_SECONDS = 10;

	private static final long SECOND = 1_000_000_000L;

	private final double ratio;

	private final int minPerSecond;

	private final LongSupplier nanoClock;

	private final AtomicLongArray requests = new AtomicLongArray(WINDOW_SECONDS);

	private final long[] retries = new long[WINDOW_SECONDS];

	/**
	 * The second each bucket counts; a bucket whose second has left the window counts as
	 * empty.
	 */
	private final AtomicLongArray bucketSecond = new AtomicLongArray(WINDOW_SECONDS);

	RetryBudget(double ratio, int minPerSecond, LongSupplier nanoClock) {
		this.ratio = ratio;
		this.minPerSecond = minPerSecond;
		this.nanoClock = nanoClock;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			this.bucketSecond.set(i, Long.MIN_VALUE);
		}
	}

	/**
	 * Count a first attempt: it earns {@code ratio} of a retry.
	 */
	void recordRequest() {
		long second = second();
		int index = index(second);
		if (this.bucketSecond.get(index) != second) {
			synchronized (this) {
				startBucket(index, second);
			}
		}
		this.requests.incrementAndGet(index);
	}

	/**
	 * Take one retry from the budget if there is one left.
	 * @return whether the retry may go ahead
	 */
	synchronized boolean tryRetry() {
		long second = second();
		int current = index(second);
		startBucket(current, second);
		long requestsInWindow = 0;
		long retriesInWindow = 0;
		for (int i = 0; i < WINDOW_SECONDS; i++) {
			if (second - this.bucketSecond.get(i) < WINDOW_SECONDS) {
				requestsInWindow += this.requests.get(i);
				retriesInWindow += this.retries[i];
			}
		}
		double allowed = (double) this.minPerSecond * WINDOW_SECONDS + this.ratio * requestsInWindow;
		if (retriesInWindow + 1 > allowed) {
			return false;
		}
		this.retries[current]++;
		return true;
	}

	private long second() {
		return Math.floorDiv(this.nanoClock.getAsLong(), SECOND);
	}

	private static int index(long second) {
		return (int) Math.floorMod(second, WINDOW_SECONDS);
	}

	/**
	 * Make {@code index} the bucket of {@code second}, emptied if it held an older second.
	 * Called with the lock held.
	 */
	private void startBucket(int index, long second) {
		if (this.bucketSecond.get(index) != second) {
			this.requests.set(index, 0);
			this.retries[index] = 0;
			this.bucketSecond.set(index, second);
		}
	}

}
