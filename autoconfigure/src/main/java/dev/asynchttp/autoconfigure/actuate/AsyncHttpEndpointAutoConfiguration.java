package dev.asynchttp.autoconfigure.actuate;

import java.util.Map;
import java.util.function.Function;

import dev.asynchttp.autoconfigure.AsyncApiClientsObservability;
import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.metrics.AsyncApiClientEventMeters;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpConnectionPools;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpMetricsAutoConfiguration;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.SharedLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code asynchttp} Actuator endpoint, when it is available
 * (enabled and exposed, for example with
 * {@code management.endpoints.web.exposure.include=asynchttp}).
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(after = { AsyncHttpAutoConfiguration.class, AsyncHttpMetricsAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ AsyncApiClients.class, AsyncApiClientsObservability.class })
public final class AsyncHttpEndpointAutoConfiguration {

	// Endpoint conditions on the methods: a class-level one would be loaded, and fail,
	// before @ConditionalOnClass could skip this class without Actuator.

	@Bean
	@ConditionalOnAvailableEndpoint(AsyncHttpEndpoint.class)
	@ConditionalOnMissingBean
	AsyncApiClientEvents asyncHttpEndpointEvents(ObjectProvider<AsyncApiClientEventMeters> meters) {
		// Only for clients whose meters do not count: no second set of counters.
		AsyncApiClientEventMeters counting = meters.getIfAvailable();
		return new AsyncApiClientEvents((counting != null) ? (name) -> !counting.counts(name) : (name) -> true);
	}

	@Bean
	@ConditionalOnAvailableEndpoint(AsyncHttpEndpoint.class)
	@ConditionalOnMissingBean
	AsyncHttpEndpoint asyncHttpEndpoint(AsyncApiClients clients, AsyncApiClientsObservability observability,
			ObjectProvider<AsyncHttpConnectionPools> pools, ObjectProvider<AsyncApiClientEvents> events,
			ObjectProvider<AsyncApiClientEventMeters> meters,
			ObjectProvider<SharedLimits> sharedLimits, ObjectProvider<SanitizingFunction> sanitizingFunctions) {
		return new AsyncHttpEndpoint(clients, observability::get, pools.getIfAvailable(), events.getIfAvailable(),
				meterEvents(meters.getIfAvailable()), sharedLimits.getIfAvailable(),
				sanitizingFunctions.orderedStream().toList());
	}

	private static Function<String, @Nullable Map<String, Object>> meterEvents(
			@Nullable AsyncApiClientEventMeters meters) {
		return (meters != null) ? meters::describe : (name) -> null;
	}

}
