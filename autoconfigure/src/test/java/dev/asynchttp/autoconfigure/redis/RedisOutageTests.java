package dev.asynchttp.autoconfigure.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncHttpSharedLimitUnavailableException;
import dev.asynchttp.testsupport.LocalRedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped in the middle of a run, with a local {@code redis-server} process that can
 * be started again on the same port: no call hangs, every call ends with a value or a
 * typed error, the fallback shows in the endpoint and in health, one WARN per outage, and
 * limits are shared again once Redis is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageTests extends SharedLimitsTestSupport {

	private static final String OUTAGE_WARNING = "Redis is unreachable";

	private LocalRedisServer redis;

	@BeforeEach
	void startRedis() {
		this.redis = LocalRedisServer.start();
	}

	@AfterEach
	void stopRedis() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Override
	protected ApplicationContextRunner redisRunner() {
		return new ApplicationContextRunner().withPropertyValues(this.redis.properties());
	}

	@Test
	void callsFallBackToTheLocalLimitWhileRedisIsDownAndShareAgainWhenItReturns(CapturedOutput output) {
		instance(true).run((a) -> instance(true).run((b) -> {
			assertThat(sharedState(a)).containsEntry("mode", "shared");
			AsyncApiClient client = api(a);
			// A's calls go on through the outage: 10 s of load, Redis down from ~1 s to ~4 s.
			Mono<List<String>> run = load(client, this.upstream.url() + "/ok", Duration.ofSeconds(10)).cache();
			run.subscribeOn(Schedulers.boundedElastic()).subscribe();
			Thread.sleep(1_000);
			this.redis.stop();
			awaitMode(() -> sharedState(a), "local-fallback");
			assertThat(sharedState(a)).containsKey("downSince").containsEntry("redis", "down");
			assertThat(a.getBean(SharedLimitsHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
			Thread.sleep(2_000);
			this.redis.restart();
			awaitMode(() -> sharedState(a), "shared");
			awaitMode(() -> sharedState(b), "shared");
			List<String> outcomes = run.block(Duration.ofSeconds(40));
			assertThat(outcomes).hasSize(1_000).doesNotContain("hung").containsOnly("ok", "rate-limited");
			assertThat((Long) sharedState(a).get("fallbackCalls")).isPositive();
			assertThat(output.toString().split(OUTAGE_WARNING, -1)).as("one WARN per instance for the outage")
				.hasSize(3);
			// Shared again: together within one budget for 3 s (local limits would allow
			// about twice as much).
			this.upstream.clearRequests();
			Duration resumed = Duration.ofSeconds(3);
			Mono.zip(load(api(a), this.upstream.url() + "/ok", resumed), load(api(b), this.upstream.url() + "/ok", resumed))
				.block(Duration.ofSeconds(40));
			assertThat(this.upstream.requests()).isLessThanOrEqualTo(PERMITS + 3 * PERMITS + 5);
		}));
		assertThat(output.toString()).doesNotContain("Connection is already closed");
	}

	@Test
	void failFallbackFailsCallsUnsentWhileRedisIsDown() {
		instance(true, "async-http.clients.api.rate-limit.shared-fallback=fail").run((a) -> {
			assertThat(call(api(a), this.upstream.url() + "/ok").block()).isEqualTo("ok");
			this.redis.stop();
			awaitMode(() -> sharedState(a), "failing");
			AtomicReference<Throwable> failure = new AtomicReference<>();
			api(a).get(this.upstream.url() + "/ok", String.class)
				.doOnError(failure::set)
				.onErrorResume((ex) -> Mono.empty())
				.block(Duration.ofSeconds(10));
			assertThat(failure.get()).isInstanceOf(AsyncHttpSharedLimitUnavailableException.class);
			assertThat(((AsyncHttpSharedLimitUnavailableException) failure.get()).isNotSent()).isTrue();
			assertThat(this.upstream.requests()).isEqualTo(1);
			assertThat(a.getBean(SharedLimitsHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(sharedState(a)).containsEntry("failedCalls", 1L);
			this.redis.restart();
			awaitMode(() -> sharedState(a), "shared");
			assertThat(call(api(a), this.upstream.url() + "/ok").block()).isEqualTo("ok");
		});
	}

	@Test
	void applicationStartsWhileRedisIsDown() {
		this.redis.stop();
		instance(true).run((a) -> {
			assertThat(sharedState(a)).containsEntry("mode", "local-fallback");
			assertThat(call(api(a), this.upstream.url() + "/ok").block()).isEqualTo("ok");
			this.redis.restart();
			awaitMode(() -> sharedState(a), "shared");
		});
	}

	static void awaitMode(Supplier<Map<String, Object>> state, String mode) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!mode.equals(state.get().get("mode")) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(state.get()).containsEntry("mode", mode);
	}

}
