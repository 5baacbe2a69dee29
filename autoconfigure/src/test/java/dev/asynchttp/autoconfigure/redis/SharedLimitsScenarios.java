package dev.asynchttp.autoconfigure.redis;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What shared limits must do with a real Redis, run by a subclass that provides one: one
 * budget for two instances, and a 429 seen by one pausing that host, and only that host,
 * on the others.
 */
abstract class SharedLimitsScenarios extends SharedLimitsTestSupport {

	@Test
	void twoInstancesTogetherSendNoMoreThanOneSharedBudget() {
		long calls = 2 * (RUN.toMillis() / TICK.toMillis());
		// Each alone: its own 20 a second.
		instance(false).run((a) -> instance(false).run((b) -> {
			List<String> outcomes = loadBoth(api(a), api(b));
			assertThat(outcomes).hasSize((int) calls).containsOnly("ok", "rate-limited");
		}));
		int unshared = this.upstream.requests();
		this.upstream.clearRequests();
		// Together: 20 a second between them. A token bucket allows its capacity on top of
		// the refills: at most 20 + 5 x 20 in 5 s.
		instance(true).run((a) -> instance(true).run((b) -> {
			assertThat(sharedState(a)).containsEntry("mode", "shared");
			List<String> outcomes = loadBoth(api(a), api(b));
			assertThat(outcomes).hasSize((int) calls).containsOnly("ok", "rate-limited");
			assertThat(count(outcomes).get("ok")).isEqualTo(this.upstream.requests());
		}));
		int shared = this.upstream.requests();
		int budget = PERMITS + (int) RUN.toSeconds() * PERMITS;
		assertThat(unshared).as("two unshared instances, each with its own budget").isGreaterThan(budget * 3 / 2);
		assertThat(shared).as("two instances sharing one budget").isLessThanOrEqualTo(budget + 5)
			.isGreaterThanOrEqualTo(budget * 3 / 4);
	}

	@Test
	void tooManyRequestsSeenByOneInstancePausesThatHostOnTheOther() {
		instance(true).run((a) -> instance(true).run((b) -> instance(false).run((loner) -> {
			assertThat(call(api(a), this.upstream.url() + "/busy").block()).isEqualTo("status 429");
			long paused = System.nanoTime();
			// Pub/sub carries the pause to B within milliseconds; leave it a little time.
			Thread.sleep(300);
			Mono<Long> pausedHost = timed(call(api(b), this.upstream.url() + "/ok"));
			Mono<Long> otherHost = timed(call(api(b), this.otherUpstream.url() + "/ok"));
			Mono<Long> notSharing = timed(call(api(loner), this.upstream.url() + "/ok"));
			var times = Mono.zip(pausedHost, otherHost, notSharing).block(Duration.ofSeconds(30));
			long sincePause = (System.nanoTime() - paused) / 1_000_000;
			assertThat(times.getT1()).as("B's call to the paused host (ms)").isBetween(1_200L, 4_000L);
			assertThat(sincePause).isGreaterThanOrEqualTo(1_900L);
			assertThat(times.getT2()).as("B's call to another host (ms)").isLessThan(1_000L);
			assertThat(times.getT3()).as("a call from an instance that does not share (ms)").isLessThan(1_000L);
		})));
	}

	@Test
	void instanceStartedDuringACoolDownHonoursIt() {
		instance(true).run((a) -> {
			assertThat(call(api(a), this.upstream.url() + "/busy").block()).isEqualTo("status 429");
			Thread.sleep(200);
			// A new instance reads the pauses still alive in Redis when it subscribes.
			instance(true).run((late) -> {
				Thread.sleep(200);
				long waited = timed(call(api(late), this.upstream.url() + "/ok")).block(Duration.ofSeconds(30));
				assertThat(waited).as("late instance's call to the paused host (ms)").isBetween(800L, 4_000L);
			});
		});
	}

}
