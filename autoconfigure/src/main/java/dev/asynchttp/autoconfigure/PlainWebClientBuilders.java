package dev.asynchttp.autoconfigure;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import dev.asynchttp.client.AsyncApiClientFactory;
import io.micrometer.observation.ObservationRegistry;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Decides whether the {@code WebClient.Builder}s the clients are built from carry nothing
 * but codec and observation settings, so that typed calls without a body may skip {@code WebClient}
 * ({@code AsyncApiClientFactory.setDirectExchange}): either there is no builder bean (a
 * plain {@link WebClient#builder()} is used), or the only one is Boot's, and the only
 * {@code WebClientCustomizer}s applied to it are Boot's own connector and codec ones. Any other
 * customizer or builder bean could have set a filter, a default request, a status handler
 * or an observation registry, which only {@code WebClient} honours. Boot's observation
 * customizer counts as plain: what it sets is known and given to the direct path too.
 */
final class PlainWebClientBuilders {

	private static final String CUSTOMIZER = "org.springframework.boot.webclient.WebClientCustomizer";

	private static final String BOOT_CONFIGURATION = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration";

	private static final String OBSERVATION_CONFIGURATION = "org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration";

	private static final String OBSERVATION_CUSTOMIZER = "observationWebClientCustomizer";

	/**
	 * Boot's own customizers, by the methods of its auto-configurations that define them:
	 * the connector (replaced by each client's own), the codecs (read by the direct path
	 * too) and the observation registry and convention (which the direct path is given,
	 * {@link #configure}).
	 */
	private static final Map<String, String> PLAIN_CUSTOMIZERS = Map.of("webClientHttpConnectorCustomizer",
			BOOT_CONFIGURATION, "exchangeStrategiesCustomizer", BOOT_CONFIGURATION, OBSERVATION_CUSTOMIZER,
			OBSERVATION_CONFIGURATION);

	private PlainWebClientBuilders() {
	}

	/**
	 * Let the factory's typed calls skip {@code WebClient} when the builders are plain, and
	 * observe them then with what Boot's observation customizer puts on the builder: the
	 * registry, and the application's convention or Spring's default under the configured
	 * name.
	 * @param factory the factory
	 * @param beanFactory where the builders and customizers are defined
	 * @param environment holds {@code management.observations.http.client.requests.name}
	 */
	static void configure(AsyncApiClientFactory factory, ListableBeanFactory beanFactory, Environment environment) {
		boolean plain = areUsed(beanFactory);
		factory.setDirectExchange(plain);
		if (plain && isObserved(beanFactory)) {
			String name = environment.getProperty("management.observations.http.client.requests.name",
					"http.client.requests");
			ClientRequestObservationConvention convention = beanFactory
				.getBeanProvider(ClientRequestObservationConvention.class)
				.getIfAvailable(() -> new DefaultClientRequestObservationConvention(name));
			factory.setRequestObservations(beanFactory.getBean(ObservationRegistry.class), convention);
		}
	}

	private static boolean isObserved(ListableBeanFactory beanFactory) {
		return customizers(beanFactory).anyMatch((name) -> {
			BeanDefinition definition = bootDefinition(beanFactory, name, OBSERVATION_CONFIGURATION);
			return definition != null && OBSERVATION_CUSTOMIZER.equals(definition.getFactoryMethodName());
		});
	}

	private static Stream<String> customizers(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = PlainWebClientBuilders.class.getClassLoader();
		if (!ClassUtils.isPresent(CUSTOMIZER, classLoader)) {
			return Stream.empty();
		}
		Class<?> customizer = ClassUtils.resolveClassName(CUSTOMIZER, classLoader);
		return Arrays.stream(beanFactory.getBeanNamesForType(customizer, true, false));
	}

	static boolean areUsed(ListableBeanFactory beanFactory) {
		String[] builders = beanFactory.getBeanNamesForType(WebClient.Builder.class, true, false);
		if (builders.length == 0) {
			return true;
		}
		if (builders.length > 1 || bootDefinition(beanFactory, builders[0], BOOT_CONFIGURATION) == null) {
			return false;
		}
		return customizers(beanFactory).allMatch((name) -> isPlain(beanFactory, name));
	}

	private static boolean isPlain(ListableBeanFactory beanFactory, String customizer) {
		for (Map.Entry<String, String> plain : PLAIN_CUSTOMIZERS.entrySet()) {
			BeanDefinition definition = bootDefinition(beanFactory, customizer, plain.getValue());
			if (definition != null && plain.getKey().equals(definition.getFactoryMethodName())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The definition of a bean made by a method of one of Boot's auto-configurations (or a
	 * class nested in it), else {@code null}.
	 */
	private static @Nullable BeanDefinition bootDefinition(ListableBeanFactory beanFactory, String name,
			String bootConfiguration) {
		if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)
				|| !configurable.containsBeanDefinition(name)) {
			return null;
		}
		BeanDefinition definition = configurable.getMergedBeanDefinition(name);
		String factoryBean = definition.getFactoryBeanName();
		if (factoryBean == null || !configurable.containsBeanDefinition(factoryBean)) {
			return null;
		}
		String configuration = configurable.getMergedBeanDefinition(factoryBean).getBeanClassName();
		boolean boots = configuration != null
				&& (configuration.equals(bootConfiguration) || configuration.startsWith(bootConfiguration + "$"));
		return boots ? definition : null;
	}

}
