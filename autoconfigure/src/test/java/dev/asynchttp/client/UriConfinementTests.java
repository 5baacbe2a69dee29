package dev.asynchttp.client;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asynchttp.client.AsyncApiClientSettings.ApiVersion;
import dev.asynchttp.client.service.AsyncApiClientAdapter;
import dev.asynchttp.testsupport.ReactorTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.util.UriBuilderFactory;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.closeAfterTest;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every entry point of a client stays under its {@code base-url}, dot segments are refused
 * in every form a server could read as one, and query parameter names are encoded strictly;
 * checked against a real local server, which must receive nothing of what is refused.
 */
@Timeout(60)
class UriConfinementTests {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private ReactorTestServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.start((request, response) -> {
			this.received.add(request.uri());
			return response.sendString(Mono.just("ok"));
		});
	}

	@AfterEach
	void stop() {
		closeAfterTest(this.clients, this.server);
	}

	private AsyncApiClient client(String baseUrl) {
		return client(AsyncApiClientSettings.empty().withBaseUrl((baseUrl != null) ? URI.create(baseUrl) : null));
	}

	private AsyncApiClient client(AsyncApiClientSettings settings) {
		this.clients = ClientTestSupport.clients(settings.withRetry(noRetries()));
		return this.clients.get(NAME);
	}

	@Test
	void dotSegmentsInTemplatesAreRefusedUnsentInEveryFormAServerReadsAsOne() {
		AsyncApiClient client = client(this.server.url("/v1"));
		List<String> templates = List.of("/../admin", "/./admin", "/a/..", "/a/.", "/%2e%2e/admin", "/%2E%2E/admin",
				"/.%2e/admin", "/%2e./admin", "/%2e/admin", "/..;x=1/admin", "/..\\admin", "/a/../../admin?q=1");
		for (String template : templates) {
			assertRefusedUnsent(client.get(template, String.class), template);
		}
		// A variable is encoded, so its '/' becomes %2F, which some servers and proxies decode
		// before resolving dot segments.
		for (String variable : List.of("..", ".", "../admin", "..\\admin", "x/../../admin")) {
			assertRefusedUnsent(client.get("/items/{id}", String.class, variable), variable);
		}
		assertNothingReachedTheServer();

		assertThat(client.get("/.well-known/a...b/.x", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(this.received).containsExactly("/v1/.well-known/a...b/.x");
	}

	@Test
	void dotSegmentsInExactUrlsAndUriArgumentsAreRefusedUnsentWithoutBaseUrl() {
		AsyncApiClient client = client((String) null);
		List<String> urls = List.of("/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/.%2E/b", "/a/%2e/b", "/a/..%2fb",
				"/a/..%5Cb", "/a/..;p/b", "/a/%2e%2e%3bp/b", "/a/..");
		for (String path : urls) {
			String url = this.server.url(path);
			assertRefusedUnsent(client.request(HttpMethod.GET, URI.create(url)).bodyToMono(String.class), url);
			List<FetchResult<String>> results = client.fetchAll(Mono.just(FetchRequest.url(url)), String.class,
					FetchOptions.defaults())
				.collectList()
				.block(BLOCK);
			assertThat(results).singleElement()
				.satisfies((result) -> assertThat(result.error()).as(url)
					.isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
							(ex) -> assertThat(ex.isNotSent()).isTrue()));
		}
		assertNothingReachedTheServer();

		String allowed = this.server.url("/a/%2e%2eb/...");
		assertThat(client.request(HttpMethod.GET, URI.create(allowed)).bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		assertThat(this.received).containsExactly("/a/%2e%2eb/...");
	}

	@Test
	void webClientUrisOutsideTheBasePathAreRefusedUnsentHoweverTheyAreBuilt() {
		AsyncApiClient client = client(this.server.url("/v1"));
		WebClient webClient = client.webClient();
		URI admin = URI.create(this.server.url("/admin"));

		assertRefusedUnsent(webClient.get().uri(admin).retrieve().bodyToMono(String.class), "uri(URI)");
		assertRefusedUnsent(webClient.get().uri((builder) -> builder.replacePath("/admin").build())
			.retrieve()
			.bodyToMono(String.class), "uri(Function) replacing the path");
		assertRefusedUnsent(webClient.get().uri((builder) -> builder.path("/../admin").build())
			.retrieve()
			.bodyToMono(String.class), "uri(Function) walking up");
		assertRefusedUnsent(webClient.get().uri(URI.create(this.server.url("/v1/%2e%2e/admin")))
			.retrieve()
			.bodyToMono(String.class), "uri(URI) with %2e%2e");
		assertRefusedUnsent(client.request(HttpMethod.GET, admin).bodyToMono(String.class), "request(URI)");
		assertRefusedUnsent(webClient.get().uri(URI.create("/v1/x")).retrieve().bodyToMono(String.class),
				"a relative URI");
		assertNothingReachedTheServer();
	}

	@Test
	void thePathPrefixIsMatchedSegmentBySegment() {
		AsyncApiClient client = client(this.server.url("/v1"));
		WebClient webClient = client.webClient();

		for (String path : List.of("/v10", "/v10/x", "/v1x", "/V1/x", "/")) {
			assertRefusedUnsent(webClient.get().uri(URI.create(this.server.url(path))).retrieve().bodyToMono(String.class),
					path);
		}
		assertNothingReachedTheServer();

		for (String path : List.of("/v1", "/v1/", "/v1/x", "/v1?q=1")) {
			assertThat(webClient.get().uri(URI.create(this.server.url(path))).retrieve().bodyToMono(String.class)
				.block(BLOCK)).as(path).isEqualTo("ok");
		}
		assertThat(this.received).containsExactly("/v1", "/v1/", "/v1/x", "/v1?q=1");
	}

	@Test
	void anotherOriginIsRefusedUnsent() {
		AsyncApiClient client = client(this.server.url("/v1"));
		WebClient webClient = client.webClient();
		String port = String.valueOf(URI.create(this.server.url("/")).getPort());
		// localhost is this very server: only the check stops the request.
		List<URI> others = List.of(URI.create("http://localhost:" + port + "/v1/x"),
				URI.create("https://127.0.0.1:" + port + "/v1/x"), URI.create("http://127.0.0.1:1/v1/x"),
				URI.create("http://user@127.0.0.1:" + port + "/v1/x"));
		for (URI other : others) {
			assertRefusedUnsent(webClient.get().uri(other).retrieve().bodyToMono(String.class), other.toString());
			assertRefusedUnsent(client.request(HttpMethod.GET, other).bodyToMono(String.class), other.toString());
		}
		assertNothingReachedTheServer();
	}

	@Test
	void everyEntryPointReachesPathsUnderTheBaseUrl() {
		AsyncApiClient client = client(this.server.url("/v1/"));
		WebClient webClient = client.webClient();

		assertThat(client.get("/a", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(client.request(HttpMethod.GET, URI.create(this.server.url("/v1/b"))).bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		assertThat(webClient.get().uri(URI.create(this.server.url("/v1/c"))).retrieve().bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		assertThat(webClient.get().uri((builder) -> builder.path("/d").queryParam("q", "1").build())
			.retrieve()
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		assertThat(webClient.get().uri("/e/{id}", "x y").retrieve().bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		Items items = AsyncApiClientAdapter.createClient(client, Items.class);
		assertThat(items.at(URI.create(this.server.url("/v1/f"))).block(BLOCK)).isEqualTo("ok");

		assertThat(this.received).containsExactly("/v1/a", "/v1/b", "/v1/c", "/v1/d?q=1", "/v1/e/x%20y", "/v1/f");
	}

	@Test
	void httpInterfaceUrisOutsideTheBaseUrlAreRefusedUnsent() {
		AsyncApiClient client = client(this.server.url("/v1"));
		Items items = AsyncApiClientAdapter.createClient(client, Items.class);
		UriBuilderFactory outside = new org.springframework.web.util.DefaultUriBuilderFactory(this.server.url("/v10"));

		assertRefusedUnsent(items.at(URI.create(this.server.url("/v10/x"))), "URI argument");
		assertRefusedUnsent(items.built(outside), "UriBuilderFactory argument");
		assertRefusedUnsent(items.get(".."), "path variable");
		assertNothingReachedTheServer();
	}

	@Test
	void anApiVersionPathSegmentInsideTheBasePathIsAllowedAndChecked() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withBaseUrl(URI.create(this.server.url("/api/v1")))
			.withApiVersion(new ApiVersion("2", null, null, 1, null)));

		assertThat(client.get("/items", String.class).block(BLOCK)).isEqualTo("ok");
		assertThat(client.webClient().get().uri("/items").retrieve().bodyToMono(String.class).block(BLOCK))
			.isEqualTo("ok");
		assertRefusedUnsent(client.request(HttpMethod.GET, "/items").apiVersion("..").bodyToMono(String.class),
				"version ..");
		assertRefusedUnsent(client.webClient().get().uri(URI.create(this.server.url("/api/2/v2/items")))
			.retrieve()
			.bodyToMono(String.class), "another base path after the version");

		assertThat(this.received).containsExactly("/api/2/v1/items", "/api/2/v1/items");
	}

	@Test
	void queryParameterNamesAreEncodedAsStrictlyAsValues() {
		AsyncApiClient client = client(this.server.url("/v1"));
		assertThat(client.request(HttpMethod.GET, "/search")
			.queryParam("a&admin=1 x+y", "v&w=1 +")
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		assertThat(client.request(HttpMethod.GET, URI.create(this.server.url("/v1/search")))
			.queryParam("a&admin=1 x+y", "v")
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		assertThat(client.request(HttpMethod.GET, "/search/{id}", "7")
			.queryParam("n#=", "1")
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		AsyncApiClients withBaseUrl = this.clients;
		AsyncApiClient exact = client((String) null);
		assertThat(exact.fetchAll(Mono.just(FetchRequest.url(this.server.url("/raw")).withQueryParam("k&=1 ", "v+")),
				String.class, FetchOptions.defaults()).single().block(BLOCK).value()).isEqualTo("ok");
		closeAfterTest(withBaseUrl);

		assertThat(this.received).containsExactly("/v1/search?a%26admin%3D1%20x%2By=v%26w%3D1%20%2B",
				"/v1/search?a%26admin%3D1%20x%2By=v", "/v1/search/7?n%23%3D=1", "/raw?k%26%3D1%20=v%2B");
	}

	private void assertRefusedUnsent(Mono<?> call, String description) {
		Throwable failure = failureOf(call);
		assertThat(failure).as(description).isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
				(ex) -> assertThat(ex.isNotSent()).isTrue());
	}

	private void assertNothingReachedTheServer() {
		assertThat(this.server.requests()).as("requests the server received").isZero();
		assertThat(this.server.openConnections().max()).as("connections the server accepted").isZero();
	}

	interface Items {

		@GetExchange
		Mono<String> at(URI uri);

		@GetExchange("/items")
		Mono<String> built(UriBuilderFactory uriBuilderFactory);

		@GetExchange("/items/{id}")
		Mono<String> get(@org.springframework.web.bind.annotation.PathVariable String id);

	}

}
