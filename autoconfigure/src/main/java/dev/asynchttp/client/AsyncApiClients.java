package dev.asynchttp.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The registry of every configured {@link AsyncApiClient}, and the owner of their
 * lifecycle: on context close it stops the clients after the web server (so requests still
 * being served can finish their upstream calls), lets in-flight calls run for the grace
 * period, then disposes every pool. A call after that fails at once with
 * {@link AsyncHttpClientClosedException}.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncApiClients implements SmartLifecycle, AutoCloseable {

	/**
	 * Lifecycle phase: below the web server's graceful shutdown and stop phases, above
	 * Spring's {@code ReactorResourceFactory} (phase 0) whose event loops the clients use.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Duration CLOSE_POLL = Duration.ofMillis(20);

	private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(AsyncApiClients.class);

	private final Map<String, DefaultAsyncApiClient> clients;

	private final Duration gracePeriod;

	private volatile boolean running;

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Create a registry and build its clients.
	 * @param settings settings by client name, in the order the clients are built
	 * @param factory builds each client
	 * @param gracePeriod how long in-flight calls may run after close starts
	 */
	public AsyncApiClients(Map<String, AsyncApiClientSettings> settings, AsyncApiClientFactory factory,
			Duration gracePeriod) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(factory, "'factory' must not be null");
		Assert.notNull(gracePeriod, "'gracePeriod' must not be null");
		Map<String, DefaultAsyncApiClient> clients = new LinkedHashMap<>();
		settings.forEach((name, clientSettings) -> clients.put(name,
				(DefaultAsyncApiClient) factory.create(name, clientSettings)));
		this.clients = Collections.unmodifiableMap(clients);
		this.gracePeriod = gracePeriod;
	}

	/**
	 * The client with the given name.
	 * @param name the client name
	 * @return the client
	 * @throws IllegalArgumentException if there is no such client
	 */
	public AsyncApiClient get(String name) {
		AsyncApiClient client = this.clients.get(name);
		if (client == null) {
			throw new IllegalArgumentException("No async-http client named '" + name + "'; configured clients are "
					+ this.clients.keySet() + ". Add async-http.clients." + name + ".base-url (or any other"
					+ " property of that client) to define it.");
		}
		return client;
	}

	/**
	 * Names of all clients, in configuration order.
	 * @return the client names
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * Requests of a client that hold a connection permit right now.
	 * @param name the client name
	 * @return requests in flight
	 */
	public int inFlight(String name) {
		return ((DefaultAsyncApiClient) get(name)).inFlight();
	}

	/**
	 * Requests of a client that wait for a connection permit right now.
	 * @param name the client name
	 * @return queued requests
	 */
	public int queued(String name) {
		return ((DefaultAsyncApiClient) get(name)).queued();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Close every client: no new calls, in-flight calls get the grace period, then pools are
	 * disposed. Safe to call more than once.
	 */
	@Override
	public void close() {
		this.running = false;
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.clients.values().forEach(DefaultAsyncApiClient::stopAccepting);
		Flux.interval(CLOSE_POLL)
			.filter((tick) -> this.clients.values().stream().allMatch((client) -> client.inFlight() == 0))
			.next()
			.timeout(this.gracePeriod, Mono.empty())
			.block();
		this.clients.values().forEach((client) -> {
			try {
				client.dispose(DISPOSE_TIMEOUT);
			}
			catch (RuntimeException ex) {
				logger.warn("async-http client '" + client.name() + "' did not close cleanly", ex);
			}
		});
	}

}
