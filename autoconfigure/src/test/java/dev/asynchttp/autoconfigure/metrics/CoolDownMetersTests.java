package dev.asynchttp.autoconfigure.metrics;

import java.time.Duration;

import dev.asynchttp.autoconfigure.AsyncApiClientObservability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionPoolMetrics;

import static dev.asynchttp.autoconfigure.metrics.MicrometerAsyncApiClientObserver.CLIENT_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the per-host {@code async.http.client.cooldowns} counters are bounded by
 * {@code metrics.max-host-tags} and go when the host's pool is disposed.
 */
class CoolDownMetersTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerAsyncApiClientObserver observer = new MicrometerAsyncApiClientObserver(this.registry,
			(name) -> new AsyncApiClientObservability.Metrics(true, true, 100, 2));

	@Test
	void coolDownCountersOfHostsPastTheCapAreCountedAsOverflow() {
		for (String host : new String[] { "a:80", "b:80", "c:80", "d:80", "a:80" }) {
			this.observer.coolDownStarted("crawler", host, Duration.ofSeconds(1));
		}
		assertThat(count("a:80")).isEqualTo(2);
		assertThat(count("b:80")).isEqualTo(1);
		assertThat(count(ConnectionPoolMeters.OVERFLOW)).isEqualTo(2);
		assertThat(this.registry.find(MicrometerAsyncApiClientObserver.COOL_DOWNS).counters()).hasSize(3);
	}

	@Test
	void aHostsCoolDownCounterGoesWithItsPoolAndFreesItsPlace() {
		this.observer.coolDownStarted("crawler", "a:80", Duration.ofSeconds(1));
		this.observer.coolDownStarted("crawler", "b:80", Duration.ofSeconds(1));
		this.observer.removed(new AsyncHttpConnectionPools.ConnectionPool("crawler", "1", "a:80", new Empty()));
		assertThat(this.registry.find(MicrometerAsyncApiClientObserver.COOL_DOWNS).tag("remote.address", "a:80")
			.counter()).isNull();
		this.observer.coolDownStarted("crawler", "c:80", Duration.ofSeconds(1));
		assertThat(count("c:80")).isEqualTo(1);
		assertThat(this.registry.find(MicrometerAsyncApiClientObserver.COOL_DOWNS)
			.tag("remote.address", ConnectionPoolMeters.OVERFLOW)
			.counter()).isNull();
	}

	private double count(String remoteAddress) {
		Counter counter = this.registry.get(MicrometerAsyncApiClientObserver.COOL_DOWNS)
			.tags(CLIENT_NAME, "crawler", "remote.address", remoteAddress)
			.counter();
		return counter.count();
	}

	private static final class Empty implements ConnectionPoolMetrics {

		@Override
		public int acquiredSize() {
			return 0;
		}

		@Override
		public int allocatedSize() {
			return 0;
		}

		@Override
		public int idleSize() {
			return 0;
		}

		@Override
		public int pendingAcquireSize() {
			return 0;
		}

		@Override
		public int maxAllocatedSize() {
			return 0;
		}

		@Override
		public int maxPendingAcquireSize() {
			return 0;
		}

	}

}
