package dev.asynchttp.autoconfigure.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import dev.asynchttp.client.AsyncApiClientObserver;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;

/**
 * Counts what the clients report through {@link AsyncApiClientObserver} (retries, limiter
 * and overload rejections, timeouts, rate-limit waits, cool-downs), since startup and over
 * the last minute, for the {@code asynchttp} endpoint, of the clients whose
 * {@code async.http.client.*} meters do not count them: every client without Micrometer,
 * those with {@code metrics.enabled=false} with it. The endpoint reads the others' counts
 * from the meters ({@code AsyncApiClientEventMeters}). Lock-free:
 * each count is a ring of one-second buckets, so the one-minute figure is exact to the
 * second boundary and approximate under heavy contention.
 *
 * @author async-http
 */
final class AsyncApiClientEvents implements AsyncApiClientObserver {

	static final Duration WINDOW = Duration.ofMinutes(1);

	private final Map<String, ClientEvents> clients = new ConcurrentHashMap<>();

	private final Predicate<String> counted;

	private final LongSupplier seconds;

	AsyncApiClientEvents(Predicate<String> counted) {
		this(counted, () -> System.nanoTime() / 1_000_000_000L);
	}

	AsyncApiClientEvents(Predicate<String> counted, LongSupplier seconds) {
		this.counted = counted;
		this.seconds = seconds;
	}

	@Override
	public void overloaded(String clientName) {
		if (!this.counted.test(clientName)) {
			return;
		}
		events(clientName).overloadRejections.record(now());
	}

	@Override
	public void timedOut(String clientName, Kind kind) {
		if (!this.counted.test(clientName)) {
			return;
		}
		long now = now();
		ClientEvents events = events(clientName);
		events.timeouts.record(now);
		events.timeoutsByKind.computeIfAbsent(kind.name().toLowerCase(Locale.ROOT), (key) -> new Count())
			.record(now);
	}

	@Override
	public void retrying(String clientName, String reason, Duration delay) {
		if (!this.counted.test(clientName)) {
			return;
		}
		long now = now();
		ClientEvents events = events(clientName);
		events.retries.record(now);
		events.retriesByReason.computeIfAbsent(reason, (key) -> new Count()).record(now);
	}

	@Override
	public void retryBudgetExhausted(String clientName) {
		if (!this.counted.test(clientName)) {
			return;
		}
		events(clientName).retryBudgetExhausted.record(now());
	}

	@Override
	public void rateLimitWaited(String clientName, Duration wait) {
		if (!this.counted.test(clientName)) {
			return;
		}
		events(clientName).rateLimitWaits.record(now());
	}

	@Override
	public void rateLimitRejected(String clientName) {
		if (!this.counted.test(clientName)) {
			return;
		}
		events(clientName).rateLimitRejections.record(now());
	}

	@Override
	public void coolDownStarted(String clientName, String host, Duration pause) {
		if (!this.counted.test(clientName)) {
			return;
		}
		events(clientName).coolDowns.record(now());
	}

	/**
	 * The counts of a client, for the endpoint.
	 * @param clientName the client
	 * @return the counts, zero for a client that reported nothing
	 */
	Map<String, Object> describe(String clientName) {
		long now = now();
		ClientEvents events = this.clients.getOrDefault(clientName, new ClientEvents());
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("retries", events.retries.describe(now, "byReason", events.retriesByReason));
		description.put("retryBudgetExhausted", events.retryBudgetExhausted.describe(now));
		description.put("overloadRejections", events.overloadRejections.describe(now));
		description.put("timeouts", events.timeouts.describe(now, "byKind", events.timeoutsByKind));
		description.put("rateLimitWaits", events.rateLimitWaits.describe(now));
		description.put("rateLimitRejections", events.rateLimitRejections.describe(now));
		description.put("coolDowns", events.coolDowns.describe(now));
		return description;
	}

	private ClientEvents events(String clientName) {
		return this.clients.computeIfAbsent(clientName, (key) -> new ClientEvents());
	}

	private long now() {
		return this.seconds.getAsLong();
	}

	private static final class ClientEvents {

		final Count retries = new Count();

		final Map<String, Count> retriesByReason = new ConcurrentHashMap<>();

		final Count retryBudgetExhausted = new Count();

		final Count overloadRejections = new Count();

		final Count timeouts = new Count();

		final Map<String, Count> timeoutsByKind = new ConcurrentHashMap<>();

		final Count rateLimitWaits = new Count();

		final Count rateLimitRejections = new Count();

		final Count coolDowns = new Count();

	}

	/**
	 * A count since startup and over the last {@link #WINDOW}.
	 */
	static final class Count {

		private static final int BUCKETS = (int) WINDOW.toSeconds();

		private final LongAdder total = new LongAdder();

		private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

		private final AtomicLongArray stamps = new AtomicLongArray(BUCKETS);

		Count() {
			for (int i = 0; i < BUCKETS; i++) {
				this.stamps.set(i, Long.MIN_VALUE);
			}
		}

		void record(long second) {
			this.total.increment();
			int bucket = (int) Math.floorMod(second, (long) BUCKETS);
			long stamp = this.stamps.get(bucket);
			if (stamp != second && this.stamps.compareAndSet(bucket, stamp, second)) {
				this.counts.set(bucket, 0);
			}
			this.counts.incrementAndGet(bucket);
		}

		long total() {
			return this.total.sum();
		}

		long lastMinute(long now) {
			long sum = 0;
			for (int i = 0; i < BUCKETS; i++) {
				long stamp = this.stamps.get(i);
				if (stamp > now - BUCKETS && stamp <= now) {
					sum += this.counts.get(i);
				}
			}
			return sum;
		}

		Map<String, Object> describe(long now) {
			Map<String, Object> description = new LinkedHashMap<>();
			description.put("total", total());
			description.put("lastMinute", lastMinute(now));
			return description;
		}

		Map<String, Object> describe(long now, String breakdownName, Map<String, Count> breakdown) {
			Map<String, Object> description = describe(now);
			Map<String, Object> parts = new TreeMap<>();
			breakdown.forEach((key, count) -> parts.put(key, count.describe(now)));
			description.put(breakdownName, parts);
			return description;
		}

	}

}
