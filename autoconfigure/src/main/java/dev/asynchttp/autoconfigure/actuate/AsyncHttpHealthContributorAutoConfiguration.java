package dev.asynchttp.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asynchttp.autoconfigure.AsyncApiClientsObservability;
import dev.asynchttp.autoconfigure.AsyncApiClientProperties;
import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.client.AsyncApiClients;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of the {@code asynchttp} health contributor: one member per client
 * that sets {@code health.path} (itself or through {@code async-http.defaults}). Switched
 * off with {@code management.health.asynchttp.enabled=false}.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncHttpAutoConfiguration.class)
@ConditionalOnClass({ ReactiveHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ AsyncApiClients.class, AsyncApiClientsObservability.class })
@Conditional(AsyncHttpHealthContributorAutoConfiguration.OnHealthPathCondition.class)
public final class AsyncHttpHealthContributorAutoConfiguration {

	// On the method: a class-level one would be loaded, and fail, before
	// @ConditionalOnClass could skip this class without spring-boot-health.
	@Bean
	@ConditionalOnEnabledHealthIndicator("asynchttp")
	@ConditionalOnMissingBean(name = "asynchttpHealthContributor")
	CompositeReactiveHealthContributor asynchttpHealthContributor(AsyncApiClients clients,
			AsyncApiClientsObservability clientsObservability) {
		Map<String, AsyncApiClientHealthIndicator> indicators = new LinkedHashMap<>();
		clientsObservability.configured().forEach((name, observability) -> {
			String path = observability.health().path();
			if (path != null && clients.names().contains(name)) {
				indicators.put(name,
						new AsyncApiClientHealthIndicator(clients.get(name), path, observability.health().timeout()));
			}
		});
		return CompositeReactiveHealthContributor.fromMap(indicators);
	}

	/**
	 * Matches when a client has a health check path, its own or the defaults'.
	 */
	static class OnHealthPathCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			boolean defaultPath = binder.bind("async-http.defaults.health.path", String.class).isBound();
			Map<String, AsyncApiClientProperties> clients = binder
				.bind("async-http.clients", Bindable.mapOf(String.class, AsyncApiClientProperties.class))
				.orElse(Map.of());
			boolean match = !clients.isEmpty() && (defaultPath
					|| clients.values().stream().anyMatch((client) -> client.getHealth().getPath() != null));
			return match ? ConditionOutcome.match("an async-http client has a health.path")
					: ConditionOutcome.noMatch("no async-http client has a health.path");
		}

	}

}
