package dev.asynchttp.autoconfigure.metrics;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiFunction;

import dev.asynchttp.client.CallTimers;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Scannable;

import org.springframework.web.reactive.function.client.ClientRequestObservationContext;

/**
 * Measures {@code reactor.netty.connection.provider.pending.connections.time}, which
 * Reactor Netty (up to at least 1.3.6) does not record for a pool whose metrics go to a
 * custom {@code MeterRegistrar}; async-http uses one so that the pool meters go to the
 * application's registry instead of Micrometer's global one (see {@link ConnectionPoolMeters}),
 * which is the only reason this class exists. reactor-pool starts a pending-acquire timer exactly when
 * an acquire has to wait (no idle connection, no room for a new one) and disposes it when
 * the wait ends, which is the span Reactor Netty's own timer measures. This class is that
 * timer: it schedules the acquire timeout on the clients' own timer ({@link CallTimers})
 * and records the wait when it is disposed; {@code status=ERROR} when the acquire timed out, {@code SUCCESS}
 * otherwise. The pool is found through the request of the {@code http.client.requests}
 * observation that both {@code WebClient} and async-http's direct path put into the
 * exchange's Reactor context (a reactor-pool borrower is subscribed within it); a wait
 * without one, such as when that observation is switched off, is recorded on the client's
 * aggregate pool meters.
 *
 * @author async-http
 */
final class PendingAcquireTimer implements BiFunction<Runnable, Duration, Disposable> {

	/** Most remote addresses remembered per scheme before the cache starts over. */
	private static final int MAX_CACHED_ADDRESSES = 1024;

	private final String clientName;

	private final ConnectionPoolMeters meters;

	/**
	 * {@code host:port} by URI authority, for {@code http} and for {@code https} (their
	 * default ports differ), so that a wait is recorded without building a string per call.
	 */
	private final Map<String, String> plainAddresses = new ConcurrentHashMap<>();

	private final Map<String, String> secureAddresses = new ConcurrentHashMap<>();

	PendingAcquireTimer(String clientName, ConnectionPoolMeters meters) {
		this.clientName = clientName;
		this.meters = meters;
	}

	@Override
	public Disposable apply(Runnable timeout, Duration delay) {
		Pending pending = new Pending(requestUriOf(timeout), timeout);
		// The clients' own cheap timer: most acquires that wait, wait an instant, so a
		// ScheduledThreadPoolExecutor (Schedulers.parallel()) would be armed and cancelled with
		// its queue lock and a thread wake-up for nearly every call under load.
		pending.task = CallTimers.schedule(pending, delay);
		return pending;
	}

	private @Nullable String remoteAddress(@Nullable URI uri) {
		if (uri == null || uri.getHost() == null) {
			return null;
		}
		String authority = uri.getRawAuthority();
		boolean secure = "https".equalsIgnoreCase(uri.getScheme());
		Map<String, String> addresses = secure ? this.secureAddresses : this.plainAddresses;
		String address = addresses.get(authority);
		if (address == null) {
			int port = uri.getPort();
			if (port == -1) {
				port = secure ? 443 : 80;
			}
			address = uri.getHost() + ":" + port;
			if (addresses.size() >= MAX_CACHED_ADDRESSES) {
				addresses.clear();
			}
			addresses.put(authority, address);
		}
		return address;
	}

	private static @Nullable URI requestUriOf(Runnable borrower) {
		Scannable scannable = Scannable.from(borrower);
		Object actual = scannable.scanUnsafe(Scannable.Attr.ACTUAL);
		if (actual instanceof CoreSubscriber<?> subscriber) {
			Observation observation = subscriber.currentContext().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			if (observation != null && observation.getContext() instanceof ClientRequestObservationContext context
					&& context.getRequest() != null) {
				return context.getRequest().url();
			}
		}
		return null;
	}

	/**
	 * One pending acquire: its timeout task and the disposable reactor-pool holds.
	 */
	private final class Pending implements Disposable, Runnable {

		private static final AtomicIntegerFieldUpdater<Pending> STOPPED = AtomicIntegerFieldUpdater
			.newUpdater(Pending.class, "stopped");

		private final long start = System.nanoTime();

		private final @Nullable URI uri;

		private final Runnable timeout;

		private volatile @Nullable Disposable task;

		private volatile int stopped;

		private volatile boolean timedOut;

		Pending(@Nullable URI uri, Runnable timeout) {
			this.uri = uri;
			this.timeout = timeout;
		}

		/** The timeout: reactor-pool's task, run when the wait lasted the acquire timeout. */
		@Override
		public void run() {
			this.timedOut = true;
			// reactor-pool fails the acquire and disposes this timer, which records it.
			this.timeout.run();
		}

		@Override
		public void dispose() {
			Disposable task = this.task;
			if (task != null) {
				task.dispose();
			}
			if (STOPPED.compareAndSet(this, 0, 1)) {
				PendingAcquireTimer.this.meters.recordPending(PendingAcquireTimer.this.clientName,
						remoteAddress(this.uri), System.nanoTime() - this.start, !this.timedOut);
			}
		}

		@Override
		public boolean isDisposed() {
			return this.stopped == 1;
		}

	}

}
