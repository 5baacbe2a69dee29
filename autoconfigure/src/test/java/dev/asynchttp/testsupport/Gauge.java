package dev.asynchttp.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A current count and the highest it has been, such as requests in progress at a test
 * server, or open connections.
 */
public final class Gauge {

	private final AtomicInteger current = new AtomicInteger();

	private final AtomicInteger max = new AtomicInteger();

	public void increment() {
		int now = this.current.incrementAndGet();
		this.max.accumulateAndGet(now, Math::max);
	}

	public void decrement() {
		this.current.decrementAndGet();
	}

	public int current() {
		return this.current.get();
	}

	public int max() {
		return this.max.get();
	}

}
