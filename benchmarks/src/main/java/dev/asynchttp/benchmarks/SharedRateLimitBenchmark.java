package dev.asynchttp.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientFactory;
import dev.asynchttp.client.AsyncApiClientObserver;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.RequestRateLimiter;
import dev.asynchttp.client.redis.RedisSharedLimits;
import io.lettuce.core.RedisClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark of shared rate limits ({@code rate-limit.shared}) through one local Redis, a
 * runner of its own next to {@link Benchmark} because it needs Redis rather than nginx:
 * {@code benchmarks/run-shared-limits.sh} starts {@code redis-server} and this, with
 * {@code --redis redis://127.0.0.1:PORT}.
 * <ol>
 * <li>Permits per second that two instances (two Lettuce clients, one bucket) sustain:
 * {@code reserve()} with 1, 8 and 32 reservations in flight per instance, budget far above
 * what Redis can serve, default {@code shared-timeout} (200ms); reservations that time out
 * fall back and are counted apart.</li>
 * <li>Added latency per call: sequential GETs to a local Reactor Netty server through an
 * {@link AsyncApiClient} with the local limiter, then with the shared one; p50 and p99.</li>
 * </ol>
 * Numbers depend on the machine; on a shared 2-core box run it alone.
 */
public final class SharedRateLimitBenchmark {

	private static final int[] CONCURRENCY = { 1, 8, 32 };

	private static final Duration THROUGHPUT_RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 10));

	private static final int LATENCY_CALLS = Integer.getInteger("bench.calls", 5_000);

	private static final int WARMUP_CALLS = 1_000;

	private static final RequestContext CONTEXT = new RequestContext("bench", HttpMethod.GET, "/ok");

	private SharedRateLimitBenchmark() {
	}

	public static void main(String[] args) {
		if (args.length != 2 || !"--redis".equals(args[0])) {
			throw new IllegalArgumentException("Usage: SharedRateLimitBenchmark --redis redis://127.0.0.1:PORT"
					+ " (benchmarks/run-shared-limits.sh starts redis-server and passes it)");
		}
		String uri = args[1];
		MachineFacts machine = MachineFacts.current();
		System.out.printf("%d processors (%s), %s, load average %s at start%n", machine.processors(),
				machine.cpuModel(), machine.java(), machine.loadAverage());
		throughput(uri);
		latency(uri);
	}

	private static void throughput(String uri) {
		RedisClient clientA = RedisClient.create(uri);
		RedisClient clientB = RedisClient.create(uri);
		try (RedisSharedLimits a = new RedisSharedLimits(() -> clientA, RedisSharedLimits.DEFAULT_PROBE_INTERVAL);
				RedisSharedLimits b = new RedisSharedLimits(() -> clientB, RedisSharedLimits.DEFAULT_PROBE_INTERVAL)) {
			for (int concurrency : CONCURRENCY) {
				RateLimit settings = unlimited();
				AtomicLong fallbacks = new AtomicLong();
				RequestRateLimiter limiterA = a.rateLimiter("bench", settings, countingLocal(fallbacks));
				RequestRateLimiter limiterB = b.rateLimiter("bench", settings, countingLocal(fallbacks));
				// Warm-up, and time for a probe to find Redis again after a timeout.
				hammer(limiterA, limiterB, concurrency, Duration.ofSeconds(2));
				Mono.delay(Duration.ofMillis(1_500)).block();
				fallbacks.set(0);
				AtomicLong[] counts = hammer(limiterA, limiterB, concurrency, THROUGHPUT_RUN);
				long total = counts[0].get() + counts[1].get() - fallbacks.get();
				System.out.printf("shared permits, two instances, %2d reservations in flight each, %ds: %d through"
						+ " Redis = %.0f permits/s (fell back on timeout: %d)%n", concurrency,
						THROUGHPUT_RUN.toSeconds(), total, total / (double) THROUGHPUT_RUN.toSeconds(),
						fallbacks.get());
			}
		}
		finally {
			clientA.shutdown();
			clientB.shutdown();
		}
	}

	private static AtomicLong[] hammer(RequestRateLimiter a, RequestRateLimiter b, int concurrency, Duration run) {
		AtomicLong countA = new AtomicLong();
		AtomicLong countB = new AtomicLong();
		long end = System.nanoTime() + run.toNanos();
		Mono.when(loop(a, countA, concurrency, end), loop(b, countB, concurrency, end)).block(run.plusSeconds(30));
		return new AtomicLong[] { countA, countB };
	}

	private static Mono<Void> loop(RequestRateLimiter limiter, AtomicLong count, int concurrency, long end) {
		return Flux.range(0, concurrency)
			.flatMap((worker) -> Mono.defer(() -> limiter.reserve(CONTEXT))
				.doOnNext((wait) -> {
					if (wait != 0) {
						throw new IllegalStateException("a reservation had to wait " + wait + "ns");
					}
					count.incrementAndGet();
				})
				.repeat(() -> System.nanoTime() < end)
				.then(), concurrency)
			.then();
	}

	private static void latency(String uri) {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/ok", (request, response) -> response.sendString(Mono.just("ok"))))
			.bindNow();
		RedisClient redisClient = RedisClient.create(uri);
		try (RedisSharedLimits shared = new RedisSharedLimits(() -> redisClient,
				RedisSharedLimits.DEFAULT_PROBE_INTERVAL)) {
			URI base = URI.create("http://127.0.0.1:" + server.port());
			AsyncApiClientSettings plain = AsyncApiClientSettings.empty().withBaseUrl(base);
			long[] none = null;
			long[] local = null;
			long[] viaRedis = null;
			// Two rounds, reporting the second: the first also warms the JIT for all three.
			for (int round = 0; round < 2; round++) {
				none = calls(plain, null);
				local = calls(plain.withRateLimit(new RateLimit(10_000_000, Duration.ofSeconds(1), Duration.ofSeconds(5))),
						null);
				viaRedis = calls(plain.withRateLimit(unlimited()), shared);
			}
			report("no rate limit", none);
			report("local rate limit", local);
			report("shared rate limit (Redis)", viaRedis);
			System.out.println("shared client state after the run: " + shared.state("bench"));
			System.out.printf("added by the shared limiter over the local one: p50 %+.1f us, p99 %+.1f us%n",
					(percentile(viaRedis, 50) - percentile(local, 50)) / 1_000.0,
					(percentile(viaRedis, 99) - percentile(local, 99)) / 1_000.0);
		}
		finally {
			redisClient.shutdown();
			server.disposeNow();
		}
	}

	private static long[] calls(AsyncApiClientSettings settings, RedisSharedLimits shared) {
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (name) -> {
			throw new IllegalArgumentException(name);
		}, List.of(), new AsyncApiClientObserver() {
		}, Clock.systemUTC(), shared);
		try (AsyncApiClients clients = new AsyncApiClients(Map.of("bench", settings), factory, Duration.ZERO)) {
			AsyncApiClient client = clients.get("bench");
			for (int i = 0; i < WARMUP_CALLS; i++) {
				client.get("/ok", String.class).block(Duration.ofSeconds(10));
			}
			long[] nanos = new long[LATENCY_CALLS];
			for (int i = 0; i < LATENCY_CALLS; i++) {
				long start = System.nanoTime();
				client.get("/ok", String.class).block(Duration.ofSeconds(10));
				nanos[i] = System.nanoTime() - start;
			}
			Arrays.sort(nanos);
			return nanos;
		}
	}

	private static void report(String name, long[] sorted) {
		System.out.printf("%-28s %d sequential GETs: p50 %.1f us, p99 %.1f us%n", name, sorted.length,
				percentile(sorted, 50) / 1_000.0, percentile(sorted, 99) / 1_000.0);
	}

	private static long percentile(long[] sorted, int percent) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
	}

	/**
	 * A budget far above what one Redis serves, so that nothing waits.
	 */
	private static RateLimit unlimited() {
		return new RateLimit(10_000_000, Duration.ofSeconds(1), Duration.ofSeconds(5), null, null, null,
				Duration.ofMillis(200)).sharedAs("bench-" + System.nanoTime(), SharedFallback.LOCAL);
	}

	/**
	 * Fallback that counts: those permits did not go through Redis.
	 */
	private static RequestRateLimiter countingLocal(AtomicLong fallbacks) {
		return new RequestRateLimiter() {
			@Override
			public Mono<Long> reserve(RequestContext context) {
				fallbacks.incrementAndGet();
				// Not at once: a fallback spinning hot would starve the probe that ends it.
				return Mono.delay(Duration.ofMillis(1)).thenReturn(0L);
			}

			@Override
			public Duration maxWait() {
				return Duration.ofSeconds(5);
			}
		};
	}

}
