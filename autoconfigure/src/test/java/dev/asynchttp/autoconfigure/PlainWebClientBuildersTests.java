package dev.asynchttp.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.boot.webclient.observation.ObservationWebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When typed calls may skip {@code WebClient}: only with builders that carry nothing but
 * Boot's own connector, codec and observation settings.
 */
class PlainWebClientBuildersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
				HttpClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class));

	@Test
	void bootsBuilderWithItsOwnCustomizersIsPlain() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBeanNamesForType(WebClientCustomizer.class)).hasSizeGreaterThanOrEqualTo(2);
			assertThat(PlainWebClientBuilders.areUsed(context.getBeanFactory())).isTrue();
		});
	}

	@Test
	void bootsObservationCustomizerKeepsTheBuilderPlain() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					WebClientObservationAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationWebClientCustomizer.class);
				assertThat(PlainWebClientBuilders.areUsed(context.getBeanFactory())).isTrue();
			});
	}

	@Test
	void withoutAnyBuilderBeanThePlainBuilderIsUsed() {
		new ApplicationContextRunner()
			.run((context) -> assertThat(PlainWebClientBuilders.areUsed(context.getBeanFactory())).isTrue());
	}

	@Test
	void anApplicationsWebClientCustomizerMakesTheBuilderNotPlain() {
		this.contextRunner.withUserConfiguration(ApplicationCustomizer.class)
			.run((context) -> assertThat(PlainWebClientBuilders.areUsed(context.getBeanFactory())).isFalse());
	}

	@Test
	void anApplicationsOwnBuilderIsNotPlain() {
		new ApplicationContextRunner().withUserConfiguration(ApplicationBuilder.class)
			.run((context) -> assertThat(PlainWebClientBuilders.areUsed(context.getBeanFactory())).isFalse());
	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationCustomizer {

		@Bean
		WebClientCustomizer defaultStatusHandler() {
			return (builder) -> builder.defaultStatusHandler((status) -> status.value() == 418,
					(response) -> response.createException());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationBuilder {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder().filter((request, next) -> next.exchange(request));
		}

	}

}
