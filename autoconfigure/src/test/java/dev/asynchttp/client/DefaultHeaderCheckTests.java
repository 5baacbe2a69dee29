package dev.asynchttp.client;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests that default headers set in code are checked when the client is built, as
 * configuration properties are at startup, so nothing malformed is ever sent.
 */
class DefaultHeaderCheckTests {

	private final AsyncApiClientFactory factory = AsyncApiClientFactory.standalone();

	@Test
	void defaultHeaderValueWithALineBreakIsRefusedWithoutRepeatingIt() {
		AsyncApiClientSettings settings = AsyncApiClientSettings.empty()
			.withDefaultHeaders(Map.of("X-Api-Key", List.of("s3cr3t\r\nX-Evil: 1")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.create("api", settings))
			.withMessageContaining("Client 'api'")
			.withMessageContaining("default header 'X-Api-Key'")
			.withMessageNotContaining("s3cr3t");
	}

	@Test
	void defaultHeaderNameThatIsNotATokenIsRefused() {
		AsyncApiClientSettings settings = AsyncApiClientSettings.empty()
			.withDefaultHeaders(Map.of("X Bad", List.of("1")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.factory.create("api", settings))
			.withMessageContaining("'X Bad' is not a valid header name");
	}

}
