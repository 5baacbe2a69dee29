package dev.asynchttp.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key written into a template and one passed as a URI variable never show in what
 * async-http (or Spring, through it) prints about a call: typed errors with their causes and
 * suppressed exceptions, HTTP status errors, batch results and requests. Every text is
 * checked as a whole stack trace, so causes and suppressed exceptions are covered too.
 */
@Timeout(60)
class SecretsInTextTests {

	private static final String TEMPLATE_KEY = "tmpl-s3cret-1";

	private static final String VARIABLE_KEY = "var-s3cret-2";

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void start() throws IOException {
		this.server = CountingHttpServer.start()
			.when("/slow", Behaviour.stall())
			.when("/busy", Behaviour.status(503))
			.when("/missing", Behaviour.status(404));
	}

	@AfterEach
	void stop() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void readTimeoutMessageMasksQueryValues() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(ClientTestSupport.timeouts(null, Duration.ofMillis(300), null, null))
			.withRetry(ClientTestSupport.noRetries()));

		Throwable failure = failureOf(client.get(template("/slow"), String.class, VARIABLE_KEY));

		assertThat(failure).isInstanceOf(AsyncHttpTimeoutException.class);
		assertThat(failure.getMessage()).contains("GET /slow?api_key=***&sig=***");
		assertThat(((AsyncHttpException) failure).getUriTemplate()).isEqualTo("/slow?api_key=***&sig=***");
		assertNoSecret(failure);
	}

	@Test
	void totalTimeoutMessageMasksQueryValues() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(ClientTestSupport.timeouts(null, null, null, Duration.ofMillis(300))));

		Throwable failure = failureOf(client.get(template("/slow"), String.class, VARIABLE_KEY));

		assertThat(failure).isInstanceOf(AsyncHttpTimeoutException.class);
		assertThat(((AsyncHttpTimeoutException) failure).getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.TOTAL);
		assertNoSecret(failure);
	}

	@Test
	void retriesExhaustedOnServiceUnavailableMasksQueryValuesInEveryException() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withRetry(ClientTestSupport.fastRetries()));

		Throwable failure = failureOf(client.get(template("/busy"), String.class, VARIABLE_KEY));

		assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(List.of(failure.getSuppressed())).filteredOn(AsyncHttpRetriesExhaustedException.class::isInstance)
			.singleElement()
			.satisfies((exhausted) -> assertThat(exhausted.getMessage()).contains("GET /busy?api_key=***&sig=***"));
		assertThat(this.server.requestCount()).isEqualTo(3);
		assertNoSecret(failure);
	}

	@Test
	void httpStatusErrorStaysWebClientResponseExceptionWithoutSecretsInItsText() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")));

		Throwable failure = failureOf(client.get(template("/missing"), String.class, VARIABLE_KEY));
		Throwable throughWebClient = failureOf(client.webClient()
			.get()
			.uri(template("/missing"), VARIABLE_KEY)
			.retrieve()
			.toBodilessEntity());

		for (Throwable error : List.of(failure, throughWebClient)) {
			assertThat(error).isInstanceOf(WebClientResponseException.NotFound.class);
			WebClientResponseException notFound = (WebClientResponseException) error;
			assertThat(notFound.getStatusCode().value()).isEqualTo(404);
			assertThat(notFound.getResponseBodyAsString()).isEqualTo("error 404");
			assertThat(notFound.getMessage()).contains("/missing").doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
			assertNoSecret(error);
		}
	}

	@Test
	void connectionFailureMessageMasksQueryValues() throws IOException {
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withBaseUrl(URI.create("http://127.0.0.1:" + closedPort()))
			.withRetry(ClientTestSupport.noRetries()));

		Throwable failure = failureOf(client.get(template("/c"), String.class, VARIABLE_KEY));
		Throwable throughWebClient = failureOf(
				client.webClient().get().uri(template("/c"), VARIABLE_KEY).retrieve().toBodilessEntity());

		for (Throwable error : List.of(failure, throughWebClient)) {
			assertThat(error).isInstanceOf(AsyncHttpConnectException.class);
			assertThat(((AsyncHttpException) error).isNotSent()).isTrue();
			assertNoSecret(error);
		}
		assertThat(failure.getMessage()).contains("GET /c?api_key=***&sig=***");
	}

	@Test
	void userInfoAndQueryValuesOfARefusedUrlAreNotRepeated() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		String url = "http://user:pa55@127.0.0.1:" + this.server.port() + "/p?api_key=" + TEMPLATE_KEY;

		Throwable template = failureOf(client.get(url, String.class));
		FetchResult<String> exact = client.fetchAll(Flux.just(FetchRequest.url(url)), String.class,
				FetchOptions.defaults()).blockFirst(BLOCK);

		assertThat(template).isInstanceOf(AsyncHttpInvalidRequestException.class);
		assertThat(template.getMessage()).contains("GET http://127.0.0.1:" + this.server.port() + "/p?api_key=***");
		assertThat(exact.error()).isInstanceOf(AsyncHttpInvalidRequestException.class);
		for (Object text : List.of(template, exact.error(), exact, exact.request())) {
			String shown = (text instanceof Throwable error) ? stackTrace(error) : text.toString();
			assertThat(shown).doesNotContain(TEMPLATE_KEY, "pa55", "user:");
		}
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void batchResultsAndRequestsShowMaskedUrisButKeepTheRealOne() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")));
		List<FetchRequest> requests = List.of(FetchRequest.get(template("/ok"), VARIABLE_KEY),
				FetchRequest.get(template("/missing"), VARIABLE_KEY),
				FetchRequest.get("/ok").withQueryParam("token", VARIABLE_KEY));

		List<FetchResult<String>> results = client
			.fetchAll(Flux.fromIterable(requests), String.class, FetchOptions.defaults().inInputOrder())
			.collectList()
			.block(BLOCK);

		assertThat(results).hasSize(3);
		assertThat(results.get(0).isSuccess()).isTrue();
		assertThat(results.get(0).uri().toString()).as("the real URI stays available").contains(VARIABLE_KEY);
		assertThat(results.get(0).toString()).contains("request=GET /ok?api_key=***&sig=***")
			.contains("uri=" + this.server.uri("/ok") + "?api_key=***&sig=***");
		assertThat(results.get(1).error()).isInstanceOf(WebClientResponseException.NotFound.class);
		assertThat(results.get(2).toString()).contains("?token=***");
		for (FetchResult<String> result : results) {
			assertThat(result.toString()).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
			assertThat(result.request().toString()).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
		}
	}

	private AsyncApiClient client(AsyncApiClientSettings settings) {
		this.clients = ClientTestSupport.clients(settings);
		return this.clients.get(ClientTestSupport.NAME);
	}

	/**
	 * A template with a key written into it and one taken from a URI variable.
	 */
	private static String template(String path) {
		return path + "?api_key=" + TEMPLATE_KEY + "&sig={sig}";
	}

	private static void assertNoSecret(Throwable failure) {
		assertThat(stackTrace(failure)).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
		assertThat(failure.toString()).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
	}

	private static String stackTrace(Throwable failure) {
		StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
