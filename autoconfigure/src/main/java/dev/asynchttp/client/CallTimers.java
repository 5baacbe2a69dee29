package dev.asynchttp.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The timers every call arms and nearly always cancels: its total deadline and its wait
 * for a pooled connection. They run on one Netty {@link HashedWheelTimer} of 10 ms ticks,
 * where arming and cancelling take no lock, instead of a {@code ScheduledThreadPoolExecutor}
 * whose queue lock the event loops would otherwise take twice per call. A timer that fires
 * runs its task on {@link Schedulers#parallel()}, so that what the task sets off never holds
 * up the other timers.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class CallTimers {

	private static final HashedWheelTimer WHEEL = new HashedWheelTimer(
			new DefaultThreadFactory("async-http-timer", true), 10, TimeUnit.MILLISECONDS, 512);

	private CallTimers() {
	}

	/**
	 * Run {@code task} after {@code delay} unless disposed first; the pending-acquire timer
	 * of every client's connection pool, and the one to delegate to when replacing it
	 * ({@code ConnectionProvider.Builder.pendingAcquireTimer}).
	 * @param task the task
	 * @param delay the delay
	 * @return disposes the timer
	 */
	public static Disposable schedule(Runnable task, Duration delay) {
		Timeout timeout = WHEEL.newTimeout((fired) -> Schedulers.parallel().schedule(task), delay.toNanos(),
				TimeUnit.NANOSECONDS);
		return new Disposable() {

			@Override
			public void dispose() {
				timeout.cancel();
			}

			@Override
			public boolean isDisposed() {
				return timeout.isCancelled() || timeout.isExpired();
			}

		};
	}

	/**
	 * Like {@link Mono#delay(Duration)}: {@code 0} after {@code delay}; cancelling the
	 * subscription cancels the timer.
	 * @param delay the delay
	 * @return the delay
	 */
	static Mono<Long> delay(Duration delay) {
		return Mono.create((sink) -> {
			Timeout timeout = WHEEL.newTimeout((fired) -> Schedulers.parallel().schedule(() -> sink.success(0L)),
					delay.toNanos(), TimeUnit.NANOSECONDS);
			sink.onCancel(timeout::cancel);
		});
	}

}
