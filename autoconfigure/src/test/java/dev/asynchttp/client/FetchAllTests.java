package dev.asynchttp.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AsyncApiClient#fetchAll}: one result per input, bounded concurrency, inputs pulled
 * on demand, each item a normal call, cancellation.
 */
@Timeout(60)
class FetchAllTests {

	private ReactorTestServer server;

	private AsyncApiClients clients;

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	// 10 to 15 s on two idle cores; the bound leaves room for a machine shared with other builds.
	@Timeout(120)
	void hundredThousandUrisGiveOneResultEachWithTypedFailuresAndNeverMoreThanFiftyAtOnce() {
		this.server = ReactorTestServer.start(FetchAllTests::item);
		// No base-url: crawler style, absolute URLs. Library defaults otherwise (200 in
		// flight, 50 per host, retries on).
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		int n = 100_000;
		AtomicLong pulled = new AtomicLong();
		AtomicLong finished = new AtomicLong();
		AtomicLong mostPulledAhead = new AtomicLong();
		// Generated lazily: the test never holds the URIs, only a bit per result.
		Flux<String> uris = Flux.range(0, n).map((i) -> this.server.url("/items/" + i)).doOnNext((uri) -> {
			long ahead = pulled.incrementAndGet() - finished.get();
			mostPulledAhead.accumulateAndGet(ahead, Math::max);
		});
		Tally tally = new Tally(n);
		long start = System.nanoTime();

		Long results = client.fetchAll(uris, String.class, 50).doOnNext((result) -> {
			finished.incrementAndGet();
			tally.add(result, this.server);
		}).count().block(Duration.ofSeconds(110));

		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		System.out.printf("fetchAll: %,d URIs at concurrency 50 in %,d ms (%,.0f requests/s); at most %d requests"
				+ " in progress on the server, %d URIs pulled ahead%n", n, millis, n * 1000.0 / Math.max(1, millis),
				this.server.requestsInProgress().max(), mostPulledAhead.get());
		assertThat(results).isEqualTo(n);
		assertThat(tally.seen.cardinality()).as("distinct indexes").isEqualTo(n);
		assertThat(tally.duplicates).as("results for an index already seen").isZero();
		assertThat(tally.unexpected).as("unexpected results, first: %s", tally.firstUnexpected.get()).isZero();
		assertThat(tally.successes).isEqualTo(n - n / 100);
		assertThat(tally.notFound).isEqualTo(n / 100);
		assertThat(this.server.requests()).as("requests the server saw").isEqualTo(n);
		assertThat(this.server.requestsInProgress().max()).as("requests in progress at once on the server")
			.isBetween(2, 50);
		assertThat(mostPulledAhead.get()).as("URIs pulled from the source but not yet answered")
			.isLessThanOrEqualTo(50);
	}

	@Test
	void resultsComeInInputOrderWhenAskedAndInCompletionOrderOtherwise() {
		// The earlier the item, the later its answer.
		this.server = ReactorTestServer.start((request, response) -> {
			int i = lastSegment(request);
			return Mono.delay(Duration.ofMillis(40L * (10 - i))).then(response.sendString(Mono.just("" + i)).then());
		});
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		Flux<String> uris = Flux.range(0, 10).map((i) -> this.server.url("/slower-first/" + i));

		List<Long> inOrder = client.fetchAllOrdered(uris, String.class)
			.map(FetchResult::index)
			.collectList()
			.block(BLOCK);
		List<Long> asCompleted = client.fetchAll(uris, String.class)
			.map(FetchResult::index)
			.collectList()
			.block(BLOCK);

		assertThat(inOrder).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
		assertThat(asCompleted).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)
			.isNotEqualTo(inOrder);
	}

	@Test
	void inInputOrderASlowFirstItemHoldsBackNoMoreThanTheConcurrencyWindow() {
		this.server = ReactorTestServer.start((request, response) -> {
			int i = lastSegment(request);
			Duration delay = Duration.ofMillis((i == 0) ? 500 : 0);
			return Mono.delay(delay).then(response.sendString(Mono.just("" + i)).then());
		});
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		AtomicLong pulled = new AtomicLong();
		AtomicLong delivered = new AtomicLong();
		AtomicLong mostAhead = new AtomicLong();
		Flux<FetchRequest> requests = Flux.range(0, 200)
			.map((i) -> FetchRequest.get(this.server.url("/items/{i}"), i))
			.doOnNext((request) -> mostAhead.accumulateAndGet(pulled.incrementAndGet() - delivered.get(), Math::max));

		List<Long> indexes = client
			.fetchAll(requests, String.class, FetchOptions.defaults().withConcurrency(8).inInputOrder())
			.doOnNext((result) -> delivered.incrementAndGet())
			.map(FetchResult::index)
			.collectList()
			.block(BLOCK);

		assertThat(indexes).hasSize(200).isSorted();
		assertThat(mostAhead.get()).as("items pulled but not yet delivered").isLessThanOrEqualTo(8);
	}

	@Test
	void concurrencyDefaultsToTheClientsMaxConnections() {
		this.server = ReactorTestServer.start((request, response) -> Mono.delay(Duration.ofMillis(20))
			.then(response.sendString(Mono.just("ok")).then()));
		AsyncApiClient client = client(
				AsyncApiClientSettings.empty().withPool(pool(8, 8, 1000, Duration.ofSeconds(10))));

		Long results = client.fetchAll(Flux.range(0, 200).map((i) -> this.server.url("/items/" + i)), String.class)
			.filter(FetchResult::isSuccess)
			.count()
			.block(BLOCK);

		assertThat(results).isEqualTo(200);
		assertThat(this.server.requestsInProgress().max()).as("requests in progress at once").isBetween(2, 8);
		assertThat(this.clients.queued(NAME)).isZero();
	}

	@Test
	void retriesAndTimeoutsApplyToEachItemAsToASingleCall() {
		Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
		this.server = ReactorTestServer.start((request, response) -> {
			String path = request.uri();
			int hit = hits.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
			if (path.startsWith("/flaky/") && hit == 1) {
				return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
			}
			if (path.startsWith("/missing/")) {
				return response.status(HttpResponseStatus.NOT_FOUND).send();
			}
			if (path.startsWith("/stall/")) {
				return Mono.never();
			}
			return response.sendString(Mono.just("ok " + path));
		});
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		List<FetchRequest> requests = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			requests.add(FetchRequest.get(this.server.url("/flaky/{i}"), i));
		}
		for (int i = 0; i < 5; i++) {
			requests.add(FetchRequest.get(this.server.url("/missing/{i}"), i));
		}
		for (int i = 0; i < 2; i++) {
			requests.add(FetchRequest.get(this.server.url("/stall/{i}"), i));
		}

		List<FetchResult<String>> results = client
			.fetchAll(Flux.fromIterable(requests), String.class,
					FetchOptions.defaults().withTimeout(Duration.ofMillis(1500)))
			.collectList()
			.block(BLOCK);

		assertThat(results).hasSize(17);
		assertThat(results).filteredOn((result) -> result.request().uriTemplate().contains("/flaky/"))
			.hasSize(10)
			.allSatisfy((result) -> {
				assertThat(result.isSuccess()).isTrue();
				assertThat(result.value()).isEqualTo("ok /flaky/" + result.uri().getPath().substring(7));
				assertThat(result.status()).isEqualTo(HttpStatus.OK);
				assertThat(result.attempts()).as("a 503 and then a 200").isEqualTo(2);
			});
		assertThat(results).filteredOn((result) -> result.request().uriTemplate().contains("/missing/"))
			.hasSize(5)
			.allSatisfy((result) -> {
				assertThat(result.error()).isInstanceOf(WebClientResponseException.NotFound.class);
				assertThat(result.status()).isEqualTo(HttpStatus.NOT_FOUND);
				assertThat(result.value()).isNull();
				assertThat(result.attempts()).isEqualTo(1);
			});
		assertThat(results).filteredOn((result) -> result.request().uriTemplate().contains("/stall/"))
			.hasSize(2)
			.allSatisfy((result) -> {
				assertThat(result.error()).isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
						(ex) -> assertThat(ex.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.TOTAL));
				assertThat(result.status()).isNull();
				assertThat(result.attempts()).isEqualTo(((AsyncHttpException) result.error()).getAttempts());
				assertThat(result.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
			});
		assertThat(hits.keySet()).filteredOn((path) -> path.startsWith("/flaky/"))
			.allSatisfy((path) -> assertThat(hits.get(path)).hasValue(2));
	}

	@Test
	void theRateLimitAppliesToEachItemAsToASingleCall() {
		this.server = ReactorTestServer.start((request, response) -> response.sendString(Mono.just("ok")));
		// Five permits for the whole test, and no waiting for more.
		AsyncApiClient client = client(AsyncApiClientSettings.empty()
			.withRateLimit(new RateLimit(5, Duration.ofMinutes(10), Duration.ZERO)));

		List<FetchResult<String>> results = client
			.fetchAll(Flux.range(0, 10).map((i) -> this.server.url("/items/" + i)), String.class, 1)
			.collectList()
			.block(BLOCK);

		assertThat(results).hasSize(10);
		assertThat(results).filteredOn(FetchResult::isSuccess).hasSize(5);
		assertThat(results).filteredOn((result) -> !result.isSuccess())
			.hasSize(5)
			.allSatisfy((result) -> assertThat(result.error()).isInstanceOfSatisfying(
					AsyncHttpRateLimitException.class, (ex) -> assertThat(ex.isNotSent()).isTrue()));
		assertThat(this.server.requests()).isEqualTo(5);
	}

	@Test
	void withoutABaseUrlStringsAreUrlsSentExactlyAsFoundInPages() {
		this.server = ReactorTestServer.start((request, response) -> response.sendString(Mono.just(request.uri())));
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		List<String> urls = List.of(this.server.url("/a%20b"), this.server.url("/search?q=x%26y&r=1"),
				this.server.url("/caf%C3%A9/%7Bid%7D"), this.server.url("/bad path?token=s3cret"),
				this.server.url("/x").replace("http://", "http://user:s3cret@"), "ftp://127.0.0.1/file");

		List<FetchResult<String>> results = client.fetchAllOrdered(Flux.fromIterable(urls), String.class)
			.concatWith(client.fetchAll(
					Flux.just(FetchRequest.url(this.server.url("/q")).withQueryParam("k", "a&b c")), String.class,
					FetchOptions.defaults()))
			.collectList()
			.block(BLOCK);

		assertThat(results).extracting(FetchResult::value)
			.containsExactly("/a%20b", "/search?q=x%26y&r=1", "/caf%C3%A9/%7Bid%7D", null, null, null,
					"/q?k=a%26b%20c");
		assertThat(results.get(0).uri()).isEqualTo(URI.create(urls.get(0)));
		assertThat(results.subList(3, 6)).allSatisfy((result) -> {
			assertThat(result.error()).isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
					(ex) -> assertThat(ex.isNotSent()).isTrue())
				.message()
				.doesNotContain("s3cret");
			assertThat(result.uri()).isNull();
			assertThat(result.request().toString()).doesNotContain("s3cret");
		});
		assertThat(this.server.requests()).isEqualTo(4);
	}

	@Test
	void withABaseUrlItemsAreResolvedAgainstItAndHostEscapesAreRefusedItemByItem() {
		this.server = ReactorTestServer.start((request, response) -> response
			.sendString(Mono.just(request.uri() + " " + request.requestHeaders().get("X-Trace"))));
		URI base = URI.create(this.server.url("/api"));
		AsyncApiClient client = client(AsyncApiClientSettings.empty().withBaseUrl(base));
		Flux<FetchRequest> requests = Flux.just(FetchRequest.get("/items/{id}", "a b/c"),
				FetchRequest.get("/items/{id}", 2).withQueryParam("q", "x&y=z").withHeader("X-Trace", "t-2"),
				FetchRequest.get("//evil.example/steal"), FetchRequest.get("http://evil.example/steal"),
				FetchRequest.get("/items/{id}", ".."), FetchRequest.get("/items/{id}", 3).withHeader("X-Bad", "a\r\nb"),
				FetchRequest.url(this.server.url("/api/items/5")),
				FetchRequest.of(HttpMethod.DELETE, "/items/{id}", 4));

		List<FetchResult<String>> results = client
			.fetchAll(requests, String.class, FetchOptions.defaults().inInputOrder())
			.collectList()
			.block(BLOCK);

		assertThat(results).hasSize(8);
		assertThat(results.get(0).value()).isEqualTo("/api/items/a%20b%2Fc null");
		assertThat(results.get(0).uri()).isEqualTo(URI.create(this.server.url("/api/items/a%20b%2Fc")));
		assertThat(results.get(1).value()).isEqualTo("/api/items/2?q=x%26y%3Dz t-2");
		assertThat(results.get(7).value()).isEqualTo("/api/items/4 null");
		assertThat(results.subList(2, 7)).allSatisfy((result) -> {
			assertThat(result.error()).isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
					(ex) -> assertThat(ex.isNotSent()).isTrue());
			assertThat(result.status()).isNull();
			assertThat(result.value()).isNull();
			assertThat(result.uri()).isNull();
		});
		assertThat(this.server.requests()).isEqualTo(3);
	}

	@Test
	void itemsDecodeToAGenericType() {
		this.server = ReactorTestServer.start((request, response) -> response
			.header("Content-Type", "application/json")
			.sendString(Mono.just("{\"id\":" + lastSegment(request) + ",\"tags\":[\"a\",\"b\"]}")));
		AsyncApiClient client = client(AsyncApiClientSettings.empty());

		List<FetchResult<Map<String, Object>>> results = client
			.fetchAll(Flux.range(0, 3).map((i) -> FetchRequest.get(this.server.url("/items/{i}"), i)),
					new ParameterizedTypeReference<Map<String, Object>>() {
					}, FetchOptions.defaults().inInputOrder())
			.collectList()
			.block(BLOCK);

		assertThat(results).extracting(FetchResult::value)
			.containsExactly(Map.of("id", 0, "tags", List.of("a", "b")), Map.of("id", 1, "tags", List.of("a", "b")),
					Map.of("id", 2, "tags", List.of("a", "b")));
	}

	@Test
	void cancellingTheBatchCancelsItemsInFlightAndClosesTheirConnections() {
		this.server = ReactorTestServer.start((request, response) -> Mono.never());
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		AtomicLong pulled = new AtomicLong();
		AtomicInteger results = new AtomicInteger();
		Flux<String> uris = Flux.range(0, 1000)
			.map((i) -> this.server.url("/stall/" + i))
			.doOnNext((uri) -> pulled.incrementAndGet());

		Disposable batch = client.fetchAll(uris, String.class, 10).subscribe((result) -> results.incrementAndGet());
		await().atMost(BLOCK).until(() -> this.server.requestsInProgress().current() == 10);
		assertThat(this.clients.inFlight(NAME)).isEqualTo(10);
		batch.dispose();

		await().atMost(BLOCK).untilAsserted(() -> {
			assertThat(this.clients.inFlight(NAME)).as("permits held").isZero();
			assertThat(this.server.openConnections().current()).as("connections open on the server").isZero();
			assertThat(this.server.requestsInProgress().current()).as("requests in progress on the server")
				.isZero();
		});
		assertThat(pulled.get()).as("URIs pulled from the source").isEqualTo(10);
		assertThat(results.get()).isZero();
	}

	private AsyncApiClient client(AsyncApiClientSettings settings) {
		this.clients = ClientTestSupport.clients(settings);
		return this.clients.get(NAME);
	}

	/**
	 * {@code /items/{i}}: {@code "item i"}, but 404 for every hundredth item, each after a
	 * millisecond (a timer, no thread waits), so that requests overlap on the server as they
	 * would on a real one.
	 */
	private static Publisher<Void> item(HttpServerRequest request, HttpServerResponse response) {
		int i = lastSegment(request);
		Mono<Long> work = Mono.delay(Duration.ofMillis(1));
		if (i % 100 == 0) {
			return work
				.then(response.status(HttpResponseStatus.NOT_FOUND).sendString(Mono.just("no item " + i)).then());
		}
		return work.then(response.header("Content-Type", "text/plain").sendString(Mono.just("item " + i)).then());
	}

	private static int lastSegment(HttpServerRequest request) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		String path = (query >= 0) ? uri.substring(0, query) : uri;
		return Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
	}

	/**
	 * What came back, checked result by result so that the test holds a bit per URI, not
	 * the results.
	 */
	private static final class Tally {

		private final BitSet seen;

		private int duplicates;

		private int successes;

		private int notFound;

		private int unexpected;

		private final AtomicReference<String> firstUnexpected = new AtomicReference<>();

		Tally(int n) {
			this.seen = new BitSet(n);
		}

		// Results arrive one at a time (onNext is serial) and are read after block().
		void add(FetchResult<String> result, ReactorTestServer server) {
			int i = Math.toIntExact(result.index());
			if (this.seen.get(i)) {
				this.duplicates++;
			}
			this.seen.set(i);
			boolean rightUri = URI.create(server.url("/items/" + i)).equals(result.uri())
					&& result.request().uriTemplate().equals(server.url("/items/" + i));
			if (i % 100 == 0 && rightUri && result.error() instanceof WebClientResponseException.NotFound notFound
					&& HttpStatus.NOT_FOUND.equals(result.status()) && result.value() == null && result.attempts() == 1
					&& notFound.getResponseBodyAsString(StandardCharsets.UTF_8).equals("no item " + i)) {
				this.notFound++;
			}
			else if (i % 100 != 0 && rightUri && result.isSuccess() && ("item " + i).equals(result.value())
					&& HttpStatus.OK.equals(result.status()) && result.attempts() == 1) {
				this.successes++;
			}
			else {
				this.unexpected++;
				this.firstUnexpected.compareAndSet(null, result.toString());
			}
		}

	}

}
