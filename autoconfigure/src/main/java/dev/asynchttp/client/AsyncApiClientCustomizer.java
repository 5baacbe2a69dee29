package dev.asynchttp.client;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adjusts clients as they are built. Every customizer bean sees every client, with its
 * name, so it can pick the clients it cares about; {@link #forClient} builds one that acts
 * on a single client. Customizers run in {@code @Order} order after async-http applied its
 * settings, so what they set wins.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface AsyncApiClientCustomizer {

	/**
	 * Adjust the Reactor Netty connection pool of a client before it is built, for example to
	 * switch on pool metrics.
	 * @param clientName the client name; also the pool's name
	 * @param builder the pool builder, with the client's settings applied
	 */
	default void customizeConnectionProvider(String clientName, ConnectionProvider.Builder builder) {
	}

	/**
	 * Adjust the Reactor Netty {@link HttpClient} of a client. It is built once per client,
	 * never per request.
	 * @param clientName the client name
	 * @param httpClient the HTTP client so far
	 * @return the HTTP client to use
	 */
	default HttpClient customizeHttpClient(String clientName, HttpClient httpClient) {
		return httpClient;
	}

	/**
	 * Adjust the {@link WebClient.Builder} of a client, for example to add a filter.
	 * @param clientName the client name
	 * @param webClientBuilder the builder
	 */
	default void customizeWebClient(String clientName, WebClient.Builder webClientBuilder) {
	}

	/**
	 * Choose the convention of a client's {@code http.client.requests} observations, for the
	 * calls that go through its {@code WebClient} and for those that skip it alike. Unlike
	 * setting a convention in {@link #customizeWebClient}, this keeps a client's typed calls
	 * off {@code WebClient}'s request and response layers
	 * ({@link AsyncApiClientFactory#setDirectExchange(boolean)}).
	 * @param clientName the client name
	 * @param convention the convention so far, or {@code null} for the one of the client's
	 * {@code WebClient.Builder}
	 * @return the convention to use, or {@code null} for the builder's
	 */
	default @Nullable ClientRequestObservationConvention customizeObservationConvention(String clientName,
			@Nullable ClientRequestObservationConvention convention) {
		return convention;
	}

	/**
	 * A customizer of one client's {@link WebClient.Builder}.
	 * @param clientName the client it applies to
	 * @param customizer what to do with the builder
	 * @return the customizer
	 */
	static AsyncApiClientCustomizer forClient(String clientName, Consumer<WebClient.Builder> customizer) {
		Assert.hasText(clientName, "'clientName' must not be empty");
		Assert.notNull(customizer, "'customizer' must not be null");
		return new AsyncApiClientCustomizer() {

			@Override
			public void customizeWebClient(String name, WebClient.Builder webClientBuilder) {
				if (clientName.equals(name)) {
					customizer.accept(webClientBuilder);
				}
			}

		};
	}

	/**
	 * A customizer of one client's Reactor Netty {@link HttpClient}.
	 * @param clientName the client it applies to
	 * @param customizer how to change the HTTP client
	 * @return the customizer
	 */
	static AsyncApiClientCustomizer forHttpClient(String clientName, UnaryOperator<HttpClient> customizer) {
		Assert.hasText(clientName, "'clientName' must not be empty");
		Assert.notNull(customizer, "'customizer' must not be null");
		return new AsyncApiClientCustomizer() {

			@Override
			public HttpClient customizeHttpClient(String name, HttpClient httpClient) {
				return clientName.equals(name) ? customizer.apply(httpClient) : httpClient;
			}

		};
	}

}
