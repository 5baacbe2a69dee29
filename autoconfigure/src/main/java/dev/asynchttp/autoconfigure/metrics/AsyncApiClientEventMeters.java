package dev.asynchttp.autoconfigure.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import org.jspecify.annotations.Nullable;

/**
 * The event counts of the {@code asynchttp} endpoint, read from the
 * {@code async.http.client.*} meters of a client that records them
 * ({@code metrics.enabled}), so that the endpoint keeps no second set of counters next to
 * Micrometer's. Counts are since startup: Micrometer's counters are cumulative, and a rate
 * over the last minute is what the metrics backend computes from them.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientEventMeters {

	private final MeterRegistry registry;

	private final Function<String, AsyncApiClientObservability.Metrics> settings;

	AsyncApiClientEventMeters(MeterRegistry registry, Function<String, AsyncApiClientObservability.Metrics> settings) {
		this.registry = registry;
		this.settings = settings;
	}

	/**
	 * Whether the meters count the events of a client.
	 * @param clientName the client
	 * @return {@code false} for a client with {@code metrics.enabled=false}
	 */
	public boolean counts(String clientName) {
		return this.settings.apply(clientName).enabled();
	}

	/**
	 * The counts of a client, in the endpoint's form: each event's {@code total}, retries
	 * {@code byReason} and timeouts {@code byKind}.
	 * @param clientName the client
	 * @return the counts, or {@code null} if the meters do not count the client's events
	 */
	public @Nullable Map<String, Object> describe(String clientName) {
		if (!counts(clientName)) {
			return null;
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("retries",
				total(MicrometerAsyncApiClientObserver.RETRIES, clientName, "reason", "byReason"));
		description.put("retryBudgetExhausted",
				total(MicrometerAsyncApiClientObserver.RETRY_BUDGET_EXHAUSTED, clientName, null, null));
		description.put("overloadRejections",
				total(MicrometerAsyncApiClientObserver.OVERLOAD_REJECTIONS, clientName, null, null));
		description.put("timeouts", total(MicrometerAsyncApiClientObserver.TIMEOUTS, clientName, "kind", "byKind"));
		description.put("rateLimitWaits",
				total(MicrometerAsyncApiClientObserver.RATE_LIMIT_WAITS, clientName, null, null));
		description.put("rateLimitRejections",
				total(MicrometerAsyncApiClientObserver.RATE_LIMIT_REJECTIONS, clientName, null, null));
		description.put("coolDowns", total(MicrometerAsyncApiClientObserver.COOL_DOWNS, clientName, null, null));
		return description;
	}

	private Map<String, Object> total(String name, String clientName, @Nullable String breakdownTag,
			@Nullable String breakdownName) {
		Search search = this.registry.find(name).tag(MicrometerAsyncApiClientObserver.CLIENT_NAME, clientName);
		long total = 0;
		Map<String, Long> parts = new TreeMap<>();
		for (Meter meter : search.meters()) {
			long count = count(meter);
			total += count;
			String part = (breakdownTag != null) ? meter.getId().getTag(breakdownTag) : null;
			if (part != null) {
				parts.merge(part, count, Long::sum);
			}
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("total", total);
		if (breakdownName != null) {
			Map<String, Object> breakdown = new TreeMap<>();
			// Zero counters registered up front (a timeout kind that never fired) are left out,
			// as the endpoint always did.
			parts.forEach((part, count) -> {
				if (count > 0) {
					breakdown.put(part, Map.of("total", count));
				}
			});
			description.put(breakdownName, breakdown);
		}
		return description;
	}

	private static long count(Meter meter) {
		if (meter instanceof Counter counter) {
			return (long) counter.count();
		}
		if (meter instanceof Timer timer) {
			return timer.count();
		}
		return 0;
	}

}
