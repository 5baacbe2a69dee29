package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.ReactorTestServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.codec.StringDecoder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ClientCodecConfigurer;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.UnknownHttpStatusCodeException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Typed calls without a body that skip {@code WebClient} ({@link DirectExchange}) give what
 * the same calls through {@code WebClient} give: every case runs on two clients of one
 * local server, one sending directly, one made to use {@code WebClient} by a customizer of
 * its builder, and their results, errors and requests on the wire are compared.
 */
class DirectExchangeTests {

	private static final Duration BLOCK = ClientTestSupport.BLOCK;

	private ReactorTestServer server;

	private AsyncApiClients directClients;

	private AsyncApiClients webClientClients;

	private AsyncApiClient direct;

	private AsyncApiClient viaWebClient;

	@BeforeEach
	void start() {
		this.server = ReactorTestServer.answering((seen) -> switch (seen.uri()) {
			case "/latin1" -> new Answer(200, Map.of("Content-Type", "text/plain;charset=ISO-8859-1"), "caf\u00e9");
			case "/json" -> new Answer(200, Map.of("Content-Type", "application/json", "X-Trace", "t-1"),
					"{\"id\":7,\"name\":\"seven\"}");
			case "/broken-json" -> new Answer(200, Map.of("Content-Type", "application/json"), "{\"id\":");
			case "/missing" -> new Answer(404, Map.of("Content-Type", "text/plain"), "no such item");
			case "/invalid" -> new Answer(422, Map.of("Content-Type", "application/json"), "{\"error\":\"bad id\"}");
			case "/teapot-ish" -> new Answer(599, Map.of("Content-Type", "text/plain"), "odd");
			case "/empty" -> new Answer(204, Map.of(), "");
			case "/large" -> new Answer(200, Map.of("Content-Type", "text/plain"), "x".repeat(4096));
			default -> new Answer(200, Map.of("Content-Type", "text/plain"), "ok");
		});
		AsyncApiClientSettings settings = AsyncApiClientSettings.defaults()
			.withBaseUrl(URI.create(this.server.url()))
			.withDefaultHeaders(Map.of("X-Client", List.of("bench"), "X-Team", List.of("core")))
			.withMaxInMemorySize(DataSize.ofKilobytes(1))
			.withRetry(AsyncApiClientSettings.defaults().retry().withEnabled(false));
		this.directClients = ClientTestSupport.clients(settings);
		AsyncApiClientCustomizer touchesWebClient = AsyncApiClientCustomizer.forClient(ClientTestSupport.NAME,
				(builder) -> {
				});
		this.webClientClients = ClientTestSupport.clients(settings, new AsyncApiClientObserver() {
		}, Clock.systemUTC(), touchesWebClient);
		this.direct = this.directClients.get(ClientTestSupport.NAME);
		this.viaWebClient = this.webClientClients.get(ClientTestSupport.NAME);
	}

	@AfterEach
	void stop() {
		this.directClients.close();
		this.webClientClients.close();
		this.server.close();
	}

	@Test
	void plainClientsSendDirectlyAndClientsWithACustomizedWebClientDoNot() {
		assertThat(((DefaultAsyncApiClient) this.direct).direct()).isNotNull();
		assertThat(((DefaultAsyncApiClient) this.viaWebClient).direct()).isNull();
	}

	@Test
	void clientsThatFollowRedirectsUseWebClient() {
		AsyncApiClientSettings settings = AsyncApiClientSettings.defaults()
			.withRedirects(new AsyncApiClientSettings.Redirects(true, 5));
		try (AsyncApiClients clients = ClientTestSupport.clients(settings)) {
			assertThat(((DefaultAsyncApiClient) clients.get(ClientTestSupport.NAME)).direct()).isNull();
		}
	}

	@Test
	void decodesTextWithTheCharsetOfTheResponse() {
		// The test server writes UTF-8 bytes under a latin-1 label: both read them as latin-1.
		String expected = new String("caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
		assertThat(both((client) -> client.get("/latin1", String.class))).containsOnly(expected);
	}

	@Test
	void givesTheSameEntityWithStatusHeadersAndDecodedBody() {
		List<ResponseEntity<Map<String, Object>>> entities = both((client) -> client.request(HttpMethod.GET, "/json")
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			}));
		for (ResponseEntity<Map<String, Object>> entity : entities) {
			assertThat(entity.getStatusCode().value()).isEqualTo(200);
			assertThat(entity.getHeaders().getFirst("X-Trace")).isEqualTo("t-1");
			assertThat(entity.getBody()).containsEntry("id", 7).containsEntry("name", "seven");
		}
	}

	@Test
	void givesABodilessEntityForNoContent() {
		List<ResponseEntity<Void>> entities = both(
				(client) -> client.request(HttpMethod.GET, "/empty").toBodilessEntity());
		for (ResponseEntity<Void> entity : entities) {
			assertThat(entity.getStatusCode().value()).isEqualTo(204);
			assertThat(entity.getBody()).isNull();
		}
	}

	@Test
	void raisesTheSameStatusExceptionWithBodyAndRequest() {
		List<Throwable> failures = failures((client) -> client.get("/missing", String.class));
		for (Throwable failure : failures) {
			assertThat(failure).isInstanceOf(WebClientResponseException.NotFound.class);
			WebClientResponseException exception = (WebClientResponseException) failure;
			assertThat(exception.getResponseBodyAsString()).isEqualTo("no such item");
			assertThat(exception.getRequest().getURI()).isEqualTo(URI.create(this.server.url("/missing")));
			assertThat(exception.getRequest().getMethod()).isEqualTo(HttpMethod.GET);
		}
		assertThat(failures.get(0).getMessage()).isEqualTo(failures.get(1).getMessage());
	}

	@Test
	void decodesAnErrorBodyOnDemandAsWebClientDoes() {
		List<Throwable> failures = failures((client) -> client.get("/invalid", String.class));
		for (Throwable failure : failures) {
			WebClientResponseException exception = (WebClientResponseException) failure;
			assertThat(exception.getStatusText()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT.getReasonPhrase());
			assertThat(exception.getResponseBodyAs(Map.class)).containsEntry("error", "bad id");
		}
		assertThat(failures.get(0).getMessage()).isEqualTo(failures.get(1).getMessage());
	}

	@Test
	void raisesUnknownStatusCodesAsWebClientDoes() {
		List<Throwable> failures = failures((client) -> client.get("/teapot-ish", String.class));
		for (Throwable failure : failures) {
			assertThat(failure).isInstanceOf(UnknownHttpStatusCodeException.class);
			assertThat(((WebClientResponseException) failure).getResponseBodyAsString()).isEqualTo("odd");
		}
		assertThat(failures.get(0).getMessage()).isEqualTo(failures.get(1).getMessage());
	}

	@Test
	void wrapsADecodingFailureAsWebClientDoes() {
		List<Throwable> failures = failures((client) -> client.get("/broken-json", Map.class));
		assertThat(failures.get(0).getClass()).isEqualTo(failures.get(1).getClass());
		assertThat(failures.get(0).getCause()).isNotNull();
		assertThat(failures.get(0).getCause().getClass()).isEqualTo(failures.get(1).getCause().getClass());
	}

	@Test
	void reportsABodyOverTheInMemoryLimitAsTooLarge() {
		for (Throwable failure : failures((client) -> client.get("/large", String.class))) {
			assertThat(failure).isInstanceOf(AsyncHttpResponseTooLargeException.class)
				.hasMessageContaining("max-in-memory-size");
		}
	}

	@Test
	void readsTheSameBytesAndEntityOfBytesWithTheSameInMemoryLimit() {
		assertThat(both((client) -> client.get("/json", byte[].class).map(String::new)))
			.containsOnly("{\"id\":7,\"name\":\"seven\"}");
		both((client) -> client.request(HttpMethod.GET, "/json").toEntity(byte[].class).map((entity) -> ResponseEntity
			.status(entity.getStatusCode()).headers(entity.getHeaders()).body(new String(entity.getBody()))));
		for (Throwable failure : failures((client) -> client.get("/large", byte[].class))) {
			assertThat(failure).isInstanceOf(AsyncHttpResponseTooLargeException.class);
		}
	}

	@Test
	void readsBytesWithSpringsOwnDecoderOnlyWhenNoReaderBeforeItTakesByteArrays() {
		List<HttpMessageReader<?>> defaults = ClientCodecConfigurer.create().getReaders();
		assertThat(DirectExchange.bytesExtractor(defaults)).isNotNull();

		HttpMessageReader<byte[]> custom = new DecoderHttpMessageReader<>(new ByteArrayDecoder() {
		});
		List<HttpMessageReader<?>> customized = new ArrayList<>();
		customized.add(custom);
		customized.addAll(defaults);
		assertThat(DirectExchange.bytesExtractor(customized)).isNull();
		assertThat(DirectExchange.bytesExtractor(List.of(new StringDecoderReader()))).isNull();
	}

	@Test
	void sendsTheSameHeadersWithCallHeadersOverDefaultsAndAccept() {
		both((client) -> client.request(HttpMethod.GET, "/headers")
			.header("X-Team", "platform")
			.header("X-Call", "one")
			.accept(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON)
			.bodyToMono(String.class));
		List<ReactorTestServer.Seen> seen = this.server.seen();
		assertThat(seen).hasSize(2);
		for (ReactorTestServer.Seen request : seen) {
			HttpHeaders headers = request.headers();
			assertThat(headers.get("X-Client")).containsExactly("bench");
			assertThat(headers.get("X-Team")).containsExactly("platform");
			assertThat(headers.get("X-Call")).containsExactly("one");
			assertThat(headers.getFirst("Accept")).isEqualTo("text/plain, application/json");
		}
	}

	@Test
	void streamsTheSameBody() {
		List<String> bodies = both((client) -> client.request(HttpMethod.GET, "/json")
			.streamMapped((buffer) -> buffer.toString(StandardCharsets.UTF_8))
			.reduce("", String::concat));
		assertThat(bodies).containsOnly("{\"id\":7,\"name\":\"seven\"}");
	}

	@Test
	void failsAStreamWithTheSameStatusException() {
		List<Throwable> failures = failures((client) -> client.request(HttpMethod.GET, "/missing")
			.stream()
			.then());
		for (Throwable failure : failures) {
			assertThat(failure).isInstanceOf(WebClientResponseException.NotFound.class);
			assertThat(((WebClientResponseException) failure).getResponseBodyAsString()).isEqualTo("no such item");
		}
	}

	@Test
	void refusesARequestOutsideTheBaseUrlUnsent() {
		URI other = URI.create("http://localhost:" + this.server.port() + "/elsewhere");
		for (Throwable failure : failures((client) -> client.request(HttpMethod.GET, other).bodyToMono(String.class))) {
			assertThat(failure).isInstanceOf(AsyncHttpInvalidRequestException.class);
		}
		assertThat(this.server.requests()).isZero();
	}

	private <T> List<T> both(Function<AsyncApiClient, Mono<T>> call) {
		T direct = call.apply(this.direct).block(BLOCK);
		T viaWebClient = call.apply(this.viaWebClient).block(BLOCK);
		if (direct instanceof ResponseEntity<?> entity && viaWebClient instanceof ResponseEntity<?> other) {
			assertThat(entity.getStatusCode()).isEqualTo(other.getStatusCode());
			assertThat(entity.getHeaders().toSingleValueMap()).isEqualTo(other.getHeaders().toSingleValueMap());
			assertThat(entity.getBody()).isEqualTo(other.getBody());
		}
		else {
			assertThat(direct).isEqualTo(viaWebClient);
		}
		return Arrays.asList(direct, viaWebClient);
	}

	private List<Throwable> failures(Function<AsyncApiClient, Mono<?>> call) {
		Throwable direct = catchThrowable(() -> call.apply(this.direct).block(BLOCK));
		Throwable viaWebClient = catchThrowable(() -> call.apply(this.viaWebClient).block(BLOCK));
		assertThat(direct).isNotNull();
		assertThat(viaWebClient).isNotNull();
		assertThat(direct.getClass()).isEqualTo(viaWebClient.getClass());
		return List.of(direct, viaWebClient);
	}

	/** Reads only text: no byte arrays, so no fast path either. */
	private static final class StringDecoderReader extends DecoderHttpMessageReader<String> {

		StringDecoderReader() {
			super(StringDecoder.textPlainOnly());
		}

	}

}
