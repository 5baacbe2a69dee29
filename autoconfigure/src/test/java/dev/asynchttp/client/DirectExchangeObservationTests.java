package dev.asynchttp.client;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.ReactorTestServer.Answer;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Calls that skip {@code WebClient} ({@link DirectExchange}) are observed as
 * {@code WebClient} observes the others: the same {@code http.client.requests} meters with
 * the same tags and counts, the same request and URI template in the context, propagation
 * headers sent, and the observation in the exchange's Reactor context. Each case runs on a
 * direct client and on one forced through {@code WebClient}, each with a registry of its
 * own, and the meters of both are compared.
 */
class DirectExchangeObservationTests {

	private static final Duration BLOCK = ClientTestSupport.BLOCK;

	private ReactorTestServer server;

	private Side direct;

	private Side viaWebClient;

	@BeforeEach
	void start() {
		this.server = ReactorTestServer.answering((seen) -> switch (seen.uri()) {
			case "/items/7" -> new Answer(200, Map.of("Content-Type", "application/json"), "{\"id\":7}");
			case "/missing" -> new Answer(404, Map.of("Content-Type", "text/plain"), "no such item");
			default -> new Answer(503, Map.of("Content-Type", "text/plain"), "down");
		});
		this.direct = new Side(true, this.server.url());
		this.viaWebClient = new Side(false, this.server.url());
	}

	@AfterEach
	void stop() {
		this.direct.clients.close();
		this.viaWebClient.clients.close();
		this.server.close();
	}

	@Test
	void plainClientGivenTheObservationsSendsDirectly() {
		assertThat(((DefaultAsyncApiClient) this.direct.client).direct()).isNotNull();
		assertThat(((DefaultAsyncApiClient) this.viaWebClient.client).direct()).isNull();
	}

	@Test
	void recordsTheSameRequestMetersForSuccessesAndStatusErrors() {
		both((client) -> client.get("/items/{id}", String.class, 7));
		both((client) -> client.get("/items/{id}", String.class, 7));
		both((client) -> client.request(HttpMethod.GET, "/missing").toBodilessEntity().onErrorResume((ex) -> Mono.empty()));
		both((client) -> client.request(HttpMethod.GET, "/down").bodyToMono(String.class).onErrorResume((ex) -> Mono.empty()));
		await().atMost(BLOCK).untilAsserted(() -> assertThat(this.direct.timers()).isEqualTo(this.viaWebClient.timers())
			.containsEntry("client.name=api,error=none,exception=none,method=GET,outcome=SUCCESS,status=200,"
					+ "uri=/items/{id}", 2L)
			.containsEntry("client.name=api,error=none,exception=none,method=GET,outcome=CLIENT_ERROR,status=404,"
					+ "uri=/missing", 1L));
	}

	@Test
	void recordsTheSameActiveRequestTimersAndEndsEveryTask() {
		both((client) -> client.get("/items/{id}", String.class, 7));
		both((client) -> client.request(HttpMethod.GET, "/missing").toBodilessEntity().onErrorResume((ex) -> Mono.empty()));
		await().atMost(BLOCK).untilAsserted(() -> assertThat(this.direct.activeTimers())
			.isEqualTo(this.viaWebClient.activeTimers())
			// As WebClient's, tagged when the observation starts: before the template is known.
			.containsOnly(entry("client.name=api,exception=none,method=GET,outcome=UNKNOWN,status=CLIENT_ERROR,"
					+ "uri=none", 0)));
	}

	@Test
	void recordsToANewTimerOnceTheRegistryRemovedTheOneItKept() {
		this.direct.client.get("/items/{id}", String.class, 7).block(BLOCK);
		await().atMost(BLOCK).until(() -> this.direct.timers().size() == 1);
		Timer first = this.direct.meters.get("http.client.requests").timer();
		this.direct.meters.remove(first);
		this.direct.client.get("/items/{id}", String.class, 7).block(BLOCK);
		await().atMost(BLOCK).untilAsserted(() -> assertThat(this.direct.timers()).containsOnly(entry(
				"client.name=api,error=none,exception=none,method=GET,outcome=SUCCESS,status=200,uri=/items/{id}",
				1L)));
		assertThat(this.direct.meters.get("http.client.requests").timer()).isNotSameAs(first);
		assertThat(first.count()).isEqualTo(1);
	}

	@Test
	void recordsTheSameRequestMetersForAConnectionFailure() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Side directToNowhere = new Side(true, "http://127.0.0.1:" + closedPort);
		Side viaWebClientToNowhere = new Side(false, "http://127.0.0.1:" + closedPort);
		try {
			Throwable directFailure = catchThrowable(() -> directToNowhere.client.get("/x", String.class).block(BLOCK));
			Throwable webClientFailure = catchThrowable(
					() -> viaWebClientToNowhere.client.get("/x", String.class).block(BLOCK));
			assertThat(directFailure).isInstanceOf(AsyncHttpConnectException.class)
				.hasSameClassAs(webClientFailure);
			// WebClient stops its observation after the error has reached the caller.
			await().atMost(BLOCK).untilAsserted(() -> assertThat(directToNowhere.timers()).hasSize(1)
				.isEqualTo(viaWebClientToNowhere.timers()));
			assertThat(directToNowhere.timers().keySet().iterator().next())
				.contains("exception=AsyncHttpConnectException", "uri=/x");
		}
		finally {
			directToNowhere.clients.close();
			viaWebClientToNowhere.clients.close();
		}
	}

	@Test
	void recordsAnAttemptCancelledBeforeItsResponseOnce() {
		ReactorTestServer slow = ReactorTestServer.start((request, response) -> Mono.delay(Duration.ofSeconds(5))
			.then(response.sendString(Mono.just("late")).then()));
		Side directToSlow = new Side(true, slow.url());
		Side viaWebClientToSlow = new Side(false, slow.url());
		try {
			for (Side side : List.of(directToSlow, viaWebClientToSlow)) {
				String result = side.client.get("/slow", String.class)
					.timeout(Duration.ofMillis(200), Mono.just("gave up"))
					.block(BLOCK);
				assertThat(result).isEqualTo("gave up");
			}
			await().atMost(BLOCK).untilAsserted(() -> assertThat(directToSlow.timers()).isEqualTo(viaWebClientToSlow.timers())
				.containsOnlyKeys("client.name=api,error=none,exception=none,method=GET,outcome=UNKNOWN,"
						+ "status=CLIENT_ERROR,uri=/slow"));
		}
		finally {
			directToSlow.clients.close();
			viaWebClientToSlow.clients.close();
			slow.close();
		}
	}

	@Test
	void givesHandlersTheRequestAndTemplateAndSendsWhatTheyPropagate() {
		both((client) -> client.get("/items/{id}", String.class, 7));
		List<ReactorTestServer.Seen> seen = this.server.seen();
		assertThat(seen).hasSize(2)
			.allSatisfy((request) -> assertThat(request.headers().getFirst("X-Propagated")).isEqualTo("GET /items/7"));
		assertThat(this.direct.templates).containsExactly("/items/{id} -> 200 application/json");
		assertThat(this.direct.templates).isEqualTo(this.viaWebClient.templates);
	}

	@Test
	void sendsTheCallsOwnHeadersWithThePropagatedOnes() {
		both((client) -> client.request(HttpMethod.GET, "/items/{id}", 7)
			.header("X-Own", "mine")
			.accept(MediaType.APPLICATION_JSON)
			.bodyToMono(String.class));
		assertThat(this.server.seen()).hasSize(2).allSatisfy((request) -> {
			assertThat(request.headers().getFirst("X-Own")).isEqualTo("mine");
			assertThat(request.headers().getFirst("Accept")).isEqualTo("application/json");
			assertThat(request.headers().getFirst("X-Propagated")).isEqualTo("GET /items/7");
		});
	}

	@Test
	void putsTheObservationIntoTheReactorContextOfTheExchange() {
		for (Side side : List.of(this.direct, this.viaWebClient)) {
			side.client.get("/items/{id}", String.class, 7).block(BLOCK);
			assertThat(side.connectedWithin).hasSize(1);
			assertThat(side.connectedWithin.get(0)).isEqualTo(URI.create(this.server.url() + "/items/7"));
		}
	}

	private void both(Function<AsyncApiClient, Mono<?>> call) {
		call.apply(this.direct.client).block(BLOCK);
		call.apply(this.viaWebClient.client).block(BLOCK);
	}

	/**
	 * One client with a registry of its own, direct or through {@code WebClient}.
	 */
	private static final class Side {

		private final MeterRegistry meters = new SimpleMeterRegistry();

		private final List<String> templates = new CopyOnWriteArrayList<>();

		/** The request URI of the observation each new connection's subscriber saw. */
		private final List<URI> connectedWithin = new CopyOnWriteArrayList<>();

		private final AsyncApiClients clients;

		private final AsyncApiClient client;

		Side(boolean direct, String baseUrl) {
			ObservationRegistry registry = ObservationRegistry.create();
			// As Spring Boot groups the meter handlers: async-http's first, for its own contexts.
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new AsyncApiClientMeterObservationHandler(this.meters, true),
						new DefaultMeterObservationHandler(this.meters)))
				.observationHandler(new Propagating(this.templates));
			ClientRequestObservationConvention convention = new DefaultClientRequestObservationConvention();
			AsyncApiClientCustomizer namedByClient = new AsyncApiClientCustomizer() {

				@Override
				public ClientRequestObservationConvention customizeObservationConvention(String clientName,
						ClientRequestObservationConvention current) {
					return new DefaultClientRequestObservationConvention() {

						@Override
						protected io.micrometer.common.KeyValue clientName(ClientRequestObservationContext context) {
							return io.micrometer.common.KeyValue.of("client.name", clientName);
						}

					};
				}

			};
			AsyncApiClientCustomizer seesContext = AsyncApiClientCustomizer.forHttpClient(ClientTestSupport.NAME,
					(httpClient) -> httpClient.doOnRequest((request, connection) -> {
						Observation observation = request.currentContextView()
							.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
						if (observation != null
								&& observation.getContext() instanceof ClientRequestObservationContext observed
								&& observed.getRequest() != null) {
							this.connectedWithin.add(observed.getRequest().url());
						}
					}));
			List<AsyncApiClientCustomizer> customizers = direct ? List.of(namedByClient, seesContext)
					: List.of(namedByClient, seesContext, AsyncApiClientCustomizer.forClient(ClientTestSupport.NAME,
							(builder) -> {
							}));
			AsyncApiClientFactory factory = new AsyncApiClientFactory(
					() -> WebClient.builder().observationRegistry(registry).observationConvention(convention), null,
					(bundle) -> {
						throw new IllegalArgumentException(bundle);
					}, customizers);
			factory.setDirectExchange(true);
			factory.setRequestObservations(registry, convention);
			AsyncApiClientSettings settings = AsyncApiClientSettings.defaults()
				.withBaseUrl(URI.create(baseUrl))
				.withRetry(AsyncApiClientSettings.defaults().retry().withEnabled(false));
			this.clients = new AsyncApiClients(Map.of(ClientTestSupport.NAME, settings), factory,
					Duration.ofSeconds(1));
			this.client = this.clients.get(ClientTestSupport.NAME);
		}

		/** Each http.client.requests timer by its sorted tags, with its count. */
		Map<String, Long> timers() {
			Map<String, Long> timers = new TreeMap<>();
			for (Timer timer : this.meters.find("http.client.requests").timers()) {
				timers.put(tags(timer), timer.count());
			}
			return timers;
		}

		/** Each http.client.requests.active long task timer by its sorted tags, with its active tasks. */
		Map<String, Integer> activeTimers() {
			Map<String, Integer> timers = new TreeMap<>();
			for (LongTaskTimer timer : this.meters.find("http.client.requests.active").longTaskTimers()) {
				timers.put(tags(timer), timer.activeTasks());
			}
			return timers;
		}

		private static String tags(Meter meter) {
			return String.join(",", meter.getId()
				.getTags()
				.stream()
				.map((tag) -> tag.getKey() + "=" + tag.getValue())
				.sorted()
				.toList());
		}

	}

	/**
	 * Writes a header through the carrier as a tracing handler would, and remembers the
	 * template and the response status and content type it saw when the observation
	 * stopped.
	 */
	private record Propagating(List<String> templates) implements ObservationHandler<ClientRequestObservationContext> {

		@Override
		public void onStart(ClientRequestObservationContext context) {
			context.getSetter().set(context.getCarrier(), "X-Propagated",
					context.getCarrier().build().method() + " " + context.getCarrier().build().url().getPath());
		}

		@Override
		public void onStop(ClientRequestObservationContext context) {
			String response = (context.getResponse() != null) ? " -> " + context.getResponse().statusCode().value()
					+ " " + context.getResponse().headers().contentType().orElse(null) : "";
			this.templates.add(context.getUriTemplate() + response);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ClientRequestObservationContext;
		}

	}

}
