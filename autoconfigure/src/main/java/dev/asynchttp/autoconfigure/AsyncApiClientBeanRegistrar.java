package dev.asynchttp.autoconfigure;

import java.util.Map;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link AsyncApiClient} bean per {@code async-http.clients.<name>} block,
 * named after the client, so it can be injected with {@code @Qualifier("<name>")} (or
 * without a qualifier when there is a single client). Bean definitions must exist before
 * any bean is created, so the client names are bound straight from the
 * {@link Environment}. A bean the application already defines under a client's name wins.
 *
 * @author async-http
 */
final class AsyncApiClientBeanRegistrar implements BeanDefinitionRegistryPostProcessor {

	private static final Log logger = LogFactory.getLog(AsyncApiClientBeanRegistrar.class);

	private final Environment environment;

	AsyncApiClientBeanRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		Map<String, AsyncApiClientProperties> clients = Binder.get(this.environment)
			.bind("async-http.clients", Bindable.mapOf(String.class, AsyncApiClientProperties.class))
			.orElse(Map.of());
		BeanFactory beanFactory = (BeanFactory) registry;
		for (String name : clients.keySet()) {
			AsyncApiClientSettingsMapper.checkClientName(name);
			if (registry.containsBeanDefinition(name)) {
				logger.warn("Bean '" + name + "' is already defined, so async-http does not register its client '"
						+ name + "' as a bean; it is still available from AsyncApiClients.get(\"" + name + "\")");
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(AsyncApiClient.class);
			definition.setInstanceSupplier(() -> beanFactory.getBean(AsyncApiClients.class).get(name));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			// The registry owns the client's lifecycle; the bean itself has nothing to close.
			definition.setDestroyMethodName(null);
			registry.registerBeanDefinition(name, definition);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
	}

}
