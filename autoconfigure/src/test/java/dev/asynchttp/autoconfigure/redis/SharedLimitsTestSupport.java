package dev.asynchttp.autoconfigure.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpoint;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpointAutoConfiguration;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.AsyncHttpException;
import dev.asynchttp.client.AsyncHttpRateLimitException;
import dev.asynchttp.testsupport.ReactorTestServer;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Support for tests of shared limits with a real Redis, given by a subclass (a
 * Testcontainers container, or a local {@code redis-server} process). Each "instance" is
 * its own application context with its own client, limiter and Redis connection; they meet
 * only in Redis. Every request loop is bounded in count and time, and every call is
 * checked to end with a value or a typed error.
 */
abstract class SharedLimitsTestSupport {

	static final Duration RUN = Duration.ofSeconds(5);

	static final Duration TICK = Duration.ofMillis(10);

	static final int PERMITS = 20;

	/**
	 * Answers {@code GET /ok} with 200, and its first {@code GET /busy} with 429 and
	 * {@code Retry-After: 2}, later ones with 200.
	 */
	protected ReactorTestServer upstream;

	protected ReactorTestServer otherUpstream;

	protected String sharedKey;

	/**
	 * A runner whose contexts reach the test's Redis.
	 * @return the runner
	 */
	protected abstract ApplicationContextRunner redisRunner();

	@BeforeEach
	void startUpstreams() {
		this.upstream = upstream();
		this.otherUpstream = upstream();
		// A fresh budget per test.
		this.sharedKey = "test-" + UUID.randomUUID();
	}

	@AfterEach
	void stopUpstreams() {
		this.upstream.close();
		this.otherUpstream.close();
	}

	private static ReactorTestServer upstream() {
		AtomicBoolean busyAnswered = new AtomicBoolean();
		return ReactorTestServer.start(HttpServerRoutes.newRoutes()
			.get("/ok", (request, response) -> response.sendString(Mono.just("ok")))
			.get("/busy", (request, response) -> {
				if (busyAnswered.compareAndSet(false, true)) {
					return response.status(HttpResponseStatus.TOO_MANY_REQUESTS)
						.header("Retry-After", "2")
						.sendString(Mono.just("slow down"));
				}
				return response.sendString(Mono.just("ok"));
			}));
	}

	/**
	 * One instance of a service: client {@code api}, without base-url so that it can call
	 * both upstreams, 20 permits a second, short max-wait (calls over the budget fail
	 * unsent rather than queue past the run), no retries.
	 */
	protected ApplicationContextRunner instance(boolean shared, String... properties) {
		return redisRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					AsyncHttpRedisAutoConfiguration.class, AsyncHttpRedisHealthAutoConfiguration.class,
					AsyncHttpAutoConfiguration.class,
					AsyncHttpEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=asynchttp",
					"async-http.clients.api.rate-limit.permits-per-period=" + PERMITS,
					"async-http.clients.api.rate-limit.period=1s", "async-http.clients.api.rate-limit.max-wait=50ms",
					"async-http.clients.api.rate-limit.shared=" + shared,
					"async-http.clients.api.rate-limit.shared-key=" + this.sharedKey,
					"async-http.clients.api.retry.enabled=false")
			.withPropertyValues(properties);
	}

	static AsyncApiClient api(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AsyncApiClients.class).get("api");
	}

	static Map<String, Object> sharedState(AssertableApplicationContext context) {
		return context.getBean(AsyncHttpEndpoint.class).client("api").state().shared();
	}

	/**
	 * Offer one call every {@link #TICK} for {@code duration}, far above the limit, and
	 * collect how each ended.
	 */
	static Mono<List<String>> load(AsyncApiClient client, String url, Duration duration) {
		long calls = duration.toMillis() / TICK.toMillis();
		return Flux.interval(TICK)
			.take(calls)
			.onBackpressureBuffer()
			.flatMap((tick) -> call(client, url), 512)
			.collectList();
	}

	static Mono<String> call(AsyncApiClient client, String url) {
		return client.get(url, String.class)
			.map((body) -> "ok")
			.onErrorResume((ex) -> Mono.just(outcome(ex)))
			// Far above any wait a call may have: a call still running then is a hang.
			.timeout(Duration.ofSeconds(20), Mono.just("hung"));
	}

	static String outcome(Throwable ex) {
		if (ex instanceof AsyncHttpRateLimitException) {
			return "rate-limited";
		}
		if (ex instanceof AsyncHttpException typed) {
			return typed.getClass().getSimpleName() + (typed.isNotSent() ? " (not sent)" : "");
		}
		if (ex instanceof WebClientResponseException response) {
			return "status " + response.getStatusCode().value();
		}
		return "untyped " + ex.getClass().getName();
	}

	static Map<String, Long> count(List<String> outcomes) {
		return outcomes.stream().collect(Collectors.groupingBy((outcome) -> outcome, Collectors.counting()));
	}

	/**
	 * Run both instances' loads at once, for {@link #RUN}.
	 */
	protected List<String> loadBoth(AsyncApiClient a, AsyncApiClient b) {
		List<String> outcomes = new ArrayList<>();
		Mono.zip(load(a, this.upstream.url() + "/ok", RUN), load(b, this.upstream.url() + "/ok", RUN))
			.doOnNext((both) -> {
				outcomes.addAll(both.getT1());
				outcomes.addAll(both.getT2());
			})
			.block(RUN.plusSeconds(30));
		return outcomes;
	}

	/**
	 * How long a call took, in milliseconds, after checking that it succeeded.
	 */
	static Mono<Long> timed(Mono<String> call) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return call.map((outcome) -> {
				assertThat(outcome).isEqualTo("ok");
				return (System.nanoTime() - start) / 1_000_000;
			});
		});
	}

}
