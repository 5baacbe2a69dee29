package dev.asynchttp.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import reactor.core.publisher.Mono;

/**
 * Keeps up to {@code concurrency} calls in flight until {@code n} have ended, each call
 * subscribed directly: the {@code asyncio.gather} of the guide when the concurrency is the
 * whole workload.
 * <p>
 * Not {@code Flux.range(0, n).flatMap(call, concurrency)}: {@code flatMap} scans every
 * inner on each completion, so with 20,000 calls at once it took 56 % of raw Reactor
 * Netty's CPU samples in the burst (JFR), and the harness, not the clients, decided the
 * figure. Here a completion costs an atomic increment and, when calls are left, one
 * subscription. Calls that end at once (a rejection) are started in a loop, not by
 * recursion, so no burst of synchronous failures can overflow the stack.
 *
 * @author async-http
 * @since 0.1.0
 */
final class InFlightDriver {

	private final int total;

	private final IntFunction<Mono<?>> call;

	private final AtomicInteger started = new AtomicInteger();

	/** Completions not yet turned into new calls; only the thread that takes it from 0 starts calls. */
	private final AtomicInteger wip = new AtomicInteger();

	private final CountDownLatch done;

	private InFlightDriver(int total, IntFunction<Mono<?>> call) {
		this.total = total;
		this.call = call;
		this.done = new CountDownLatch(total);
	}

	/**
	 * Run {@code total} calls, at most {@code concurrency} at a time, and wait for all of
	 * them. A call's error must be handled inside it: the driver counts an error like a
	 * completion.
	 * @param total the number of calls
	 * @param concurrency how many run at once
	 * @param call makes call {@code i}
	 * @param timeout how long to wait for the last one
	 */
	static void run(int total, int concurrency, IntFunction<Mono<?>> call, Duration timeout) {
		InFlightDriver driver = new InFlightDriver(total, call);
		driver.startMore(Math.min(concurrency, total));
		try {
			if (!driver.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(driver.done.getCount() + " of " + total + " calls still running after "
						+ timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the calls", ex);
		}
	}

	private void startMore(int count) {
		if (this.wip.getAndAdd(count) != 0) {
			// Another thread is in the loop below and will start these too.
			return;
		}
		int missed = count;
		do {
			for (int i = 0; i < missed; i++) {
				int index = this.started.getAndIncrement();
				if (index >= this.total) {
					break;
				}
				this.call.apply(index).subscribe(null, (error) -> ended(), this::ended);
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void ended() {
		this.done.countDown();
		startMore(1);
	}

}
