package dev.asynchttp.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How the host's stolen CPU time is read from {@code /proc/stat}.
 */
class HostCpuTests {

	@Test
	void stealIsTheStolenShareOfTheHostsTicksBetweenTwoReadings() {
		HostCpu before = HostCpu.parse("cpu  1000 0 200 5000 10 0 40 100 0 0");
		// 400 more ticks, 100 of them stolen; the guest columns are already in user time.
		HostCpu after = HostCpu.parse("cpu  1200 0 250 5040 10 0 50 200 77 0");

		assertThat(before.total()).isEqualTo(6350);
		assertThat(HostCpu.stealPercent(before, after)).isEqualTo(25.0);
	}

	@Test
	void stealIsUnknownWithoutTwoReadingsOrWithoutTimePassing() {
		HostCpu reading = HostCpu.parse("cpu 1 2 3 4 5 6 7 8");

		assertThat(HostCpu.stealPercent(null, reading)).isEqualTo(-1);
		assertThat(HostCpu.stealPercent(reading, null)).isEqualTo(-1);
		assertThat(HostCpu.stealPercent(reading, reading)).isEqualTo(-1);
	}

	@Test
	void onlyTheAggregateCpuLineIsAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> HostCpu.parse("cpu0 1 2 3 4 5 6 7 8"))
			.withMessageContaining("cpu line");
		assertThatIllegalArgumentException().isThrownBy(() -> HostCpu.parse("cpu 1 2 3"));
	}

	@Test
	void thisLinuxHostHasCounters() {
		HostCpu now = HostCpu.now();

		assertThat(now).isNotNull();
		assertThat(now.total()).isPositive();
		assertThat(now.steal()).isBetween(0L, now.total());
	}

}
