package dev.asynchttp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.asynchttp.client.AsyncApiClientSettings.RequestLogging;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Behaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request log ({@code logging.requests}) against a local server: one line per attempt
 * with masked URI and headers, nothing at all when it is off.
 */
@Timeout(60)
class RequestLogTests {

	private static final String TEMPLATE_KEY = "tmpl-s3cret-1";

	private static final String VARIABLE_KEY = "var-s3cret-2";

	private final Logger logger = (Logger) LoggerFactory.getLogger(RequestLog.LOGGER_NAME);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Level previousLevel;

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void start() throws IOException {
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.appender.start();
		this.logger.addAppender(this.appender);
		this.server = CountingHttpServer.start()
			.when("/flaky", Behaviour.sequence(Behaviour.status(503), Behaviour.ok()))
			.when("/login", Behaviour.status(200, "Set-Cookie: sid=c00kie-s3cret", "X-Trace: trace-1"))
			.when("/slow", Behaviour.stall());
	}

	@AfterEach
	void stop() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previousLevel);
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void basicLogsOneMaskedLinePerAttempt() {
		AsyncApiClient client = client(RequestLogging.BASIC, this.server.uri(""));

		String body = client.request(org.springframework.http.HttpMethod.GET, template("/flaky"), VARIABLE_KEY)
			.header("X-Api-Key", "h3ader-s3cret")
			.bodyToMono(String.class)
			.block(BLOCK);

		assertThat(body).isEqualTo("ok");
		List<String> lines = lines();
		String uri = this.server.uri("/flaky") + "?api_key=***&sig=***";
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).matches("client=api method=GET uri=\\Q" + uri
				+ "\\E status=503 attempt=1 duration=\\d+ms");
		assertThat(lines.get(1)).matches("client=api method=GET uri=\\Q" + uri
				+ "\\E status=200 attempt=2 duration=\\d+ms");
		assertThat(String.join("\n", lines)).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY, "h3ader-s3cret", "X-Api-Key");
		assertThat(this.appender.list).allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
	}

	@Test
	void headersLogsRequestAndResponseHeadersWithSensitiveValuesMasked() {
		AsyncApiClient client = client(RequestLogging.HEADERS, this.server.uri(""),
				Map.of("X-Tenant-Pin", List.of("pin-s3cret")), List.of("X-Tenant-Pin"));

		client.request(org.springframework.http.HttpMethod.GET, template("/login"), VARIABLE_KEY)
			.header("Authorization", "Bearer auth-s3cret")
			.header("X-Request-Id", "req-7")
			.toBodilessEntity()
			.block(BLOCK);

		assertThat(lines()).singleElement().satisfies((line) -> {
			assertThat(line).startsWith("client=api method=GET uri=" + this.server.uri("/login")
					+ "?api_key=***&sig=*** status=200 attempt=1 duration=");
			assertThat(line).contains("request-headers=[")
				.contains("Authorization:\"******\"")
				.contains("X-Tenant-Pin:\"******\"")
				.contains("X-Request-Id:\"req-7\"")
				.contains("response-headers=[")
				.contains("Set-Cookie:\"******\"")
				.contains("X-Trace:\"trace-1\"");
			assertThat(line).doesNotContain(TEMPLATE_KEY, VARIABLE_KEY, "auth-s3cret", "pin-s3cret", "c00kie-s3cret");
		});
	}

	@Test
	void everyFailedAttemptIsLoggedWithTheKindOfError() throws IOException {
		AsyncApiClient client = client(RequestLogging.BASIC, URI.create("http://127.0.0.1:" + closedPort()));

		Throwable failure = failureOf(client.get(template("/c"), String.class, VARIABLE_KEY));

		// A refused connection was never sent, so the default policy tries three times.
		assertThat(failure).isInstanceOf(AsyncHttpConnectException.class);
		assertThat(((AsyncHttpException) failure).getAttempts()).isEqualTo(3);
		List<String> lines = lines();
		assertThat(lines).hasSize(3);
		for (int attempt = 1; attempt <= 3; attempt++) {
			assertThat(lines.get(attempt - 1))
				.contains("?api_key=***&sig=*** error=connect attempt=" + attempt + " duration=")
				.doesNotContain(TEMPLATE_KEY, VARIABLE_KEY);
		}
	}

	@Test
	void anAttemptCutOffByTheDeadlineIsLoggedAsCancelled() {
		AsyncApiClientSettings settings = AsyncApiClientSettings.empty()
			.withBaseUrl(this.server.uri(""))
			.withTimeouts(ClientTestSupport.timeouts(null, null, null, java.time.Duration.ofMillis(300)))
			.withRequestLogging(RequestLogging.BASIC);
		this.clients = ClientTestSupport.clients(settings);

		Throwable failure = failureOf(this.clients.get(ClientTestSupport.NAME).get("/slow", String.class));

		assertThat(failure).isInstanceOf(AsyncHttpTimeoutException.class);
		assertThat(lines()).singleElement()
			.satisfies((line) -> assertThat(line).contains("/slow error=cancelled attempt=1 duration="));
	}

	@Test
	void callsThroughTheWebClientAreLoggedToo() {
		AsyncApiClient client = client(RequestLogging.BASIC, this.server.uri(""));

		client.webClient().get().uri(template("/login"), VARIABLE_KEY).retrieve().toBodilessEntity().block(BLOCK);

		assertThat(lines()).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("client=api method=GET uri=" + this.server.uri("/login")
					+ "?api_key=***&sig=*** status=200 attempt=1 duration="));
	}

	@Test
	void noneLogsNothing() {
		AsyncApiClient client = client(RequestLogging.NONE, this.server.uri(""));

		assertThat(client.get(template("/flaky"), String.class, VARIABLE_KEY).block(BLOCK)).isEqualTo("ok");

		assertThat(this.server.requestCount()).isEqualTo(2);
		assertThat(this.appender.list).isEmpty();
	}

	@Test
	void theLogIsOffByDefault() {
		AsyncApiClient client = client(null, this.server.uri(""));

		assertThat(client.get("/other", String.class).block(BLOCK)).isEqualTo("ok");

		assertThat(this.appender.list).isEmpty();
	}

	private AsyncApiClient client(RequestLogging logging, URI baseUrl) {
		return client(logging, baseUrl, Map.of(), List.of());
	}

	private AsyncApiClient client(RequestLogging logging, URI baseUrl, Map<String, List<String>> defaultHeaders,
			List<String> sensitiveHeaders) {
		AsyncApiClientSettings settings = new AsyncApiClientSettings(baseUrl, defaultHeaders, null, null, null, null,
				null, null, null, ClientTestSupport.fastRetries(), null, null)
			.withSensitiveHeaders(sensitiveHeaders)
			.withRequestLogging(logging);
		this.clients = ClientTestSupport.clients(settings);
		return this.clients.get(ClientTestSupport.NAME);
	}

	private List<String> lines() {
		return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private static String template(String path) {
		return path + "?api_key=" + TEMPLATE_KEY + "&sig={sig}";
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
