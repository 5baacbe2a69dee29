package dev.asynchttp.autoconfigure.metrics;

import java.util.function.Function;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import dev.asynchttp.client.AsyncApiClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Once every singleton exists, registers the per-client gauges over
 * {@link AsyncApiClients} ({@code async.http.client.requests.inflight} and
 * {@code .queued}) and the client counters whose tags are known up front, at zero.
 * Registered directly on the application's {@link MeterRegistry}, like every other
 * async-http meter, rather than as a {@code MeterBinder}.
 *
 * @author async-http
 */
final class AsyncApiClientsMeters implements SmartInitializingSingleton {

	static final String IN_FLIGHT = MicrometerAsyncApiClientObserver.PREFIX + ".requests.inflight";

	static final String QUEUED = MicrometerAsyncApiClientObserver.PREFIX + ".requests.queued";

	private final MeterRegistry registry;

	private final ObjectProvider<AsyncApiClients> clients;

	private final MicrometerAsyncApiClientObserver observer;

	private final Function<String, AsyncApiClientObservability.Metrics> settings;

	AsyncApiClientsMeters(MeterRegistry registry, ObjectProvider<AsyncApiClients> clients,
			MicrometerAsyncApiClientObserver observer, Function<String, AsyncApiClientObservability.Metrics> settings) {
		this.registry = registry;
		this.clients = clients;
		this.observer = observer;
		this.settings = settings;
	}

	@Override
	public void afterSingletonsInstantiated() {
		AsyncApiClients clients = this.clients.getIfAvailable();
		if (clients == null) {
			return;
		}
		for (String name : clients.names()) {
			if (!this.settings.apply(name).enabled()) {
				continue;
			}
			Gauge.builder(IN_FLIGHT, clients, (all) -> all.inFlight(name))
				.description("Requests holding one of the client's pool.max-connections permits")
				.tag(MicrometerAsyncApiClientObserver.CLIENT_NAME, name)
				.register(this.registry);
			Gauge.builder(QUEUED, clients, (all) -> all.queued(name))
				.description("Requests waiting for a permit, at most pool.max-pending")
				.tag(MicrometerAsyncApiClientObserver.CLIENT_NAME, name)
				.register(this.registry);
			this.observer.registerInitialMeters(name);
		}
	}

}
