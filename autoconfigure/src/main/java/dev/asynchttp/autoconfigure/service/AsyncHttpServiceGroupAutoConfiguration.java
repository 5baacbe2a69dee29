package dev.asynchttp.autoconfigure.service;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.client.AsyncApiClients;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;

/**
 * Auto-configuration that backs an HTTP service group
 * ({@code @ImportHttpServices(group = "github", ...)}) with the async-http client of the
 * same name, for {@code WEB_CLIENT} and {@code REST_CLIENT} groups alike. Groups without an
 * async-http client of their name stay as Spring Boot makes them.
 *
 * @author async-http
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncHttpAutoConfiguration.class,
		afterName = { "org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration" })
@ConditionalOnClass(HttpServiceProxyRegistry.class)
@ConditionalOnBean({ HttpServiceProxyRegistry.class, AsyncApiClients.class })
public final class AsyncHttpServiceGroupAutoConfiguration {

	/**
	 * Before Boot's group configurers (its properties configurer runs at
	 * {@code HIGHEST_PRECEDENCE} or {@code HIGHEST_PRECEDENCE + 10}, its customizer
	 * configurer at 0), so that exchange adapter decorators added by later configurers,
	 * the application's included, wrap the async-http adapter instead of being replaced.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	@Bean
	AsyncApiClientServiceGroups asyncApiClientServiceGroups(AsyncApiClients clients, Environment environment) {
		return new AsyncApiClientServiceGroups(clients, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClientHttpServiceGroupConfigurer.class)
	static class WebClientGroups {

		@Bean
		WebClientHttpServiceGroupConfigurer asyncHttpWebClientGroupConfigurer(AsyncApiClientServiceGroups groups) {
			return new WebClientHttpServiceGroupConfigurer() {

				@Override
				public void configureGroups(Groups<WebClient.Builder> g) {
					groups.configure(g);
				}

				@Override
				public int getOrder() {
					return ORDER;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
	static class RestClientGroups {

		@Bean
		RestClientHttpServiceGroupConfigurer asyncHttpRestClientGroupConfigurer(AsyncApiClientServiceGroups groups) {
			return new RestClientHttpServiceGroupConfigurer() {

				@Override
				public void configureGroups(Groups<RestClient.Builder> g) {
					groups.configure(g);
				}

				@Override
				public int getOrder() {
					return ORDER;
				}

			};
		}

	}

}
