package dev.asynchttp.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.metrics.AsyncHttpMetricsAutoConfiguration;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The non-web Spring Boot applications the Spring-based clients run in. Actuator and
 * Micrometer are on the benchmark's class path; only {@link WithActuator} lets their
 * auto-configurations in, so the other two measure an application without them.
 *
 * @author async-http
 * @since 0.1.0
 */
final class BenchApplications {

	private BenchApplications() {
	}

	/**
	 * Start a non-web application.
	 * @param configuration one of the configurations below
	 * @param properties its properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(Class<?> configuration, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("logging.level.root", "WARN");
		all.putAll(properties);
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all)
			.run();
	}

	/** What a non-web application with {@code spring-boot-starter-webclient} auto-configures. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, ReactorAutoConfiguration.class,
			JacksonAutoConfiguration.class, HttpClientAutoConfiguration.class,
			ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class })
	static class WebClientOnly {

	}

	/** async-http's auto-configuration without Actuator: no meters, no observations. */
	@Configuration(proxyBeanMethods = false)
	@Import(WebClientOnly.class)
	@ImportAutoConfiguration({ AsyncHttpAutoConfiguration.class, AsyncHttpMetricsAutoConfiguration.class })
	static class WithoutActuator {

		@Bean
		CountingObserver countingObserver() {
			return new CountingObserver();
		}

	}

	/** Everything on the class path, Actuator and Micrometer included, as most users run it. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WithActuator {

		@Bean
		CountingObserver countingObserver() {
			return new CountingObserver();
		}

	}

}
