package dev.asynchttp.client;

import java.time.Duration;

import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncApiClientSettings.Timeouts;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link AsyncApiClientSettings} check their own ranges, so that code building
 * settings without the auto-configuration gets the same errors, named by property path.
 */
class AsyncApiClientSettingsTests {

	@Test
	void outOfRangeValueFailsNamingItsPropertyPath() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AsyncApiClientSettings.defaults().pool().withMaxConnections(0))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("pool.max-connections");
				assertThat(ex.getReason()).isEqualTo("it must be greater than 0 (was 0)");
				assertThat(ex.getAction()).isEqualTo("Set a positive number.");
				assertThat(ex).hasMessage("Invalid setting 'pool.max-connections': it must be greater than 0 (was 0)."
						+ " Set a positive number.");
			});
	}

	@Test
	void nestedSettingsNameTheirFullPath() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new Retry.Backoff(null, 0.5, null, null))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("retry.backoff.multiplier"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new Timeouts(null, null, null, Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("timeouts.total"));
	}

	@Test
	void outOfRangeSizeFailsBeforeAnyClientIsBuilt() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> AsyncApiClientFactory.standalone()
				.create("a", AsyncApiClientSettings.empty().withMaxInMemorySize(DataSize.ofBytes(0))))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("max-in-memory-size"));
	}

	@Test
	void unsetValuesAreValidAtEveryLevel() {
		assertThat(AsyncApiClientSettings.empty().orElse(AsyncApiClientSettings.defaults()))
			.isEqualTo(AsyncApiClientSettings.defaults());
	}

}
