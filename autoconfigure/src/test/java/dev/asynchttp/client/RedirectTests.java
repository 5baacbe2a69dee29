package dev.asynchttp.client;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.client.AsyncApiClientSettings.Redirects;
import dev.asynchttp.client.AsyncHttpRedirectException.Reason;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.ReactorTestServer.Answer;
import dev.asynchttp.testsupport.ReactorTestServer.Seen;
import dev.asynchttp.testsupport.SelfSignedTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.testsupport.ReactorTestServer.ok;
import static dev.asynchttp.testsupport.ReactorTestServer.redirect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code redirects.*} against real local servers: chains and loops end typed, https to http
 * is refused unless allowed, credentials stay on their origin, method and body follow the
 * Fetch rules, and every redirected request passes the rate limit, cool-downs and deadline.
 */
@Timeout(60)
class RedirectTests {

	private static SelfSignedTls tls;

	private final List<AutoCloseable> servers = new ArrayList<>();

	private AsyncApiClients clients;

	@BeforeAll
	static void generateCertificate(@TempDir Path directory) throws Exception {
		tls = SelfSignedTls.generate(directory);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.servers.toArray(new AutoCloseable[0]));
	}

	@Test
	void redirectLoopEndsWithATypedErrorNamingRedirectsMax() {
		ReactorTestServer server = http((seen) -> redirect(302, "/loop"));
		AsyncApiClient client = client(following(3));

		Throwable failure = failureOf(client.get(server.url("/loop"), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRedirectException.class, (ex) -> {
			assertThat(ex.getReason()).isEqualTo(Reason.LOOP);
			assertThat(ex.getStatus()).isEqualTo(302);
			assertThat(ex.getMessage()).contains("async-http.clients.api.redirects.max");
			assertThat(ex.isNotSent()).isFalse();
		});
		// Not retried either: the server would answer the same.
		assertThat(server.paths()).containsExactly("/loop");
	}

	@Test
	void loopBetweenTwoUrlsIsCaughtWhenTheFirstComesBack() {
		ReactorTestServer server = http((seen) -> redirect(302, seen.uri().equals("/a") ? "/b" : "/a"));
		AsyncApiClient client = client(following(10));

		Throwable failure = failureOf(client.get(server.url("/a"), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRedirectException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.LOOP));
		assertThat(server.paths()).containsExactly("/a", "/b");
	}

	@Test
	void oneRedirectMoreThanRedirectsMaxEndsWithATypedErrorNamingIt() {
		ReactorTestServer server = http((seen) -> redirect(302, "/hop/" + (hop(seen) + 1)));
		AsyncApiClient client = client(following(3));

		Throwable failure = failureOf(client.get(server.url("/hop/0"), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRedirectException.class, (ex) -> {
			assertThat(ex.getReason()).isEqualTo(Reason.TOO_MANY);
			assertThat(ex.getRedirects()).isEqualTo(3);
			assertThat(ex.getMessage()).contains("async-http.clients.api.redirects.max");
		});
		assertThat(server.paths()).containsExactly("/hop/0", "/hop/1", "/hop/2", "/hop/3");
	}

	@Test
	void chainOfRedirectsMaxLongEndsWithTheFinalAnswer() {
		ReactorTestServer server = http((seen) -> (hop(seen) < 3) ? redirect(302, "/hop/" + (hop(seen) + 1))
				: ok("landed on " + seen.uri()));
		AsyncApiClient client = client(following(3));

		assertThat(client.get(server.url("/hop/0"), String.class).block(BLOCK)).isEqualTo("landed on /hop/3");
		assertThat(server.paths()).hasSize(4);
	}

	@Test
	void redirectsOffReturnTheRedirectItselfAsTheAnswer() {
		ReactorTestServer server = http((seen) -> redirect(302, "/elsewhere"));
		AsyncApiClient client = client(AsyncApiClientSettings.empty());

		ResponseEntity<String> entity = client.request(HttpMethod.GET, server.url("/moved"))
			.toEntity(String.class)
			.block(BLOCK);

		assertThat(entity.getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(entity.getHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("/elsewhere");
		assertThat(server.paths()).containsExactly("/moved");
	}

	@Test
	void httpsToHttpRedirectIsRefusedAndTheHttpServerNeverSeesIt() {
		ReactorTestServer plain = http((seen) -> ok("plain"));
		ReactorTestServer secure = https((seen) -> redirect(302, plain.url("/landing")));
		AsyncApiClient client = client(following(3), trusting());

		Throwable failure = failureOf(client.get(secure.url("/start"), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRedirectException.class, (ex) -> {
			assertThat(ex.getReason()).isEqualTo(Reason.DOWNGRADE);
			assertThat(ex.getMessage()).contains("async-http.clients.api.redirects.allow-downgrade");
		});
		assertThat(secure.paths()).containsExactly("/start");
		assertThat(plain.seen()).isEmpty();
	}

	@Test
	void httpsToHttpRedirectIsFollowedWithAllowDowngradeWithoutTheCredentials() {
		ReactorTestServer plain = http((seen) -> ok("plain"));
		ReactorTestServer secure = https((seen) -> redirect(302, plain.url("/landing")));
		AsyncApiClient client = client(
				AsyncApiClientSettings.empty().withRedirects(new Redirects(true, 3, true)).withRetry(noRetries()),
				trusting());

		String body = client.request(HttpMethod.GET, secure.url("/start"))
			.header(HttpHeaders.AUTHORIZATION, "Bearer secret-token")
			.bodyToMono(String.class)
			.block(BLOCK);

		assertThat(body).isEqualTo("plain");
		assertThat(secure.seen().get(0).headers().getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer secret-token");
		assertThat(plain.seen()).singleElement()
			.satisfies((seen) -> assertThat(seen.headers().containsHeader(HttpHeaders.AUTHORIZATION)).isFalse());
	}

	@Test
	void redirectToAnotherOriginCarriesNoSensitiveHeaderNorCookie() {
		ReactorTestServer other = http((seen) -> ok("other"));
		ReactorTestServer first = http((seen) -> redirect(302, other.url("/land")));
		AsyncApiClient client = client(credentials(following(3)));

		String body = withCredentials(client.request(HttpMethod.GET, first.url("/go"))).bodyToMono(String.class)
			.block(BLOCK);

		assertThat(body).isEqualTo("other");
		HttpHeaders sentFirst = first.seen().get(0).headers();
		assertThat(sentFirst.getFirst("X-Api-Key")).isEqualTo("key-1");
		assertThat(sentFirst.getFirst("X-Partner-Key")).isEqualTo("partner-1");
		HttpHeaders sentOther = other.seen().get(0).headers();
		assertThat(sentOther.headerNames()).map(String::toLowerCase)
			.doesNotContain("authorization", "cookie", "x-api-key", "x-auth-token", "x-partner-key");
		assertThat(sentOther.getFirst("X-Trace")).isEqualTo("trace-1");
	}

	@Test
	void redirectOnTheSameOriginKeepsTheHeaders() {
		ReactorTestServer server = http((seen) -> seen.uri().equals("/go") ? redirect(302, "/land") : ok("same"));
		AsyncApiClient client = client(credentials(following(3)));

		withCredentials(client.request(HttpMethod.GET, server.url("/go"))).bodyToMono(String.class).block(BLOCK);

		assertThat(server.paths()).containsExactly("/go", "/land");
		HttpHeaders landed = server.seen().get(1).headers();
		assertThat(landed.getFirst("X-Api-Key")).isEqualTo("key-1");
		assertThat(landed.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer token-1");
		assertThat(landed.getFirst(HttpHeaders.COOKIE)).isEqualTo("session=s-1");
		assertThat(landed.getFirst("X-Partner-Key")).isEqualTo("partner-1");
	}

	@Test
	void seeOtherTurnsAPostIntoAGetWithoutBody() {
		ReactorTestServer server = http(
				(seen) -> seen.method().equals("POST") ? redirect(303, "/orders/1") : ok("order 1"));
		AsyncApiClient client = client(following(3));

		String body = client.post(server.url("/orders"), "{\"item\":1}", String.class).block(BLOCK);

		assertThat(body).isEqualTo("order 1");
		assertThat(server.seen()).extracting(Seen::method, Seen::uri, Seen::body)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/orders", "{\"item\":1}"),
					org.assertj.core.groups.Tuple.tuple("GET", "/orders/1", ""));
		assertThat(server.seen().get(1).headers().containsHeader(HttpHeaders.CONTENT_TYPE)).isFalse();
	}

	@Test
	void foundTurnsAPostIntoAGetAsBrowsersDo() {
		ReactorTestServer server = http((seen) -> seen.method().equals("POST") ? redirect(302, "/done") : ok("done"));
		AsyncApiClient client = client(following(3));

		client.post(server.url("/form"), "a=1", String.class).block(BLOCK);

		assertThat(server.seen()).extracting(Seen::method).containsExactly("POST", "GET");
	}

	@Test
	void temporaryRedirectSendsThePostAndItsBodyAgain() {
		ReactorTestServer target = http((seen) -> ok("stored " + seen.body()));
		ReactorTestServer server = http((seen) -> redirect(307, target.url("/upload")));
		AsyncApiClient client = client(following(3));

		String body = client.post(server.url("/upload"), "payload", String.class).block(BLOCK);

		assertThat(body).isEqualTo("stored payload");
		assertThat(target.seen()).singleElement().satisfies((seen) -> {
			assertThat(seen.method()).isEqualTo("POST");
			assertThat(seen.body()).isEqualTo("payload");
		});
	}

	@Test
	void temporaryRedirectOfAStreamedBodyIsRefusedSinceTheBodyCannotBeSentAgain() {
		ReactorTestServer target = http((seen) -> ok("stored"));
		ReactorTestServer server = http((seen) -> redirect(308, target.url("/upload")));
		AsyncApiClient client = client(following(3));

		Throwable failure = failureOf(client.webClient()
			.post()
			.uri(server.url("/upload"))
			.body(Flux.just("pay", "load"), String.class)
			.retrieve()
			.toBodilessEntity());

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRedirectException.class,
				(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.BODY_NOT_REPLAYABLE));
		assertThat(server.seen()).singleElement().satisfies((seen) -> assertThat(seen.body()).isEqualTo("payload"));
		assertThat(target.seen()).isEmpty();
	}

	@Test
	void postWhoseRedirectTargetIsUnreachableIsNotSentAgainAndSaysItWasSent() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String unreachable = "http://127.0.0.1:" + closedPort + "/orders/1";
		ReactorTestServer server = http((seen) -> redirect(303, unreachable));
		AsyncApiClient client = client(
				AsyncApiClientSettings.empty().withRedirects(new Redirects(true, 3)).withRetry(
						ClientTestSupport.fastRetries()));

		Throwable failure = failureOf(client.post(server.url("/orders"), "{}", String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpConnectException.class,
				(ex) -> assertThat(ex.isNotSent()).as("the POST was sent").isFalse());
		assertThat(server.paths()).containsExactly("/orders");
	}

	@Test
	void redirectedRequestTakesARateLimitPermitLikeAnyAttempt() {
		ReactorTestServer server = http((seen) -> seen.uri().equals("/go") ? redirect(302, "/land") : ok("land"));
		AsyncApiClient client = client(following(3)
			.withRateLimit(new RateLimit(1, Duration.ofMinutes(1), Duration.ofMillis(100))));

		Throwable failure = failureOf(client.get(server.url("/go"), String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpRateLimitException.class,
				(ex) -> assertThat(ex.isNotSent()).as("the first request was sent").isFalse());
		assertThat(server.paths()).containsExactly("/go");
	}

	@Test
	void redirectedRequestWaitsOutItsHostsCoolDownWithinTheCallsDeadline() {
		ReactorTestServer cooling = http((seen) -> seen.uri().equals("/busy")
				? new Answer(429, Map.of(HttpHeaders.RETRY_AFTER, "30"), "busy") : ok("land"));
		ReactorTestServer server = http((seen) -> redirect(302, cooling.url("/land")));
		AsyncApiClient client = client(following(3));
		// A 429 with Retry-After starts a cool-down of the cooling host.
		assertThat(failureOf(client.get(cooling.url("/busy"), String.class)))
			.isInstanceOf(WebClientResponseException.TooManyRequests.class);

		Throwable failure = failureOf(client.request(HttpMethod.GET, server.url("/go"))
			.timeout(Duration.ofMillis(500))
			.bodyToMono(String.class));

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpTimeoutException.class, (ex) -> {
			assertThat(ex.getKind()).isEqualTo(Kind.TOTAL);
			assertThat(ex.isNotSent()).isFalse();
		});
		assertThat(server.paths()).containsExactly("/go");
		assertThat(cooling.paths()).containsExactly("/busy");
	}

	@Test
	void redirectOnTheBaseUrlsOriginMustStayUnderItsPath() {
		ReactorTestServer other = http((seen) -> ok("other"));
		ReactorTestServer server = http((seen) -> switch (seen.uri()) {
			case "/v1/inside" -> redirect(302, "/v1/landed");
			case "/v1/outside" -> redirect(302, "/admin");
			case "/v1/walk" -> redirect(302, "/v1/../admin");
			case "/v1/encoded" -> redirect(302, "/v1/%2E%2E/admin");
			case "/v1/prefix" -> redirect(302, "/v1admin");
			case "/v1/away" -> redirect(302, other.url("/anywhere"));
			default -> ok("landed on " + seen.uri());
		});
		AsyncApiClient client = client(following(3).withBaseUrl(URI.create(server.url("/v1"))));

		assertThat(client.get("/inside", String.class).block(BLOCK)).isEqualTo("landed on /v1/landed");
		for (String refused : List.of("/outside", "/walk", "/encoded", "/prefix")) {
			assertThat(failureOf(client.get(refused, String.class))).as(refused)
				.isInstanceOfSatisfying(AsyncHttpRedirectException.class,
						(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.OUTSIDE_BASE_URL));
		}
		// Another origin is no part of the base URL: followed, without credentials.
		assertThat(client.get("/away", String.class).block(BLOCK)).isEqualTo("other");
		assertThat(server.paths()).containsExactly("/v1/inside", "/v1/landed", "/v1/outside", "/v1/walk",
				"/v1/encoded", "/v1/prefix", "/v1/away");
	}

	@Test
	void redirectToANonHttpLocationIsRefused() {
		ReactorTestServer server = http((seen) -> redirect(302, "file:///etc/passwd"));
		AsyncApiClient client = client(following(3));

		assertThat(failureOf(client.get(server.url("/go"), String.class)))
			.isInstanceOfSatisfying(AsyncHttpRedirectException.class,
					(ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_LOCATION));
	}

	private static int hop(Seen seen) {
		return Integer.parseInt(seen.uri().substring("/hop/".length()));
	}

	private static AsyncApiClientSettings following(int max) {
		return AsyncApiClientSettings.empty().withRedirects(new Redirects(true, max)).withRetry(noRetries());
	}

	private static AsyncApiClientSettings.Retry noRetries() {
		return ClientTestSupport.noRetries();
	}

	private static AsyncApiClientSettings credentials(AsyncApiClientSettings settings) {
		return settings.withDefaultHeaders(Map.of("X-Api-Key", List.of("key-1")))
			.withSensitiveHeaders(List.of("X-Partner-Key"));
	}

	private static AsyncApiRequest withCredentials(AsyncApiRequest request) {
		return request.header(HttpHeaders.AUTHORIZATION, "Bearer token-1")
			.header(HttpHeaders.COOKIE, "session=s-1")
			.header("X-Auth-Token", "t-1")
			.header("X-Partner-Key", "partner-1")
			.header("X-Trace", "trace-1");
	}

	private static AsyncApiClientCustomizer trusting() {
		return AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.secure((spec) -> spec.sslContext(tls.client())));
	}

	private AsyncApiClient client(AsyncApiClientSettings settings, AsyncApiClientCustomizer... customizers) {
		this.clients = ClientTestSupport.clients(settings, new AsyncApiClientObserver() {
		}, Clock.systemUTC(), customizers);
		return this.clients.get(NAME);
	}

	private ReactorTestServer http(java.util.function.Function<Seen, Answer> routes) {
		ReactorTestServer server = ReactorTestServer.answering(routes);
		this.servers.add(server);
		return server;
	}

	private ReactorTestServer https(java.util.function.Function<Seen, Answer> routes) {
		ReactorTestServer server = ReactorTestServer.answering(tls, routes);
		this.servers.add(server);
		return server;
	}

}
