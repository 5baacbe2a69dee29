package dev.asynchttp.autoconfigure.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpConnectionPools.ConnectionPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.ConnectionPoolMetrics;

/**
 * Reactor Netty's connection pool meters ({@code reactor.netty.connection.provider.*},
 * same names and tags: {@code name}, {@code id}, {@code remote.address}), bound to the
 * application's {@link MeterRegistry} instead of Micrometer's global registry, where Reactor
 * Netty's own {@code metrics(true, ...)} would put them; that, and the per-host cap below,
 * are why this class exists rather than Reactor Netty's meters. Each pool is named after its
 * client, so {@code name} is the client name; the meters also carry it as
 * {@code client.name}, the key of every async-http meter and of {@code http.client.requests},
 * so that dashboards join on one key while ones made for Reactor Netty's {@code name} keep
 * working. (An application that also turns on Reactor Netty's own pool metrics for another
 * {@code HttpClient} and bridges the global registry into Prometheus gets these names with
 * two sets of tag keys, which Prometheus refuses; async-http pools never report there.) With
 * {@code metrics.per-host=false} a client gets one series summed over its hosts, tagged
 * {@code id=all} and {@code remote.address=all}, so that the tag keys stay the same (which
 * Prometheus requires). With {@code metrics.per-host=true} at most
 * {@code metrics.max-host-tags} pools of a client have their own series at once; pools
 * created beyond that are summed into one series tagged {@value #OVERFLOW}, and the first
 * of them logs one warning. A pool's meters are removed when Reactor Netty disposes it
 * (client close or {@code pool.dispose-inactive-after}), which frees its place under the
 * cap.
 *
 * @author async-http
 */
final class ConnectionPoolMeters implements AsyncHttpConnectionPools.Listener {

	static final String PREFIX = "reactor.netty.connection.provider";

	static final String ALL = "all";

	static final String OVERFLOW = "OVERFLOW";

	private static final Log logger = LogFactory.getLog(ConnectionPoolMeters.class);

	private final MeterRegistry registry;

	private final Function<String, AsyncApiClientObservability.Metrics> settings;

	private final Map<String, PoolMeters> perPool = new ConcurrentHashMap<>();

	/** Per client, by remote address: looked up on every pending acquire without building a key. */
	private final Map<String, Map<String, PoolMeters>> perAddress = new ConcurrentHashMap<>();

	/**
	 * Per client, the series that pools without their own go to: {@code all} when
	 * {@code per-host=false}, {@value #OVERFLOW} past {@code max-host-tags}.
	 */
	private final Map<String, Aggregate> perClient = new ConcurrentHashMap<>();

	/** Per client, how many pools have their own series now. */
	private final Map<String, Integer> ownSeries = new ConcurrentHashMap<>();

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	ConnectionPoolMeters(MeterRegistry registry, Function<String, AsyncApiClientObservability.Metrics> settings) {
		this.registry = registry;
		this.settings = settings;
	}

	@Override
	public void added(ConnectionPool pool) {
		AsyncApiClientObservability.Metrics metrics = this.settings.apply(pool.clientName());
		if (!metrics.enabled()) {
			return;
		}
		if (metrics.perHost() && admit(pool.clientName(), metrics.maxHostTags())) {
			PoolMeters meters = register(pool.clientName(), pool.id(), pool.remoteAddress(), pool.metrics());
			this.perPool.put(key(pool.clientName(), pool.id(), pool.remoteAddress()), meters);
			this.perAddress.computeIfAbsent(pool.clientName(), (name) -> new ConcurrentHashMap<>())
				.put(pool.remoteAddress(), meters);
			return;
		}
		String tag = metrics.perHost() ? OVERFLOW : ALL;
		this.perClient.compute(pool.clientName(), (name, aggregate) -> {
			Aggregate result = (aggregate != null) ? aggregate : new Aggregate();
			if (result.meters == null) {
				result.meters = register(name, tag, tag, result);
			}
			result.pools.add(pool.metrics());
			return result;
		});
	}

	@Override
	public void removed(ConnectionPool pool) {
		PoolMeters meters = this.perPool.remove(key(pool.clientName(), pool.id(), pool.remoteAddress()));
		if (meters != null) {
			Map<String, PoolMeters> addresses = this.perAddress.get(pool.clientName());
			if (addresses != null) {
				addresses.remove(pool.remoteAddress(), meters);
			}
			meters.remove(this.registry);
			this.ownSeries.computeIfPresent(pool.clientName(), (name, count) -> (count > 1) ? count - 1 : null);
		}
		this.perClient.computeIfPresent(pool.clientName(), (name, aggregate) -> {
			aggregate.pools.remove(pool.metrics());
			if (aggregate.pools.isEmpty() && aggregate.meters != null) {
				aggregate.meters.remove(this.registry);
				return null;
			}
			return aggregate;
		});
	}

	/**
	 * Take one of the client's {@code max-host-tags} places, or warn once that there is none
	 * left.
	 */
	private boolean admit(String clientName, int maxHostTags) {
		boolean[] admitted = new boolean[1];
		this.ownSeries.compute(clientName, (name, count) -> {
			int current = (count != null) ? count : 0;
			admitted[0] = current < maxHostTags;
			return admitted[0] ? current + 1 : current;
		});
		if (!admitted[0] && this.warned.add(clientName)) {
			logger.warn("async-http client '" + clientName + "' has connection pools for " + maxHostTags
					+ " hosts with their own pool meters; pools of further hosts are recorded as remote.address="
					+ OVERFLOW + " until some are disposed (pool.dispose-inactive-after). Set async-http.clients."
					+ clientName + ".metrics.per-host=false for a client that calls many hosts, or raise"
					+ " async-http.clients." + clientName + ".metrics.max-host-tags.");
		}
		return admitted[0];
	}

	/**
	 * Record how long an acquire waited in a pool's pending queue.
	 * @param clientName the client
	 * @param remoteAddress the pool's remote address, {@code null} if unknown
	 * @param nanos how long it waited
	 * @param success {@code false} if it gave up because the acquire timeout fired
	 */
	void recordPending(String clientName, @Nullable String remoteAddress, long nanos, boolean success) {
		PoolMeters meters = null;
		if (remoteAddress != null) {
			Map<String, PoolMeters> addresses = this.perAddress.get(clientName);
			meters = (addresses != null) ? addresses.get(remoteAddress) : null;
		}
		if (meters == null) {
			Aggregate aggregate = this.perClient.get(clientName);
			meters = (aggregate != null) ? aggregate.meters : null;
		}
		if (meters != null) {
			(success ? meters.pendingSuccess : meters.pendingError).record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	private PoolMeters register(String name, String id, String remoteAddress, ConnectionPoolMetrics metrics) {
		Tags tags = Tags.of(MicrometerAsyncApiClientObserver.CLIENT_NAME, name, "id", id, "name", name,
				"remote.address", remoteAddress);
		List<Meter> meters = List.of(
				gauge("total.connections", "Connections open, active or idle", metrics,
						ConnectionPoolMetrics::allocatedSize, tags),
				gauge("active.connections", "Connections acquired and in use", metrics,
						ConnectionPoolMetrics::acquiredSize, tags),
				gauge("idle.connections", "Connections open and idle in the pool", metrics,
						ConnectionPoolMetrics::idleSize, tags),
				gauge("pending.connections", "Requests waiting for a connection", metrics,
						ConnectionPoolMetrics::pendingAcquireSize, tags),
				gauge("max.connections", "Most connections the pool may open", metrics,
						ConnectionPoolMetrics::maxAllocatedSize, tags),
				gauge("max.pending.connections", "Most requests that may wait for a connection", metrics,
						ConnectionPoolMetrics::maxPendingAcquireSize, tags));
		Timer success = pendingTimer(tags, "SUCCESS");
		Timer error = pendingTimer(tags, "ERROR");
		return new PoolMeters(meters, success, error);
	}

	private Gauge gauge(String name, String description, ConnectionPoolMetrics metrics,
			ToIntFunction<ConnectionPoolMetrics> value, Tags tags) {
		// Gauges hold their object weakly: AsyncHttpConnectionPools (per pool) or this
		// class (aggregates) hold it until the pool goes away.
		return Gauge.builder(PREFIX + "." + name, metrics, (m) -> value.applyAsInt(m))
			.description(description)
			.tags(tags)
			.register(this.registry);
	}

	private Timer pendingTimer(Tags tags, String status) {
		return Timer.builder(PREFIX + ".pending.connections.time")
			.description("Time requests spent waiting for a connection in the pool's pending queue")
			.tags(tags)
			.tag("status", status)
			.register(this.registry);
	}

	private static String key(String... parts) {
		return String.join("|", parts);
	}

	private record PoolMeters(List<Meter> gauges, Timer pendingSuccess, Timer pendingError) {

		void remove(MeterRegistry registry) {
			this.gauges.forEach(registry::remove);
			registry.remove(this.pendingSuccess);
			registry.remove(this.pendingError);
		}

	}

	/**
	 * All pools of one client as one: counts are summed, limits (the same for every pool of
	 * a client) are the largest.
	 */
	private static final class Aggregate implements ConnectionPoolMetrics {

		final List<ConnectionPoolMetrics> pools = new CopyOnWriteArrayList<>();

		@Nullable PoolMeters meters;

		@Override
		public int acquiredSize() {
			return sum(ConnectionPoolMetrics::acquiredSize);
		}

		@Override
		public int allocatedSize() {
			return sum(ConnectionPoolMetrics::allocatedSize);
		}

		@Override
		public int idleSize() {
			return sum(ConnectionPoolMetrics::idleSize);
		}

		@Override
		public int pendingAcquireSize() {
			return sum(ConnectionPoolMetrics::pendingAcquireSize);
		}

		@Override
		public int maxAllocatedSize() {
			return max(ConnectionPoolMetrics::maxAllocatedSize);
		}

		@Override
		public int maxPendingAcquireSize() {
			return max(ConnectionPoolMetrics::maxPendingAcquireSize);
		}

		private int sum(ToIntFunction<ConnectionPoolMetrics> value) {
			return this.pools.stream().mapToInt(value).sum();
		}

		private int max(ToIntFunction<ConnectionPoolMetrics> value) {
			return this.pools.stream().mapToInt(value).max().orElse(0);
		}

	}

}
