package dev.asynchttp.client;

import java.net.URI;
import java.util.Objects;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * What the parts of one client share at run time: its name and settings, the observer it
 * reports to, its error translation, its connection limits, its 429 cool-downs, its request
 * log and whether it has been closed. Built once per client by {@link AsyncApiClientFactory}.
 */
final class ClientRuntime {

	private final String name;

	private final AsyncApiClientSettings settings;

	private final AsyncApiClientObserver observer;

	private final ExchangeErrors errors;

	private final InFlightLimiter limiter;

	private final CoolDownRegistry coolDowns;

	private final @Nullable RequestLog requestLog;

	private final @Nullable ObservationRegistry callObservations;

	private volatile boolean closed;

	/** The key {@link #hostKey} made last; a plain field, as a record's fields are final. */
	private @Nullable HostKey lastHostKey;

	/**
	 * Create the runtime of a client.
	 * @param name the client name
	 * @param settings the client's {@link AsyncApiClientSettings#resolved() resolved} settings
	 * @param observer told about overloads, timeouts, retries and limits
	 * @param coolDowns the client's 429 cool-downs, local or shared
	 * @param callObservations where each call opens its {@link CallObservation}, or
	 * {@code null} for none
	 */
	ClientRuntime(String name, AsyncApiClientSettings settings, AsyncApiClientObserver observer,
			CoolDownRegistry coolDowns, @Nullable ObservationRegistry callObservations) {
		this.name = name;
		this.settings = settings;
		this.observer = observer;
		this.errors = new ExchangeErrors(name, settings, observer);
		AsyncApiClientSettings.Pool pool = settings.pool();
		this.limiter = new InFlightLimiter(pool.maxConnections(),
				pool.maxConnectionsPerHost(),
				pool.maxPending(),
				pool.acquireTimeout(), Schedulers.parallel());
		this.coolDowns = coolDowns;
		this.requestLog = RequestLog.of(name, settings);
		this.callObservations = callObservations;
	}

	String name() {
		return this.name;
	}

	AsyncApiClientSettings settings() {
		return this.settings;
	}

	AsyncApiClientObserver observer() {
		return this.observer;
	}

	ExchangeErrors errors() {
		return this.errors;
	}

	InFlightLimiter limiter() {
		return this.limiter;
	}

	CoolDownRegistry coolDowns() {
		return this.coolDowns;
	}

	/**
	 * The request log, or {@code null} when {@code logging.requests} is {@code none}.
	 */
	@Nullable RequestLog requestLog() {
		return this.requestLog;
	}

	/**
	 * Where each call opens its {@link CallObservation}, or {@code null} for none.
	 */
	@Nullable ObservationRegistry callObservations() {
		return this.callObservations;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * From now on, calls fail at once with {@link AsyncHttpClientClosedException}.
	 */
	void close() {
		this.closed = true;
	}

	/**
	 * The key of a URI's host for the connection limits: equal for the same host and port,
	 * as Reactor Netty keys its host pools.
	 */
	Object hostKey(URI uri) {
		// Most clients call one host: its key is kept rather than made for every call.
		HostKey last = this.lastHostKey;
		int port = port(uri);
		String host = uri.getHost();
		if (last != null && last.port() == port && Objects.equals(last.host(), host)) {
			return last;
		}
		HostKey key = new HostKey(host, port);
		this.lastHostKey = key;
		return key;
	}

	static int port(URI uri) {
		int port = uri.getPort();
		if (port != -1) {
			return port;
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private record HostKey(String host, int port) {

	}

}
