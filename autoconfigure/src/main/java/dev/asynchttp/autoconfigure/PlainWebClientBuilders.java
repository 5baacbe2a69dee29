package dev.asynchttp.autoconfigure;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Decides whether the {@code WebClient.Builder}s the clients are built from carry nothing
 * but codec settings, so that typed calls without a body may skip {@code WebClient}
 * ({@code AsyncApiClientFactory.setDirectExchange}): either there is no builder bean (a
 * plain {@link WebClient#builder()} is used), or the only one is Boot's, and the only
 * {@code WebClientCustomizer}s applied to it are Boot's own connector and codec ones. Any other
 * customizer or builder bean could have set a filter, a default request, a status handler
 * or an observation registry, which only {@code WebClient} honours.
 */
final class PlainWebClientBuilders {

	private static final String CUSTOMIZER = "org.springframework.boot.webclient.WebClientCustomizer";

	private static final String BOOT_CONFIGURATION = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration";

	/**
	 * Boot's own customizers, by the methods of {@code WebClientAutoConfiguration} that
	 * define them: the connector (replaced by each client's own) and the codecs (read by
	 * the direct path too).
	 */
	private static final Set<String> PLAIN_CUSTOMIZERS = Set.of("webClientHttpConnectorCustomizer",
			"exchangeStrategiesCustomizer");

	private PlainWebClientBuilders() {
	}

	static boolean areUsed(ListableBeanFactory beanFactory) {
		String[] builders = beanFactory.getBeanNamesForType(WebClient.Builder.class, true, false);
		if (builders.length == 0) {
			return true;
		}
		if (builders.length > 1 || !isBoots(beanFactory, builders[0])) {
			return false;
		}
		ClassLoader classLoader = PlainWebClientBuilders.class.getClassLoader();
		if (!ClassUtils.isPresent(CUSTOMIZER, classLoader)) {
			return true;
		}
		Class<?> customizer = ClassUtils.resolveClassName(CUSTOMIZER, classLoader);
		for (String name : beanFactory.getBeanNamesForType(customizer, true, false)) {
			BeanDefinition definition = bootDefinition(beanFactory, name);
			if (definition == null || !PLAIN_CUSTOMIZERS.contains(definition.getFactoryMethodName())) {
				return false;
			}
		}
		return true;
	}

	private static boolean isBoots(ListableBeanFactory beanFactory, String name) {
		return bootDefinition(beanFactory, name) != null;
	}

	/**
	 * The definition of a bean made by a method of Boot's {@code WebClientAutoConfiguration}
	 * (or a class nested in it), else {@code null}.
	 */
	private static @Nullable BeanDefinition bootDefinition(ListableBeanFactory beanFactory, String name) {
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
				&& (configuration.equals(BOOT_CONFIGURATION) || configuration.startsWith(BOOT_CONFIGURATION + "$"));
		return boots ? definition : null;
	}

}
