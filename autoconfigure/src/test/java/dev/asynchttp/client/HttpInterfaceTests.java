package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncApiClientSettings.ApiVersion;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import dev.asynchttp.client.service.AsyncApiClientAdapter;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.closeAfterTest;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.fastRetries;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HTTP interfaces backed by {@link AsyncApiClientAdapter} against a real local server: the
 * proxy's calls take the client's call path (retries, deadline, typed errors, URI checks).
 */
class HttpInterfaceTests {

	/**
	 * Requests seen per path, and what the server answers to the n-th request of a path.
	 */
	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();

	private final Map<String, List<Integer>> script = new ConcurrentHashMap<>();

	private ReactorTestServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.start(this::answer);
	}

	@AfterEach
	void stop() {
		closeAfterTest(this.clients, this.server);
	}

	private org.reactivestreams.Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response) {
		this.seen.add(request);
		String path = request.fullPath();
		int n = this.counts.computeIfAbsent(path, (key) -> new AtomicInteger()).getAndIncrement();
		List<Integer> statuses = this.script.getOrDefault(path, List.of());
		int status = (n < statuses.size()) ? statuses.get(n) : 200;
		if (path.startsWith("/slow")) {
			return Mono.delay(Duration.ofSeconds(5)).then(response.sendString(Mono.just("late")).then());
		}
		String version = request.requestHeaders().get("X-API-Version", "");
		String query = request.uri().contains("?") ? request.uri().substring(request.uri().indexOf('?') + 1) : "";
		String body = "{\"id\":\"" + path.substring(path.lastIndexOf('/') + 1) + "\",\"version\":\"" + version
				+ "\",\"query\":\"" + query.replace("\"", "") + "\"}";
		return request.receive()
			.aggregate()
			.then(response.status(HttpResponseStatus.valueOf(status))
				.header("Content-Type", "application/json")
				.sendString(Mono.just(path.equals("/items/list") ? "[" + body + "]" : body))
				.then());
	}

	private <S> S proxy(Class<S> type, AsyncApiClientSettings settings) {
		this.clients = ClientTestSupport.clients(settings.withBaseUrl(URI.create(this.server.url(""))));
		return AsyncApiClientAdapter.createClient(this.clients.get(NAME), type);
	}

	private AsyncApiClientSettings fast() {
		return AsyncApiClientSettings.empty().withRetry(fastRetries());
	}

	@Test
	void interfaceGetIsRetriedOnServiceUnavailable() {
		this.script.put("/items/7", List.of(503, 503));
		ItemsApi api = proxy(ItemsApi.class, fast());
		Item item = api.get("7").block(BLOCK);
		assertThat(item).isNotNull();
		assertThat(item.id()).isEqualTo("7");
		assertThat(this.counts.get("/items/7")).hasValue(3);
	}

	@Test
	void interfacePostIsNotRetriedWithoutAnIdempotencyKey() {
		this.script.put("/orders", List.of(503, 503));
		ItemsApi api = proxy(ItemsApi.class, fast());
		Throwable failure = failureOf(api.create(new Item("x", "", "")));
		assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
		assertThat(this.counts.get("/orders")).hasValue(1);
	}

	@Test
	void interfacePostWithAnIdempotencyKeyParameterIsRetried() {
		this.script.put("/orders", List.of(503, 503));
		ItemsApi api = proxy(ItemsApi.class, fast());
		Item created = api.create("key-1", new Item("x", "", "")).block(BLOCK);
		assertThat(created).isNotNull();
		assertThat(this.counts.get("/orders")).hasValue(3);
		assertThat(this.seen).extracting((request) -> request.requestHeaders().get("Idempotency-Key"))
			.containsExactly("key-1", "key-1", "key-1");
	}

	@Test
	void totalDeadlineEndsASlowInterfaceCallTyped() {
		ItemsApi api = proxy(ItemsApi.class,
				fast().withTimeouts(timeouts(null, null, null, Duration.ofMillis(300))));
		Throwable failure = failureOf(api.slow());
		assertThat(failure).isInstanceOf(AsyncHttpTimeoutException.class);
		assertThat(((AsyncHttpTimeoutException) failure).getKind()).isEqualTo(Kind.TOTAL);
		assertThat(((AsyncHttpTimeoutException) failure).getClientName()).isEqualTo(NAME);
	}

	@Test
	void blockingMethodReturnsTheValueAndFailsTyped() {
		this.script.put("/items/gone", List.of(404));
		BlockingItemsApi api = proxy(BlockingItemsApi.class,
				fast().withTimeouts(timeouts(null, null, null, Duration.ofMillis(300))));
		assertThat(api.get("9").id()).isEqualTo("9");
		assertThat(catchThrowable(() -> api.get("gone"))).isInstanceOf(WebClientResponseException.NotFound.class);
		Throwable slow = catchThrowable(api::slow);
		assertThat(slow).isInstanceOf(AsyncHttpTimeoutException.class);
		assertThat(((AsyncHttpTimeoutException) slow).getKind()).isEqualTo(Kind.TOTAL);
		ResponseEntity<Item> entity = api.entity("10");
		assertThat(entity.getStatusCode().value()).isEqualTo(200);
		assertThat(entity.getBody()).isNotNull();
		assertThat(entity.getBody().id()).isEqualTo("10");
	}

	@Test
	void requestParametersAndPathVariablesAreStrictlyEncoded() {
		ItemsApi api = proxy(ItemsApi.class, fast());
		Item item = api.search("a b&c=d", List.of("x", "y/z")).block(BLOCK);
		assertThat(item).isNotNull();
		assertThat(item.query()).isEqualTo("q=a%20b%26c%3Dd&tag=x&tag=y%2Fz");
		Throwable failure = failureOf(api.get(".."));
		assertThat(failure).isInstanceOf(AsyncHttpInvalidRequestException.class);
		assertThat(this.counts).doesNotContainKey("/items/..");
	}

	@Test
	void uriArgumentOutsideTheBaseUrlIsRefusedUnsent() {
		ItemsApi api = proxy(ItemsApi.class, fast());
		Throwable failure = failureOf(api.at(URI.create("http://127.0.0.2:1/items/1")));
		assertThat(failure).isInstanceOf(AsyncHttpInvalidRequestException.class);
		Item item = api.at(URI.create(this.server.url("/items/5"))).block(BLOCK);
		assertThat(item).isNotNull();
		assertThat(item.id()).isEqualTo("5");
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void fluxAndEntityReturnTypesWork() {
		ItemsApi api = proxy(ItemsApi.class, fast());
		List<Item> items = api.list().collectList().block(BLOCK);
		assertThat(items).extracting(Item::id).containsExactly("list");
		ResponseEntity<Flux<Item>> entity = api.listEntity().block(BLOCK);
		assertThat(entity).isNotNull();
		assertThat(entity.getBody().collectList().block(BLOCK)).extracting(Item::id).containsExactly("list");
		ResponseEntity<Void> bodiless = api.touch("3").block(BLOCK);
		assertThat(bodiless).isNotNull();
		assertThat(bodiless.getStatusCode().value()).isEqualTo(200);
	}

	@Test
	void apiVersionGoesWhereTheClientSaysAndAMethodVersionWins() {
		ItemsApi api = proxy(ItemsApi.class,
				fast().withApiVersion(new ApiVersion("1.0", "X-API-Version", null, null, null)));
		assertThat(api.get("1").block(BLOCK).version()).isEqualTo("1.0");
		assertThat(api.getV2("2").block(BLOCK).version()).isEqualTo("2.0");
	}

	@Test
	void aMethodApiVersionWithoutAnInsertLocationFailsUnsent() {
		ItemsApi api = proxy(ItemsApi.class, fast());
		assertThat(failureOf(api.getV2("2"))).isInstanceOf(AsyncHttpInvalidRequestException.class)
			.hasMessageContaining("api-version.insert");
		assertThat(this.server.requests()).isZero();
	}

	@Test
	void publisherRequestBodyIsRefusedUnsent() {
		ItemsApi api = proxy(ItemsApi.class, fast());
		assertThat(failureOf(api.createFrom(Mono.just(new Item("x", "", "")))))
			.isInstanceOf(AsyncHttpInvalidRequestException.class)
			.hasMessageContaining("Publisher request body");
		assertThat(this.server.requests()).isZero();
	}

	record Item(String id, String version, String query) {
	}

	@HttpExchange
	interface ItemsApi {

		@GetExchange("/items/{id}")
		Mono<Item> get(@PathVariable String id);

		@GetExchange(url = "/items/{id}", version = "2.0")
		Mono<Item> getV2(@PathVariable String id);

		@GetExchange("/items/{id}")
		Mono<ResponseEntity<Void>> touch(@PathVariable String id);

		@GetExchange("/search")
		Mono<Item> search(@RequestParam String q, @RequestParam List<String> tag);

		@GetExchange
		Mono<Item> at(URI uri);

		@GetExchange("/items/list")
		Flux<Item> list();

		@GetExchange("/items/list")
		Mono<ResponseEntity<Flux<Item>>> listEntity();

		@GetExchange("/slow")
		Mono<String> slow();

		@PostExchange("/orders")
		Mono<Item> create(@RequestBody Item item);

		@PostExchange("/orders")
		Mono<Item> createFrom(@RequestBody Mono<Item> item);

		@PostExchange("/orders")
		Mono<Item> create(@RequestHeader("Idempotency-Key") String key, @RequestBody Item item);

	}

	interface BlockingItemsApi {

		@GetExchange("/items/{id}")
		Item get(@PathVariable String id);

		@GetExchange("/items/{id}")
		ResponseEntity<Item> entity(@PathVariable String id);

		@GetExchange("/slow")
		String slow();

	}

}
