package dev.asynchttp.autoconfigure.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import dev.asynchttp.client.AsyncApiClientObserver;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the clients report through {@link AsyncApiClientObserver} into the
 * {@code async.http.client.*} counters and timers, tagged {@value #CLIENT_NAME}. Meters are looked
 * up once per client and tag value and cached, as the callbacks run on I/O threads. The
 * per-host {@code cooldowns} counters follow the pool meters: at most
 * {@code metrics.max-host-tags} hosts per client (further ones count under
 * {@code remote.address=OVERFLOW}), and a host's counter goes when its pool is disposed.
 *
 * @author async-http
 */
final class MicrometerAsyncApiClientObserver implements AsyncApiClientObserver, AsyncHttpConnectionPools.Listener {

	static final String PREFIX = "async.http.client";

	/**
	 * The one tag key of the logical client name on every async-http meter: the key
	 * Spring's {@code http.client.requests} convention uses, so that dashboards join the
	 * three families ({@code http.client.requests}, the pool meters, {@code async.http.client.*}) on it.
	 */
	static final String CLIENT_NAME = "client.name";

	/** The observation of whole calls that clients open under tracing, and its meters. */
	static final String CALLS = PREFIX + ".calls";

	static final String OVERLOAD_REJECTIONS = PREFIX + ".overload.rejections";

	static final String TIMEOUTS = PREFIX + ".timeouts";

	static final String RETRIES = PREFIX + ".retries";

	static final String RETRY_BUDGET_EXHAUSTED = PREFIX + ".retry.budget.exhausted";

	static final String RATE_LIMIT_WAITS = PREFIX + ".ratelimit.waits";

	static final String RATE_LIMIT_REJECTIONS = PREFIX + ".ratelimit.rejections";

	static final String COOL_DOWNS = PREFIX + ".cooldowns";

	private final MeterRegistry registry;

	private final Function<String, AsyncApiClientObservability.Metrics> settings;

	private final Map<String, Meter> meters = new ConcurrentHashMap<>();

	/** Per client, the hosts that have their own {@code cooldowns} counter. */
	private final Map<String, Set<String>> coolDownHosts = new ConcurrentHashMap<>();

	MicrometerAsyncApiClientObserver(MeterRegistry registry,
			Function<String, AsyncApiClientObservability.Metrics> settings) {
		this.registry = registry;
		this.settings = settings;
	}

	/**
	 * Register the meters whose tags are known up front, at zero, so that they can be
	 * found in {@code /actuator/metrics} before anything happened.
	 * @param clientName the client
	 */
	void registerInitialMeters(String clientName) {
		if (!enabled(clientName)) {
			return;
		}
		overloadRejectionsCounter(clientName);
		for (Kind kind : Kind.values()) {
			timeoutsCounter(clientName, kind);
		}
		retryBudgetExhaustedCounter(clientName);
		rateLimitWaitsTimer(clientName);
		rateLimitRejectionsCounter(clientName);
	}

	@Override
	public void overloaded(String clientName) {
		if (enabled(clientName)) {
			overloadRejectionsCounter(clientName).increment();
		}
	}

	@Override
	public void timedOut(String clientName, Kind kind) {
		if (enabled(clientName)) {
			timeoutsCounter(clientName, kind).increment();
		}
	}

	@Override
	public void retrying(String clientName, String reason, Duration delay) {
		if (enabled(clientName)) {
			counter(RETRIES, "Failed attempts that are retried, by reason: an HTTP status or a failure kind",
					clientName, "reason", reason)
				.increment();
		}
	}

	@Override
	public void retryBudgetExhausted(String clientName) {
		if (enabled(clientName)) {
			retryBudgetExhaustedCounter(clientName).increment();
		}
	}

	@Override
	public void rateLimitWaited(String clientName, Duration wait) {
		if (enabled(clientName)) {
			rateLimitWaitsTimer(clientName).record(wait);
		}
	}

	@Override
	public void rateLimitRejected(String clientName) {
		if (enabled(clientName)) {
			rateLimitRejectionsCounter(clientName).increment();
		}
	}

	@Override
	public void coolDownStarted(String clientName, String host, Duration pause) {
		AsyncApiClientObservability.Metrics metrics = this.settings.apply(clientName);
		if (!metrics.enabled()) {
			return;
		}
		if (!metrics.perHost()) {
			coolDownsCounter(clientName, ConnectionPoolMeters.ALL).increment();
			return;
		}
		Set<String> hosts = this.coolDownHosts.computeIfAbsent(clientName, (name) -> ConcurrentHashMap.newKeySet());
		// Under the lock that removed() takes, so that a host's counter is never re-created
		// just after its pool went.
		synchronized (hosts) {
			if (hosts.contains(host) || hosts.size() < metrics.maxHostTags()) {
				hosts.add(host);
				coolDownsCounter(clientName, host).increment();
				return;
			}
		}
		coolDownsCounter(clientName, ConnectionPoolMeters.OVERFLOW).increment();
	}

	private Counter coolDownsCounter(String clientName, String remoteAddress) {
		return counter(COOL_DOWNS, "Pauses of the client's requests to a host that answered 429 with Retry-After",
				clientName, "remote.address", remoteAddress);
	}

	@Override
	public void added(AsyncHttpConnectionPools.ConnectionPool pool) {
	}

	@Override
	public void removed(AsyncHttpConnectionPools.ConnectionPool pool) {
		Set<String> hosts = this.coolDownHosts.get(pool.clientName());
		if (hosts == null) {
			return;
		}
		synchronized (hosts) {
			if (hosts.remove(pool.remoteAddress())) {
				Meter counter = this.meters.remove(COOL_DOWNS + "|" + pool.clientName() + "|" + pool.remoteAddress());
				if (counter != null) {
					this.registry.remove(counter);
				}
			}
		}
	}

	private boolean enabled(String clientName) {
		return this.settings.apply(clientName).enabled();
	}

	private Counter overloadRejectionsCounter(String clientName) {
		return counter(OVERLOAD_REJECTIONS, "Requests refused at once because the wait queue was full", clientName,
				null, null);
	}

	private Counter timeoutsCounter(String clientName, Kind kind) {
		return counter(TIMEOUTS, "Timeouts by kind: acquire, connect, read, write or total", clientName, "kind",
				kind.name().toLowerCase(Locale.ROOT));
	}

	private Counter retryBudgetExhaustedCounter(String clientName) {
		return counter(RETRY_BUDGET_EXHAUSTED, "Retries refused because the client's retry budget was spent",
				clientName, null, null);
	}

	private Counter rateLimitRejectionsCounter(String clientName) {
		return counter(RATE_LIMIT_REJECTIONS, "Requests refused because no rate-limit permit came within max-wait",
				clientName, null, null);
	}

	private Timer rateLimitWaitsTimer(String clientName) {
		return (Timer) this.meters.computeIfAbsent(RATE_LIMIT_WAITS + "|" + clientName,
				(key) -> Timer.builder(RATE_LIMIT_WAITS)
					.description("Time requests waited for a rate-limit permit")
					.tag(CLIENT_NAME, clientName)
					.register(this.registry));
	}

	private Counter counter(String name, String description, String clientName, @Nullable String tagKey,
			@Nullable String tagValue) {
		return (Counter) this.meters.computeIfAbsent(name + "|" + clientName + "|" + tagValue, (key) -> {
			Counter.Builder builder = Counter.builder(name).description(description).tag(CLIENT_NAME, clientName);
			if (tagKey != null && tagValue != null) {
				builder.tag(tagKey, tagValue);
			}
			return builder.register(this.registry);
		});
	}

}
