package dev.asynchttp.autoconfigure.actuate;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpConnectionPools;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.SafeText;
import dev.asynchttp.client.SensitiveHeaders;
import dev.asynchttp.client.SharedLimits;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.ConnectionPoolMetrics;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.util.unit.DataSize;

/**
 * The {@code asynchttp} Actuator endpoint: every client's effective settings, with secrets
 * masked, and its live state: connections per remote address, requests in flight and
 * queued, and retry, limiter and timeout counts. Masking is Boot's, as in the {@code env}
 * and {@code configprops} endpoints: every settings value passes through a
 * {@link Sanitizer} with {@link #builtInRule the built-in rule} first, then the
 * application's {@link SanitizingFunction} beans, so that users add rules of their own.
 * Unlike those endpoints, values no rule masks are shown: they are settings, not the whole
 * environment.
 * {@code GET /actuator/asynchttp} lists every client, {@code GET /actuator/asynchttp/{client}}
 * gives one (404 for an unknown name).
 *
 * @author async-http
 * @since 0.1.0
 */
@Endpoint(id = "asynchttp")
public class AsyncHttpEndpoint {

	static final String MASK = SanitizableData.SANITIZED_VALUE;

	private static final String DEFAULT_HEADERS = "settings.defaultHeaders.";

	private final AsyncApiClients clients;

	private final Function<String, AsyncApiClientObservability> observability;

	private final @Nullable AsyncHttpConnectionPools pools;

	private final @Nullable AsyncApiClientEvents events;

	private final Function<String, @Nullable Map<String, Object>> meterEvents;

	private final @Nullable SharedLimits sharedLimits;

	private final List<SanitizingFunction> sanitizingFunctions;

	AsyncHttpEndpoint(AsyncApiClients clients, Function<String, AsyncApiClientObservability> observability,
			@Nullable AsyncHttpConnectionPools pools, @Nullable AsyncApiClientEvents events,
			Function<String, @Nullable Map<String, Object>> meterEvents, @Nullable SharedLimits sharedLimits,
			List<SanitizingFunction> sanitizingFunctions) {
		this.meterEvents = meterEvents;
		this.sharedLimits = sharedLimits;
		this.sanitizingFunctions = List.copyOf(sanitizingFunctions);
		this.clients = clients;
		this.observability = observability;
		this.pools = pools;
		this.events = events;
	}

	/**
	 * Every client, in configuration order.
	 * @return the clients
	 */
	@ReadOperation
	public ClientsDescriptor clients() {
		Map<String, ClientDescriptor> clients = new LinkedHashMap<>();
		for (String name : this.clients.names()) {
			clients.put(name, describe(name));
		}
		return new ClientsDescriptor(clients);
	}

	/**
	 * One client.
	 * @param client the client name
	 * @return the client, or {@code null} (404) if there is no such client
	 */
	@ReadOperation
	public @Nullable ClientDescriptor client(@Selector String client) {
		return this.clients.names().contains(client) ? describe(client) : null;
	}

	private ClientDescriptor describe(String name) {
		AsyncApiClient client = this.clients.get(name);
		AsyncApiClientObservability observability = this.observability.apply(name);
		List<ConnectionsDescriptor> connections = new ArrayList<>();
		if (this.pools != null) {
			for (AsyncHttpConnectionPools.ConnectionPool pool : this.pools.pools(name)) {
				ConnectionPoolMetrics metrics = pool.metrics();
				connections.add(new ConnectionsDescriptor(pool.remoteAddress(), pool.id(), metrics.allocatedSize(),
						metrics.acquiredSize(), metrics.idleSize(), metrics.pendingAcquireSize(),
						metrics.maxAllocatedSize(), metrics.maxPendingAcquireSize()));
			}
		}
		Map<String, Object> shared = (this.sharedLimits != null) ? this.sharedLimits.state(name) : Map.of();
		StateDescriptor state = new StateDescriptor(this.clients.inFlight(name), this.clients.queued(name),
				connections, shared);
		Map<String, Object> events = this.meterEvents.apply(name);
		if (events == null) {
			events = (this.events != null) ? this.events.describe(name) : Map.of();
		}
		Sanitizer sanitizer = sanitizer(client.settings().sensitive());
		return new ClientDescriptor(describe("settings", client.settings(), sanitizer),
				describe("metrics", observability.metrics(), sanitizer),
				describe("health", observability.health(), sanitizer), state, events);
	}

	private Sanitizer sanitizer(SensitiveHeaders sensitive) {
		List<SanitizingFunction> functions = new ArrayList<>(this.sanitizingFunctions.size() + 1);
		functions.add(builtInRule(sensitive));
		functions.addAll(this.sanitizingFunctions);
		return new Sanitizer(functions);
	}

	/**
	 * The rule the endpoint always applies, before any {@link SanitizingFunction} bean: the
	 * values of the client's {@linkplain AsyncApiClientSettings#sensitive() sensitive
	 * headers} among the default headers and any {@code password} (the proxy's) are masked;
	 * user info and query values of the base URL are hidden as everywhere async-http shows a
	 * URI ({@link SafeText}).
	 * @param sensitive the client's sensitive headers
	 * @return the rule; keys are paths in the client's entry, such as
	 * {@code settings.defaultHeaders.Authorization} or {@code settings.proxy.password}
	 */
	static SanitizingFunction builtInRule(SensitiveHeaders sensitive) {
		return (data) -> {
			String key = data.getKey();
			if (key.startsWith(DEFAULT_HEADERS) && sensitive.isSensitive(key.substring(DEFAULT_HEADERS.length()))) {
				return data.withSanitizedValue();
			}
			if (key.endsWith(".password")) {
				return data.withSanitizedValue();
			}
			if (key.equals("settings.baseUrl") && data.getValue() instanceof URI uri) {
				// Changed only when something is hidden: the Sanitizer stops at the first change.
				String safe = SafeText.uri(uri);
				return safe.equals(uri.toString()) ? data : data.withValue(safe);
			}
			return data;
		};
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> describe(String path, Record settings, Sanitizer sanitizer) {
		return (Map<String, Object>) Objects.requireNonNull(value(path, settings, sanitizer));
	}

	/**
	 * A settings value as JSON-friendly data: records and maps become maps, whose leaves
	 * pass through the sanitizer, then durations and sizes become readable strings
	 * ({@code 10s}, {@code 2MB}), enums lower case.
	 * @param path the value's dotted path in the client's entry, such as
	 * {@code settings.proxy.password}: the key the sanitizing functions see
	 */
	private static @Nullable Object value(String path, @Nullable Object value, Sanitizer sanitizer) {
		if (value == null) {
			return null;
		}
		if (value instanceof Record record) {
			Map<String, Object> map = new LinkedHashMap<>();
			for (RecordComponent component : record.getClass().getRecordComponents()) {
				try {
					map.put(component.getName(), value(path + "." + component.getName(),
							component.getAccessor().invoke(record), sanitizer));
				}
				catch (ReflectiveOperationException ex) {
					throw new IllegalStateException(ex);
				}
			}
			return map;
		}
		if (value instanceof Map<?, ?> entries) {
			Map<String, Object> map = new LinkedHashMap<>();
			entries.forEach((key, entry) -> map.put(String.valueOf(key), value(path + "." + key, entry, sanitizer)));
			return map;
		}
		Object sanitized = sanitizer.sanitize(new SanitizableData(null, path, value), true);
		if (sanitized != value) {
			return sanitized;
		}
		if (value instanceof Duration duration) {
			return format(duration);
		}
		if (value instanceof DataSize size) {
			return format(size);
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
		if (value instanceof URI uri) {
			return uri.toString();
		}
		if (value instanceof Set<?> set) {
			return new TreeSet<>(set);
		}
		if (value instanceof Collection<?> || value instanceof Number || value instanceof Boolean
				|| value instanceof String) {
			return value;
		}
		return value.toString();
	}

	static String format(Duration duration) {
		if (duration.isZero()) {
			return "0s";
		}
		if (duration.getNano() % 1_000_000 != 0) {
			return duration.toString();
		}
		long millis = duration.toMillis();
		if (millis % 86_400_000 == 0) {
			return (millis / 86_400_000) + "d";
		}
		if (millis % 3_600_000 == 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

	static String format(DataSize size) {
		long bytes = size.toBytes();
		if (bytes != 0 && bytes % DataSize.ofGigabytes(1).toBytes() == 0) {
			return size.toGigabytes() + "GB";
		}
		if (bytes != 0 && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		if (bytes != 0 && bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
			return size.toKilobytes() + "KB";
		}
		return bytes + "B";
	}

	/**
	 * Every client by name.
	 *
	 * @param clients the clients, in configuration order
	 */
	public record ClientsDescriptor(Map<String, ClientDescriptor> clients) implements OperationResponseBody {

	}

	/**
	 * One client.
	 *
	 * @param settings effective settings, with secrets masked
	 * @param metrics effective {@code metrics.*} settings
	 * @param health effective {@code health.*} settings
	 * @param state live state
	 * @param events retries, rejections, timeouts, rate-limit waits and cool-downs, since
	 * startup and over the last minute
	 */
	public record ClientDescriptor(Map<String, Object> settings, Map<String, Object> metrics,
			Map<String, Object> health, StateDescriptor state, Map<String, Object> events)
			implements OperationResponseBody {

	}

	/**
	 * Live state of a client.
	 *
	 * @param inFlight requests holding one of the {@code pool.max-connections} permits
	 * @param queued requests waiting for a permit
	 * @param connections the connection pools, one per remote address
	 * @param shared with {@code rate-limit.shared}: the shared key, the mode
	 * ({@code shared}, {@code local-fallback} or {@code failing}), Redis's state, the
	 * current outage and the calls that fell back; empty otherwise
	 */
	public record StateDescriptor(int inFlight, int queued, List<ConnectionsDescriptor> connections,
			Map<String, Object> shared) {

	}

	/**
	 * The connection pool of one remote address, as Reactor Netty reports it.
	 *
	 * @param remoteAddress host and port
	 * @param id Reactor Netty's pool id (the {@code id} tag of its meters)
	 * @param total open connections, active or idle
	 * @param active connections in use
	 * @param idle connections open and idle
	 * @param pending requests waiting for a connection of this pool
	 * @param max most connections this pool may open ({@code pool.max-connections-per-host})
	 * @param maxPending most requests that may wait in this pool
	 */
	public record ConnectionsDescriptor(String remoteAddress, String id, int total, int active, int idle, int pending,
			int max, int maxPending) {

	}

}
