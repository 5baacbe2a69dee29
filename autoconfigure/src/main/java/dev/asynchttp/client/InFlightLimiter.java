package dev.asynchttp.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.pool.PoolAcquirePendingLimitException;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolShutdownException;

/**
 * The connection limits of one client in one place: at most {@code maxInFlight} exchanges
 * across all hosts (aiohttp {@code limit}) and at most {@code maxPerHost} to any one host
 * (aiohttp {@code limit_per_host}, the size of each Reactor Netty host pool).
 * <p>
 * A call only takes a client-wide permit once its host has room, so calls queued for a
 * saturated host never hold permits that calls to other hosts could use, and the host pool
 * behind always has a connection for an admitted call: the only wait is here, bounded by
 * one acquire timeout. Hosts that wait for a client-wide permit are served in turn, one
 * call each. A host's entry exists only while it has calls in flight or waiting.
 * <p>
 * Hand-written rather than built from reactor-pool: two pools (host, then client) cannot
 * admit a call to host B ahead of an older one to saturated host A without the older one
 * holding a client permit, and the common case, a free permit, costs here one short lock
 * and no subscription.
 */
final class InFlightLimiter {

	private static final AtomicIntegerFieldUpdater<InFlightLimiter> HANDING_OVER = AtomicIntegerFieldUpdater
		.newUpdater(InFlightLimiter.class, "handingOver");

	private static final Throwable CANCELLED = new PoolShutdownException();

	private final int maxInFlight;

	private final int maxPerHost;

	private final int maxPending;

	private final Duration acquireTimeout;

	private final Scheduler timer;

	private final Map<Object, Host> hosts = new HashMap<>();

	/**
	 * Hosts with room that wait for a client-wide permit, in the order they started
	 * waiting; a host may linger here after its waiters left and is then skipped.
	 */
	private final ArrayDeque<Host> ready = new ArrayDeque<>();

	/**
	 * Waiters admitted under the lock, to be handed their permits outside it.
	 */
	private final ArrayDeque<Waiter> admitted = new ArrayDeque<>();

	private volatile int handingOver;

	/**
	 * All waiters, oldest first, across hosts: the order in which they time out.
	 */
	private @Nullable Waiter oldest;

	private @Nullable Waiter youngest;

	private boolean timerArmed;

	private int inFlight;

	private int pending;

	private boolean disposed;

	/**
	 * Create a limiter.
	 * @param maxInFlight exchanges at once across all hosts
	 * @param maxPerHost exchanges at once to one host
	 * @param maxPending calls allowed to wait; {@code -1} for no limit other than the
	 * acquire timeout
	 * @param acquireTimeout longest wait for a permit
	 * @param timer runs the acquire timeouts
	 */
	InFlightLimiter(int maxInFlight, int maxPerHost, int maxPending, Duration acquireTimeout, Scheduler timer) {
		this.maxInFlight = maxInFlight;
		this.maxPerHost = maxPerHost;
		this.maxPending = maxPending;
		this.acquireTimeout = acquireTimeout;
		this.timer = timer;
	}

	/**
	 * Take a permit for {@code host} at once if one is free and nobody waits ahead.
	 * @param host the host key (equal for equal host and port)
	 * @return the permit, or {@code null} when the call has to wait through
	 * {@link #acquire(Object)}
	 * @throws PoolShutdownException once disposed
	 */
	@Nullable Permit tryAcquire(Object host) {
		synchronized (this) {
			if (this.disposed) {
				throw new PoolShutdownException();
			}
			Host entry = this.hosts.get(host);
			if (entry == null) {
				if (this.inFlight >= this.maxInFlight || !this.ready.isEmpty()) {
					return null;
				}
				entry = new Host(host);
				this.hosts.put(host, entry);
			}
			else if (entry.hasWaiters() || entry.inFlight >= this.maxPerHost || this.inFlight >= this.maxInFlight
					|| !this.ready.isEmpty()) {
				return null;
			}
			entry.inFlight++;
			this.inFlight++;
			return new Permit(this, entry);
		}
	}

	/**
	 * Wait for a permit for {@code host} without blocking, behind the calls already waiting.
	 * Fails with {@link PoolAcquirePendingLimitException} at once when {@code maxPending}
	 * calls already wait, with {@link PoolAcquireTimeoutException} after the acquire
	 * timeout, and with {@link PoolShutdownException} once disposed.
	 * @param host the host key
	 * @return the permit, to be released exactly once
	 */
	Mono<Permit> acquire(Object host) {
		return Mono.create((sink) -> enqueue(host, sink));
	}

	private void enqueue(Object host, MonoSink<Permit> sink) {
		Waiter waiter;
		Permit granted = null;
		Throwable refused = null;
		synchronized (this) {
			Host entry = this.hosts.computeIfAbsent(host, Host::new);
			if (this.disposed) {
				refused = new PoolShutdownException();
				waiter = null;
			}
			else if (!entry.hasWaiters() && entry.inFlight < this.maxPerHost && this.inFlight < this.maxInFlight
					&& this.ready.isEmpty()) {
				granted = grant(entry);
				waiter = null;
			}
			else if (this.maxPending >= 0 && this.pending >= this.maxPending) {
				refused = new PoolAcquirePendingLimitException(this.maxPending);
				forgetIfIdle(entry);
				waiter = null;
			}
			else {
				waiter = new Waiter(entry, sink, System.nanoTime() + this.acquireTimeout.toNanos());
				entry.append(waiter);
				linkOldest(waiter);
				this.pending++;
				if (entry.inFlight < this.maxPerHost && !entry.ready) {
					entry.ready = true;
					this.ready.addLast(entry);
				}
			}
		}
		if (granted != null) {
			sink.success(granted);
			return;
		}
		if (refused != null) {
			sink.error(refused);
			return;
		}
		Waiter queued = waiter;
		armTimer();
		sink.onCancel(() -> cancel(queued));
	}

	/**
	 * Every waiter waits for the same acquire timeout, so the oldest one is always the next
	 * to time out: one timer, set for the oldest waiter, serves all of them, instead of a
	 * scheduled task per waiting call.
	 */
	private void armTimer() {
		long delay;
		synchronized (this) {
			if (this.timerArmed || this.oldest == null) {
				return;
			}
			this.timerArmed = true;
			delay = Math.max(0, this.oldest.deadlineNanos - System.nanoTime());
		}
		this.timer.schedule(this::expireOverdue, delay, TimeUnit.NANOSECONDS);
	}

	private void expireOverdue() {
		List<Waiter> overdue = new ArrayList<>();
		synchronized (this) {
			this.timerArmed = false;
			long now = System.nanoTime();
			for (Waiter waiter = this.oldest; waiter != null && waiter.deadlineNanos - now <= 0; waiter = waiter.younger) {
				overdue.add(waiter);
			}
		}
		overdue.forEach((waiter) -> expire(waiter, null));
		armTimer();
	}

	private void linkOldest(Waiter waiter) {
		waiter.older = this.youngest;
		if (this.youngest != null) {
			this.youngest.younger = waiter;
		}
		else {
			this.oldest = waiter;
		}
		this.youngest = waiter;
	}

	private void unlinkOldest(Waiter waiter) {
		if (waiter.older != null) {
			waiter.older.younger = waiter.younger;
		}
		else {
			this.oldest = waiter.younger;
		}
		if (waiter.younger != null) {
			waiter.younger.older = waiter.older;
		}
		else {
			this.youngest = waiter.older;
		}
		waiter.older = null;
		waiter.younger = null;
	}

	/**
	 * A caller gave up waiting. If it had been admitted an instant before, its permit never
	 * reached it (the sink drops a value after cancel), so it is given back here.
	 */
	private void cancel(Waiter waiter) {
		Permit lost;
		synchronized (this) {
			lost = waiter.queued ? null : waiter.permit;
		}
		if (lost != null) {
			lost.release();
		}
		else {
			expire(waiter, CANCELLED);
		}
	}

	/**
	 * Remove a waiter that timed out, was cancelled or is failed by a dispose.
	 * @param failure what to fail it with, or {@code null} for the acquire timeout (a
	 * cancelled waiter ignores it)
	 */
	private void expire(Waiter waiter, @Nullable Throwable failure) {
		synchronized (this) {
			if (!waiter.queued) {
				return;
			}
			waiter.host.unlink(waiter);
			unlinkOldest(waiter);
			this.pending--;
			forgetIfIdle(waiter.host);
		}
		if (failure != CANCELLED) {
			waiter.sink.error((failure != null) ? failure : new PoolAcquireTimeoutException(this.acquireTimeout));
		}
	}

	private void release(Host host) {
		boolean admittedAny = false;
		synchronized (this) {
			host.inFlight--;
			this.inFlight--;
			if (host.hasWaiters() && !host.ready) {
				// The host had been full: its next caller now only needs a client-wide permit.
				host.ready = true;
				this.ready.addLast(host);
			}
			while (this.inFlight < this.maxInFlight && !this.ready.isEmpty()) {
				Host next = this.ready.pollFirst();
				next.ready = false;
				Waiter waiter = next.first;
				if (waiter == null) {
					forgetIfIdle(next);
					continue;
				}
				next.unlink(waiter);
				unlinkOldest(waiter);
				this.pending--;
				waiter.permit = grant(next);
				this.admitted.addLast(waiter);
				admittedAny = true;
				if (next.hasWaiters() && next.inFlight < this.maxPerHost) {
					// Back to the end of the line: hosts waiting for a permit take turns.
					next.ready = true;
					this.ready.addLast(next);
				}
			}
			forgetIfIdle(host);
		}
		if (admittedAny) {
			// Nothing to hand over otherwise: a release that admitted someone hands over itself.
			handOver();
		}
	}

	/**
	 * Give admitted waiters their permits, outside the lock and one thread at a time: an
	 * admitted call that fails at once releases its permit and admits the next from within
	 * this loop, which would otherwise recurse once per waiting call.
	 */
	private void handOver() {
		if (HANDING_OVER.getAndIncrement(this) != 0) {
			return;
		}
		int missed = 1;
		do {
			Waiter waiter;
			while ((waiter = pollAdmitted()) != null) {
				waiter.sink.success(waiter.permit);
			}
			missed = HANDING_OVER.addAndGet(this, -missed);
		}
		while (missed != 0);
	}

	private synchronized @Nullable Waiter pollAdmitted() {
		return this.admitted.pollFirst();
	}

	private Permit grant(Host host) {
		host.inFlight++;
		this.inFlight++;
		return new Permit(this, host);
	}

	private void forgetIfIdle(Host host) {
		if (host.inFlight == 0 && !host.hasWaiters() && !host.ready) {
			this.hosts.remove(host.key, host);
		}
	}

	synchronized int inFlight() {
		return this.inFlight;
	}

	synchronized int queued() {
		return this.pending;
	}

	/**
	 * Hosts with calls in flight or waiting.
	 * @return the number of hosts the limiter keeps state for
	 */
	synchronized int hosts() {
		return this.hosts.size();
	}

	/**
	 * Refuse new calls and fail every waiting one with {@link PoolShutdownException};
	 * permits in use are still released normally.
	 */
	Mono<Void> disposeLater() {
		return Mono.fromRunnable(() -> {
			List<Waiter> waiters = new ArrayList<>();
			synchronized (this) {
				this.disposed = true;
				this.hosts.values().forEach((host) -> {
					for (Waiter waiter = host.first; waiter != null; waiter = waiter.next) {
						waiters.add(waiter);
					}
				});
			}
			waiters.forEach((waiter) -> expire(waiter, new PoolShutdownException()));
		});
	}

	/**
	 * A permit, given back exactly once whichever of body completion, error or cancellation
	 * comes first.
	 */
	static final class Permit {

		private static final AtomicIntegerFieldUpdater<Permit> RELEASED = AtomicIntegerFieldUpdater
			.newUpdater(Permit.class, "released");

		private final InFlightLimiter limiter;

		private final Host host;

		private volatile int released;

		private Permit(InFlightLimiter limiter, Host host) {
			this.limiter = limiter;
			this.host = host;
		}

		void release() {
			if (RELEASED.compareAndSet(this, 0, 1)) {
				this.limiter.release(this.host);
			}
		}

	}

	/**
	 * One host's count of exchanges in flight and its waiting calls, oldest first. Guarded
	 * by the limiter's lock.
	 */
	private static final class Host {

		private final Object key;

		private int inFlight;

		private boolean ready;

		private @Nullable Waiter first;

		private @Nullable Waiter last;

		Host(Object key) {
			this.key = key;
		}

		boolean hasWaiters() {
			return this.first != null;
		}

		void append(Waiter waiter) {
			waiter.previous = this.last;
			if (this.last != null) {
				this.last.next = waiter;
			}
			else {
				this.first = waiter;
			}
			this.last = waiter;
		}

		void unlink(Waiter waiter) {
			if (waiter.previous != null) {
				waiter.previous.next = waiter.next;
			}
			else {
				this.first = waiter.next;
			}
			if (waiter.next != null) {
				waiter.next.previous = waiter.previous;
			}
			else {
				this.last = waiter.previous;
			}
			waiter.previous = null;
			waiter.next = null;
			waiter.queued = false;
		}

	}

	/**
	 * A waiting call: a node of its host's queue and of the limiter's queue of all waiters,
	 * so that a cancelled or timed-out call
	 * leaves at once instead of lingering until its turn.
	 */
	private static final class Waiter {

		private final Host host;

		private final MonoSink<Permit> sink;

		private volatile boolean queued = true;

		private @Nullable Waiter previous;

		private @Nullable Waiter next;

		private @Nullable Permit permit;

		private final long deadlineNanos;

		private @Nullable Waiter older;

		private @Nullable Waiter younger;

		Waiter(Host host, MonoSink<Permit> sink, long deadlineNanos) {
			this.host = host;
			this.sink = sink;
			this.deadlineNanos = deadlineNanos;
		}

	}

}
