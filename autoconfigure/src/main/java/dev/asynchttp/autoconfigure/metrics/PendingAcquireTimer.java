package dev.asynchttp.autoconfigure.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Measures {@code reactor.netty.connection.provider.pending.connections.time}, which
 * Reactor Netty (up to at least 1.3.6) does not record for a pool whose metrics go to a
 * custom {@code MeterRegistrar}. reactor-pool starts a pending-acquire timer exactly when
 * an acquire has to wait (no idle connection, no room for a new one) and disposes it when
 * the wait ends, which is the span Reactor Netty's own timer measures. This class is that
 * timer: it schedules the acquire timeout as reactor-pool would and records the wait when
 * it is disposed; {@code status=ERROR} when the acquire timed out, {@code SUCCESS}
 * otherwise. The pool is found through the remote address that {@link #remoteAddress()}
 * writes into the request's Reactor context.
 *
 * @author async-http
 */
final class PendingAcquireTimer implements BiFunction<Runnable, Duration, Disposable> {

	private static final String REMOTE_ADDRESS = PendingAcquireTimer.class.getName() + ".remoteAddress";

	private final String clientName;

	private final ConnectionPoolMeters meters;

	PendingAcquireTimer(String clientName, ConnectionPoolMeters meters) {
		this.clientName = clientName;
		this.meters = meters;
	}

	@Override
	public Disposable apply(Runnable timeout, Duration delay) {
		Pending pending = new Pending(remoteAddressOf(timeout), timeout);
		Disposable task = Schedulers.parallel().schedule(pending::timeOut, delay.toNanos(), TimeUnit.NANOSECONDS);
		return new Disposable() {

			@Override
			public void dispose() {
				task.dispose();
				pending.stop();
			}

			@Override
			public boolean isDisposed() {
				return pending.stopped.get();
			}

		};
	}

	/**
	 * A filter that writes the request's {@code host:port} into its Reactor context, where
	 * the pending acquire (a reactor-pool borrower subscribed within that context) finds it.
	 * @return the filter
	 */
	static ExchangeFilterFunction remoteAddress() {
		return (request, next) -> next.exchange(request)
			.contextWrite((context) -> context.put(REMOTE_ADDRESS, hostAndPort(request.url())));
	}

	private static String hostAndPort(URI uri) {
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
		}
		return uri.getHost() + ":" + port;
	}

	private static @Nullable String remoteAddressOf(Runnable borrower) {
		Scannable scannable = Scannable.from(borrower);
		Object actual = scannable.scanUnsafe(Scannable.Attr.ACTUAL);
		if (actual instanceof CoreSubscriber<?> subscriber) {
			return subscriber.currentContext().getOrDefault(REMOTE_ADDRESS, null);
		}
		return null;
	}

	private final class Pending {

		private final long start = System.nanoTime();

		private final @Nullable String remoteAddress;

		private final Runnable timeout;

		private final AtomicBoolean stopped = new AtomicBoolean();

		private volatile boolean timedOut;

		Pending(@Nullable String remoteAddress, Runnable timeout) {
			this.remoteAddress = remoteAddress;
			this.timeout = timeout;
		}

		void timeOut() {
			this.timedOut = true;
			// reactor-pool fails the acquire and disposes this timer, which records it.
			this.timeout.run();
		}

		void stop() {
			if (this.stopped.compareAndSet(false, true)) {
				PendingAcquireTimer.this.meters.recordPending(PendingAcquireTimer.this.clientName, this.remoteAddress,
						System.nanoTime() - this.start, !this.timedOut);
			}
		}

	}

}
