package dev.asynchttp.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientCustomizer;
import dev.asynchttp.client.AsyncApiClientFactory;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.AsyncApiRequest;
import dev.asynchttp.client.AsyncHttpClientClosedException;
import dev.asynchttp.client.AsyncHttpException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link AsyncHttpAutoConfiguration}: which beans exist, when it backs off, how
 * clients are injected and customized, and how they are closed. No test here sends a
 * request over the network: requests are either refused before sending or answered by a
 * stub exchange function.
 */
class AsyncHttpAutoConfigurationTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class));

	@Test
	void withoutClientsProvidesAnEmptyRegistryAndNoClientBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(AsyncHttpProperties.class);
			assertThat(context).hasSingleBean(AsyncApiClientFactory.class);
			assertThat(context).hasSingleBean(AsyncApiClients.class);
			assertThat(context).doesNotHaveBean(AsyncApiClient.class);
			assertThat(context.getBean(AsyncApiClients.class).names()).isEmpty();
		});
	}

	@Test
	void registersOneClientBeanPerConfiguredClientNamedAfterIt() {
		this.contextRunner
			.withPropertyValues("async-http.clients.billing.base-url=https://billing.example.com",
					"async-http.clients.search-api.base-url=https://search.example.com")
			.run((context) -> {
				assertThat(context).getBeans(AsyncApiClient.class).containsOnlyKeys("billing", "search-api");
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(context.getBean("billing")).isSameAs(clients.get("billing"));
				assertThat(context.getBean("search-api")).isSameAs(clients.get("search-api"));
				assertThat(clients.get("billing").name()).isEqualTo("billing");
			});
	}

	@Test
	void clientIsCreatedForABlockWithoutBaseUrl() {
		this.contextRunner.withPropertyValues("async-http.clients.absolute.compression=false").run((context) -> {
			assertThat(context).hasSingleBean(AsyncApiClient.class);
			assertThat(context.getBean(AsyncApiClient.class).settings().baseUrl()).isNull();
		});
	}

	@Test
	void namesKeepConfigurationOrder() {
		this.contextRunner
			.withPropertyValues("async-http.clients.zeta.base-url=https://z.example.com",
					"async-http.clients.alpha.base-url=https://a.example.com",
					"async-http.clients.mid.base-url=https://m.example.com")
			.run((context) -> assertThat(context.getBean(AsyncApiClients.class).names()).containsExactly("zeta",
					"alpha", "mid"));
	}

	@Test
	void getOfAnUnknownClientNamesTheConfiguredClients() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(AsyncApiClients.class).get("unknown"))
				.withMessageContaining("'unknown'")
				.withMessageContaining("[a, b]")
				.withMessageContaining("async-http.clients.unknown.base-url"));
	}

	@Test
	void qualifierSelectsTheClientOfThatName() {
		this.contextRunner.withUserConfiguration(QualifiedInjectionConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClient injected = context.getBean(InjectedClient.class).client();
				assertThat(injected.name()).isEqualTo("b");
				assertThat(injected).isSameAs(context.getBean(AsyncApiClients.class).get("b"));
				assertThat(injected.settings().baseUrl()).hasToString("https://b.example.com");
			});
	}

	@Test
	void singleClientIsInjectedWithoutQualifier() {
		this.contextRunner.withUserConfiguration(PlainInjectionConfiguration.class)
			.withPropertyValues("async-http.clients.only.base-url=https://only.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(InjectedClient.class).client().name()).isEqualTo("only");
			});
	}

	@Test
	void unqualifiedInjectionWithTwoClientsIsAmbiguous() {
		this.contextRunner.withUserConfiguration(PlainInjectionConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(NoUniqueBeanDefinitionException.class));
	}

	@Test
	void userAsyncApiClientsMakesTheAutoConfiguredOneBackOff() {
		this.contextRunner.withUserConfiguration(UserAsyncApiClientsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(AsyncApiClients.class);
			assertThat(context).hasBean("userAsyncApiClients");
			assertThat(context).doesNotHaveBean("asyncApiClients");
			assertThat(context.getBean(AsyncApiClients.class).names()).containsExactly("mine");
		});
	}

	@Test
	void userAsyncApiClientsServesTheClientBeansOfConfiguredClients() {
		this.contextRunner.withUserConfiguration(UserAsyncApiClientsConfiguration.class)
			.withPropertyValues("async-http.clients.mine.base-url=https://ignored.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(context.getBean("mine")).isSameAs(clients.get("mine"));
				// The user's registry built the client; the property was not used.
				assertThat(clients.get("mine").settings().baseUrl()).hasToString("https://mine.example.com");
			});
	}

	@Test
	void userAsyncApiClientFactoryMakesTheAutoConfiguredOneBackOffAndBuildsTheClients() {
		this.contextRunner.withUserConfiguration(UserAsyncApiClientFactoryConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(context).hasSingleBean(AsyncApiClientFactory.class);
				assertThat(context).hasBean("userAsyncApiClientFactory");
				assertThat(context).doesNotHaveBean("asyncApiClientFactory");
				assertThat(context.getBean(UserAsyncApiClientFactoryConfiguration.class).builtClients)
					.containsExactly("a", "b");
				assertThat(context.getBean(AsyncApiClients.class).names()).containsExactly("a", "b");
			});
	}

	@Test
	void userBeanNamedLikeAClientWinsOverTheRegisteredClientBean() {
		this.contextRunner.withUserConfiguration(UserClientNamedAConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("a")).isSameAs(UserClientNamedAConfiguration.USER_CLIENT);
				assertThat(context.getBean("b")).isSameAs(context.getBean(AsyncApiClients.class).get("b"));
				// The registry still has its own client 'a'.
				assertThat(context.getBean(AsyncApiClients.class).get("a"))
					.isNotSameAs(UserClientNamedAConfiguration.USER_CLIENT);
			});
	}

	@Test
	void disabledCreatesNothingAndDoesNotValidate() {
		this.contextRunner
			.withPropertyValues("async-http.enabled=false", "async-http.clients.a.base-url=ftp://not-validated",
					"async-http.clients.a.pool.max-connections=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AsyncHttpProperties.class);
				assertThat(context).doesNotHaveBean(AsyncApiClientFactory.class);
				assertThat(context).doesNotHaveBean(AsyncApiClients.class);
				assertThat(context).doesNotHaveBean(AsyncApiClient.class);
				assertThat(context).doesNotHaveBean("a");
			});
	}

	@Test
	void backsOffWithoutWebClientOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AsyncApiClients.class);
				assertThat(context).doesNotHaveBean("a");
			});
	}

	@Test
	void backsOffWithoutReactorNettyOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpClient.class))
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AsyncApiClients.class);
				assertThat(context).doesNotHaveBean("a");
			});
	}

	@Test
	void withoutWebClientAutoConfigurationAPlainBuilderIsUsed() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.a.default-headers.X-Team=core")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WebClient.Builder.class);
				ClientRequest request = exchange(context.getBean(AsyncApiClients.class).get("a"));
				assertThat(request.url()).hasToString("https://a.example.com/things");
				assertThat(request.headers().get("X-Team")).containsExactly("core");
			});
	}

	@Test
	void bootWebClientBuilderAndItsCustomizersAreUsedWhenAvailable() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class))
			.withUserConfiguration(WebClientCustomizerConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				assertThat(context).hasSingleBean(WebClient.Builder.class);
				assertThat(context.getBean(WebClientCustomizerConfiguration.class).calls).hasSize(2);
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(exchange(clients.get("a")).headers().get("X-Boot-Builder")).containsExactly("yes");
				assertThat(exchange(clients.get("b")).headers().get("X-Boot-Builder")).containsExactly("yes");
				// Each client has its own builder: our connector did not leak into Boot's.
				assertThat(clients.get("a").webClient()).isNotSameAs(clients.get("b").webClient());
			});
	}

	@Test
	void singletonWebClientBuilderOfTheApplicationIsNeitherSharedBetweenClientsNorChanged() {
		this.contextRunner.withUserConfiguration(SingletonWebClientBuilderConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.a.default-headers.X-Only-A=1",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(exchange(clients.get("a")).headers().get("X-Only-A")).containsExactly("1");
				assertThat(exchange(clients.get("b")).headers().containsHeader("X-Only-A"))
					.as("default header of client 'a' sent by client 'b'")
					.isFalse();
				AtomicReference<ClientRequest> captured = new AtomicReference<>();
				context.getBean(WebClient.Builder.class).clone().exchangeFunction((request) -> {
					captured.set(request);
					return Mono.just(ClientResponse.create(HttpStatus.NO_CONTENT).build());
				}).build().get().uri("https://other.example.com/x").retrieve().toBodilessEntity().block(BLOCK);
				assertThat(captured.get().headers().containsHeader("X-Only-A"))
					.as("default header of client 'a' added to the application's own WebClient.Builder")
					.isFalse();
			});
	}

	@Test
	void customizerIsCalledForEachClientWithItsName() {
		this.contextRunner.withUserConfiguration(RecordingCustomizerConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				RecordingCustomizer customizer = context.getBean(RecordingCustomizer.class);
				assertThat(customizer.webClients).containsExactly("a", "b");
				assertThat(customizer.httpClients).containsExactly("a", "b");
			});
	}

	@Test
	void customizersRunInOrder() {
		this.contextRunner.withUserConfiguration(OrderedCustomizersConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com")
			.run((context) -> assertThat(context.getBean(OrderedCustomizersConfiguration.class).calls)
				.containsExactly("first:a", "second:a"));
	}

	@Test
	void customizerForOneClientAffectsOnlyThatClient() {
		this.contextRunner.withUserConfiguration(SingleClientCustomizerConfiguration.class)
			.withPropertyValues("async-http.clients.a.base-url=https://a.example.com",
					"async-http.clients.b.base-url=https://b.example.com")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				assertThat(exchange(clients.get("a")).headers().get("X-Only-A")).containsExactly("1");
				assertThat(exchange(clients.get("b")).headers().containsHeader("X-Only-A")).isFalse();
				assertThat(context.getBean(SingleClientCustomizerConfiguration.class).httpClientCalls)
					.containsExactly("a");
			});
	}

	@Test
	void closingTheContextClosesTheClients() {
		this.contextRunner.withPropertyValues("async-http.clients.a.base-url=http://localhost:9",
				"async-http.shutdown-grace-period=1s")
			.run((context) -> {
				AsyncApiClients clients = context.getBean(AsyncApiClients.class);
				AsyncApiClient client = clients.get("a");
				assertThat(clients.isRunning()).isTrue();
				context.close();
				assertThat(clients.isRunning()).isFalse();
				Throwable typed = catchThrowable(() -> client.get("/things", String.class).block(BLOCK));
				assertThat(typed).isInstanceOf(AsyncHttpClientClosedException.class);
				assertThat(((AsyncHttpException) typed).isNotSent()).isTrue();
				assertThat(((AsyncHttpException) typed).getClientName()).isEqualTo("a");
				Throwable raw = catchThrowable(
						() -> client.webClient().get().uri("/things").retrieve().toBodilessEntity().block(BLOCK));
				assertThat(raw).isInstanceOf(AsyncHttpClientClosedException.class);
				assertThat(((AsyncHttpException) raw).isNotSent()).isTrue();
			});
	}

	/**
	 * Send one GET through the client's fully configured WebClient, answered by a stub
	 * instead of the network, and return the request as it left every filter.
	 */
	private static ClientRequest exchange(AsyncApiClient client) {
		AtomicReference<ClientRequest> captured = new AtomicReference<>();
		client.webClient().mutate().exchangeFunction((request) -> {
			captured.set(request);
			return Mono.just(ClientResponse.create(HttpStatus.NO_CONTENT).build());
		}).build().get().uri("/things").retrieve().toBodilessEntity().block(BLOCK);
		assertThat(captured.get()).isNotNull();
		return captured.get();
	}

	record InjectedClient(AsyncApiClient client) {
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjectionConfiguration {

		@Bean
		InjectedClient injectedClient(@Qualifier("b") AsyncApiClient client) {
			return new InjectedClient(client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainInjectionConfiguration {

		@Bean
		InjectedClient injectedClient(AsyncApiClient client) {
			return new InjectedClient(client);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAsyncApiClientsConfiguration {

		@Bean
		AsyncApiClients userAsyncApiClients() {
			AsyncApiClientSettings mine = AsyncApiClientSettings.empty()
				.withBaseUrl(URI.create("https://mine.example.com"));
			return new AsyncApiClients(Map.of("mine", mine), AsyncApiClientFactory.standalone(), Duration.ZERO);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAsyncApiClientFactoryConfiguration {

		final List<String> builtClients = new CopyOnWriteArrayList<>();

		@Bean
		AsyncApiClientFactory userAsyncApiClientFactory() {
			AsyncApiClientCustomizer recorder = new AsyncApiClientCustomizer() {

				@Override
				public void customizeWebClient(String clientName, WebClient.Builder webClientBuilder) {
					UserAsyncApiClientFactoryConfiguration.this.builtClients.add(clientName);
				}

			};
			return new AsyncApiClientFactory(WebClient::builder, null, (name) -> {
				throw new IllegalStateException("no bundles");
			}, List.of(recorder));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientNamedAConfiguration {

		static final AsyncApiClient USER_CLIENT = new StubAsyncApiClient("user-a");

		@Bean
		AsyncApiClient a() {
			return USER_CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WebClientCustomizerConfiguration {

		final List<WebClient.Builder> calls = new CopyOnWriteArrayList<>();

		@Bean
		WebClientCustomizer recordingWebClientCustomizer() {
			return (builder) -> {
				this.calls.add(builder);
				builder.defaultHeader("X-Boot-Builder", "yes");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingletonWebClientBuilderConfiguration {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingCustomizerConfiguration {

		@Bean
		RecordingCustomizer recordingCustomizer() {
			return new RecordingCustomizer();
		}

	}

	static class RecordingCustomizer implements AsyncApiClientCustomizer {

		final List<String> webClients = new CopyOnWriteArrayList<>();

		final List<String> httpClients = new CopyOnWriteArrayList<>();

		@Override
		public HttpClient customizeHttpClient(String clientName, HttpClient httpClient) {
			this.httpClients.add(clientName);
			return httpClient;
		}

		@Override
		public void customizeWebClient(String clientName, WebClient.Builder webClientBuilder) {
			this.webClients.add(clientName);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizersConfiguration {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		AsyncApiClientCustomizer secondCustomizer() {
			return recording("second");
		}

		@Bean
		@Order(1)
		AsyncApiClientCustomizer firstCustomizer() {
			return recording("first");
		}

		private AsyncApiClientCustomizer recording(String label) {
			return new AsyncApiClientCustomizer() {

				@Override
				public void customizeWebClient(String clientName, WebClient.Builder webClientBuilder) {
					OrderedCustomizersConfiguration.this.calls.add(label + ":" + clientName);
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingleClientCustomizerConfiguration {

		final List<String> httpClientCalls = new CopyOnWriteArrayList<>();

		@Bean
		AsyncApiClientCustomizer onlyAWebClientCustomizer() {
			return AsyncApiClientCustomizer.forClient("a", (builder) -> builder.defaultHeader("X-Only-A", "1"));
		}

		@Bean
		AsyncApiClientCustomizer onlyAHttpClientCustomizer() {
			return AsyncApiClientCustomizer.forHttpClient("a", (httpClient) -> {
				this.httpClientCalls.add("a");
				return httpClient;
			});
		}

	}

	/**
	 * An application's own client bean; never called.
	 */
	static final class StubAsyncApiClient implements AsyncApiClient {

		private final String name;

		StubAsyncApiClient(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public AsyncApiClientSettings settings() {
			return AsyncApiClientSettings.defaults();
		}

		@Override
		public AsyncApiRequest request(HttpMethod method, String uriTemplate, Object... uriVariables) {
			throw new UnsupportedOperationException();
		}

		@Override
		public AsyncApiRequest request(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables) {
			throw new UnsupportedOperationException();
		}

		@Override
		public AsyncApiRequest request(HttpMethod method, URI uri) {
			throw new UnsupportedOperationException();
		}

		@Override
		public WebClient webClient() {
			throw new UnsupportedOperationException();
		}

	}

}
