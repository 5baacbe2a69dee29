package dev.asynchttp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.testsupport.CountingHttpServer;
import dev.asynchttp.testsupport.CountingHttpServer.Seen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rate-limit.*} as the server sees it: requests over the rate wait (without blocking
 * a thread) for the limiter's next cycle; those that would wait longer than
 * {@code max-wait} fail at once and never reach the server.
 */
@Timeout(60)
class RateLimitTests {

	private final RecordingObserver observer = new RecordingObserver();

	private CountingHttpServer server;

	private AsyncApiClients clients;

	@BeforeEach
	void startServer() throws IOException {
		this.server = CountingHttpServer.start();
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void burstIsSpreadOverTheLimiterCyclesAtTheConfiguredRate() throws Exception {
		int permits = 5;
		long period = Duration.ofMillis(200).toNanos();
		AsyncApiClient client = client(new RateLimit(permits, Duration.ofNanos(period), Duration.ofSeconds(5)));
		long cycleStart = findACycleStart(client);
		// Start the burst just after a cycle starts, so its first five calls take that
		// cycle's permits and the others wait for the cycles after it.
		long burstCycle = cycleStart + period * ((System.nanoTime() - cycleStart) / period + 1);
		Mono.delay(Duration.ofNanos(burstCycle + Duration.ofMillis(5).toNanos() - System.nanoTime())).block(BLOCK);
		int calls = 40;

		CompletableFuture<List<String>> burst = Flux.range(0, calls)
			.flatMap((i) -> call(client, HttpMethod.GET, "/burst", "b-" + i).bodyToMono(String.class), calls)
			.collectList()
			.toFuture();

		// Subscribing did not wait for permits: most calls still wait, off any thread.
		assertThat(burst).isNotDone();
		assertThat(this.server.requests("/burst")).as("reached the server while subscribing").hasSizeLessThan(20);
		assertThat(burst.get(20, TimeUnit.SECONDS)).hasSize(calls).containsOnly("ok");
		List<Seen> seen = this.server.requests("/burst");
		assertThat(seen).hasSize(calls);
		// Arrivals may come late (a busy machine), never early: by the time a request
		// arrives, at most five per limiter cycle started since the burst (plus one for
		// timing at a cycle boundary) may have arrived. The cycle start is an estimate from
		// the client's side, so a cycle counts as started a few milliseconds early.
		long boundarySlack = Duration.ofMillis(10).toNanos();
		long[] arrivals = seen.stream().mapToLong(Seen::arrivalNanos).sorted().toArray();
		for (int i = 0; i < arrivals.length; i++) {
			long cyclesStarted = (arrivals[i] + boundarySlack - burstCycle) / period + 1;
			assertThat(i + 1).as("arrivals by %d ms into the burst", (arrivals[i] - burstCycle) / 1_000_000)
				.isLessThanOrEqualTo((int) (permits * cyclesStarted) + 1);
		}
		int cycles = calls / permits;
		long last = arrivals[arrivals.length - 1];
		assertThat(Duration.ofNanos(last - burstCycle)).as("the last permit came seven cycles after the first")
			.isGreaterThanOrEqualTo(Duration.ofNanos(period * (cycles - 1)));
		assertThat(this.observer.rateLimitRejected()).isZero();
	}

	@Test
	void callsThatWouldWaitLongerThanMaxWaitFailAtOnceAndNeverReachTheServer() {
		AsyncApiClient client = client(new RateLimit(2, Duration.ofSeconds(1), Duration.ofMillis(100)));
		Map<String, Throwable> failures = new ConcurrentHashMap<>();
		Set<String> succeeded = ConcurrentHashMap.newKeySet();
		int calls = 10;

		Flux.range(0, calls).flatMap((i) -> {
			String id = "r-" + i;
			return call(client, HttpMethod.GET, "/limited", id).bodyToMono(String.class)
				.doOnNext((body) -> succeeded.add(id))
				.onErrorResume((ex) -> {
					failures.put(id, ex);
					return Mono.empty();
				});
		}, calls).then().block(BLOCK);

		// Two permits per cycle; a boundary during the burst or a cycle starting within
		// 100 ms can let two more through.
		assertThat(succeeded).hasSizeBetween(2, 4);
		assertThat(failures).hasSize(calls - succeeded.size())
			.allSatisfy((id, failure) -> assertThat(failure).isInstanceOfSatisfying(AsyncHttpRateLimitException.class,
					(ex) -> {
						assertThat(ex.isNotSent()).isTrue();
						assertThat(ex.getMaxWait()).isEqualTo(Duration.ofMillis(100));
						assertThat(ex.getAttempts()).as("never retried").isEqualTo(1);
						assertThat(ex.getMessage()).contains("rate-limit.max-wait");
					}));
		assertThat(this.server.requestIds()).as("the server saw exactly the calls that got a permit")
			.containsExactlyInAnyOrderElementsOf(succeeded);
		assertThat(this.observer.rateLimitRejected()).isEqualTo(failures.size());
	}

	/**
	 * Make calls until one has to wait for a permit: the limiter then reports when its next
	 * cycle starts. Eleven calls at once always include one that waits, since two cycles
	 * hold ten permits.
	 */
	private long findACycleStart(AsyncApiClient client) {
		Flux.range(0, 11)
			.flatMap((i) -> call(client, HttpMethod.GET, "/warm-up", "w-" + i).bodyToMono(String.class), 11)
			.blockLast(BLOCK);
		assertThat(this.observer.rateLimitPermitDueNanos()).isNotEmpty();
		return this.observer.rateLimitPermitDueNanos().get(0);
	}

	private AsyncApiClient client(RateLimit rateLimit) {
		this.clients = ClientTestSupport.clients(
				AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("")).withRateLimit(rateLimit),
				this.observer);
		return this.clients.get(NAME);
	}

}
