package dev.asynchttp.autoconfigure.metrics;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import dev.asynchttp.autoconfigure.AsyncApiClientsObservability;
import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.AsyncHttpProperties;
import dev.asynchttp.client.AsyncApiClientCustomizer;
import dev.asynchttp.client.AsyncApiClientMeterObservationHandler;
import dev.asynchttp.client.AsyncApiClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of async-http metrics. Every client's connection pool reports to
 * {@link AsyncHttpConnectionPools} (no Micrometer needed, the {@code asynchttp} endpoint
 * reads it too). With a {@link MeterRegistry} bean, clients whose
 * {@code metrics.enabled} is true (the default) also get Reactor Netty's pool meters,
 * {@code http.client.requests} tagged with the client name and a bounded {@code uri}, and
 * the {@code async.http.client.*} meters, all on that registry rather than on Micrometer's
 * global one.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncHttpAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, HttpClient.class })
@ConditionalOnBooleanProperty(name = "async-http.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncHttpProperties.class)
public final class AsyncHttpMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AsyncHttpConnectionPools asyncHttpConnectionPools(ObjectProvider<AsyncHttpConnectionPools.Listener> listeners) {
		return new AsyncHttpConnectionPools(listeners.orderedStream().toList());
	}

	@Bean
	@Order(0)
	AsyncApiClientCustomizer asyncHttpConnectionPoolsCustomizer(AsyncHttpConnectionPools pools) {
		return new AsyncApiClientCustomizer() {

			@Override
			public void customizeConnectionProvider(String clientName, ConnectionProvider.Builder builder) {
				// A registrar of ours, not metrics(true): Reactor Netty's own binds the pool meters
				// to Metrics.globalRegistry, which the application's registry may not see, and
				// lists no live pools for the endpoint.
				builder.metrics(true, pools::registrar);
			}

		};
	}

	static Function<String, AsyncApiClientObservability.Metrics> metricsSettings(
			AsyncApiClientsObservability observability) {
		return (name) -> observability.get(name).metrics();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		ConnectionPoolMeters asyncHttpConnectionPoolMeters(MeterRegistry meterRegistry,
				AsyncApiClientsObservability observability) {
			return new ConnectionPoolMeters(meterRegistry, metricsSettings(observability));
		}

		@Bean
		MicrometerAsyncApiClientObserver asyncHttpMetricsObserver(MeterRegistry meterRegistry,
				AsyncApiClientsObservability observability) {
			return new MicrometerAsyncApiClientObserver(meterRegistry, metricsSettings(observability));
		}

		@Bean
		AsyncApiClientEventMeters asyncHttpEventMeters(MeterRegistry meterRegistry,
				AsyncApiClientsObservability observability) {
			return new AsyncApiClientEventMeters(meterRegistry, metricsSettings(observability));
		}

		@Bean
		AsyncApiClientsMeters asyncApiClientsMeters(MeterRegistry meterRegistry,
				ObjectProvider<AsyncApiClients> clients, MicrometerAsyncApiClientObserver observer,
				AsyncApiClientsObservability observability) {
			return new AsyncApiClientsMeters(meterRegistry, clients, observer, metricsSettings(observability));
		}

		@Bean
		static LazyInitializationExcludeFilter asyncApiClientsMetersLazyInitializationExcludeFilter() {
			return LazyInitializationExcludeFilter.forBeanTypes(AsyncApiClientsMeters.class);
		}

		@Bean
		@Order(0)
		AsyncApiClientCustomizer asyncHttpMetricsCustomizer(ConnectionPoolMeters poolMeters,
				AsyncApiClientsObservability observability, Environment environment,
				ObjectProvider<ClientRequestObservationConvention> applicationConvention) {
			return new MetricsCustomizer(poolMeters, metricsSettings(observability), observationName(environment),
					applicationConvention.getIfAvailable() == null);
		}

		@Bean
		MeterFilter asyncHttpDisabledClientsMeterFilter(AsyncApiClientsObservability observability,
				Environment environment) {
			String observationName = observationName(environment);
			Set<String> disabled = observability.configured()
				.entrySet()
				.stream()
				.filter((entry) -> !entry.getValue().metrics().enabled())
				.map(Map.Entry::getKey)
				.collect(Collectors.toUnmodifiableSet());
			// With tracing, calls are observed too (async.http.client.calls), on the same key.
			return MeterFilter.deny((id) -> !disabled.isEmpty()
					&& (id.getName().startsWith(observationName)
							|| id.getName().startsWith(MicrometerAsyncApiClientObserver.CALLS))
					&& disabled.contains(id.getTag(MicrometerAsyncApiClientObserver.CLIENT_NAME)));
		}

		/**
		 * async-http's requests recorded as Boot's {@link DefaultMeterObservationHandler}
		 * records them, with the same {@code ignored-meters}, but with each meter looked up
		 * once. Ordered just before Boot's handler, so that a meter handler of the
		 * application's own with an earlier order still comes first.
		 */
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE - 1)
		@ConditionalOnMissingBean
		@ConditionalOnBean(DefaultMeterObservationHandler.class)
		@ConditionalOnClass(MetricsProperties.class)
		AsyncApiClientMeterObservationHandler asyncHttpMeterObservationHandler(MeterRegistry meterRegistry,
				ObjectProvider<MetricsProperties> metricsProperties) {
			MetricsProperties properties = metricsProperties.getIfAvailable();
			boolean longTaskTimer = properties == null
					|| !properties.getObservations().getIgnoredMeters().contains(IgnoredMeters.LONG_TASK_TIMER);
			return new AsyncApiClientMeterObservationHandler(meterRegistry, longTaskTimer);
		}

		private static String observationName(Environment environment) {
			return environment.getProperty("management.observations.http.client.requests.name",
					"http.client.requests");
		}

	}

	/**
	 * Per client: the pending-acquire timer and the {@code http.client.requests}
	 * convention.
	 */
	private static final class MetricsCustomizer implements AsyncApiClientCustomizer {

		private final ConnectionPoolMeters poolMeters;

		private final Function<String, AsyncApiClientObservability.Metrics> settings;

		private final String observationName;

		private final boolean applyConvention;

		MetricsCustomizer(ConnectionPoolMeters poolMeters,
				Function<String, AsyncApiClientObservability.Metrics> settings, String observationName,
				boolean applyConvention) {
			this.poolMeters = poolMeters;
			this.settings = settings;
			this.observationName = observationName;
			this.applyConvention = applyConvention;
		}

		@Override
		public void customizeConnectionProvider(String clientName, ConnectionProvider.Builder builder) {
			if (this.settings.apply(clientName).enabled()) {
				builder.pendingAcquireTimer(new PendingAcquireTimer(clientName, this.poolMeters));
			}
		}

		@Override
		public @Nullable ClientRequestObservationConvention customizeObservationConvention(String clientName,
				@Nullable ClientRequestObservationConvention convention) {
			if (!this.applyConvention) {
				return convention;
			}
			// Also for disabled clients: their logical client.name is what the meter filter
			// denies, while tracing keeps working.
			return new AsyncApiClientRequestObservationConvention(this.observationName, clientName,
					this.settings.apply(clientName).maxUriTags());
		}

	}

}
