package dev.asynchttp.autoconfigure;

import java.time.Clock;
import java.util.Map;

import dev.asynchttp.client.AsyncApiClientCustomizer;
import dev.asynchttp.client.AsyncApiClientFactory;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientObserver;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.SharedLimits;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of async-http clients: one {@link AsyncApiClients} registry and one
 * {@code AsyncApiClient} bean per {@code async-http.clients.<name>} block.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, HttpClient.class })
@ConditionalOnBooleanProperty(name = "async-http.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncHttpProperties.class)
public final class AsyncHttpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AsyncApiClientFactory asyncApiClientFactory(ObjectProvider<WebClient.Builder> webClientBuilders,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<AsyncApiClientCustomizer> customizers,
			ObjectProvider<AsyncApiClientObserver> observers, ObjectProvider<SharedLimits> sharedLimits,
			ListableBeanFactory beanFactory, Environment environment) {
		// The bundles themselves, not a look-up function, so that clients follow bundle
		// updates; without any, an empty registry reports each name as missing.
		SslBundles bundles = sslBundles.getIfAvailable(DefaultSslBundleRegistry::new);
		// Boot's prototype builder carries the observation and codec customizers; a plain
		// builder stands in when WebClientAutoConfiguration is not present.
		AsyncApiClientFactory factory = new AsyncApiClientFactory(
				() -> webClientBuilders.getIfAvailable(WebClient::builder), null, bundles,
				customizers.orderedStream().toList(),
				AsyncApiClientObserver.composite(observers.orderedStream().toList()), Clock.systemUTC(),
				sharedLimits.getIfAvailable());
		factory.setCallObservationRegistry(CallObservationRegistry.of(beanFactory));
		PlainWebClientBuilders.configure(factory, beanFactory, environment);
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	AsyncApiClientsObservability asyncApiClientsObservability(AsyncHttpProperties properties) {
		return AsyncApiClientsObservability.of(properties);
	}

	/**
	 * The clients. Takes the observability settings, unused here, so that a bad metrics or
	 * health value fails at startup even when neither Micrometer nor Actuator is present.
	 */
	@Bean
	@ConditionalOnMissingBean
	AsyncApiClients asyncApiClients(AsyncHttpProperties properties, AsyncApiClientFactory factory,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<SharedLimits> sharedLimits,
			ResourceLoader resourceLoader, AsyncApiClientsObservability observability) {
		Map<String, AsyncApiClientSettings> settings = new AsyncApiClientSettingsMapper(properties,
				sslBundles.getIfAvailable())
			.map();
		if (sharedLimits.getIfAvailable() == null) {
			SharedLimitsRequirement.check(settings, resourceLoader.getClassLoader());
		}
		return new AsyncApiClients(settings, factory, properties.getShutdownGracePeriod());
	}

	@Bean
	static AsyncApiClientBeanRegistrar asyncApiClientBeanRegistrar(Environment environment) {
		return new AsyncApiClientBeanRegistrar(environment);
	}

}
