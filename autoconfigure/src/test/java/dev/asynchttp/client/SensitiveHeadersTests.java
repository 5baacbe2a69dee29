package dev.asynchttp.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SensitiveHeadersTests {

	@Test
	void builtInRulesCoverCredentialsApiKeysAndTokenLikeNamesCaseInsensitively() {
		SensitiveHeaders headers = SensitiveHeaders.builtIn();
		assertThat(List.of("Authorization", "proxy-authorization", "COOKIE", "Set-Cookie", "X-Api-Key", "api-key",
				"X-Auth-Token", "X-Refresh-Token", "X-Client-Secret", "X-Db-Password", "X-Session-Id",
				"X-Hub-Signature-256", "Ocp-Apim-Subscription-Key", "X-Goog-Api-Key", "X-Credential"))
			.allSatisfy((name) -> assertThat(headers.isSensitive(name)).as(name).isTrue());
		assertThat(List.of("Accept", "Content-Type", "User-Agent", "X-Request-Id"))
			.allSatisfy((name) -> assertThat(headers.isSensitive(name)).as(name).isFalse());
	}

	@Test
	void configuredNamesAndWildcardsAreAddedToTheBuiltInOnes() {
		SensitiveHeaders headers = SensitiveHeaders.builtIn().and(List.of("X-Tenant-Pin", "x-partner-*"));
		assertThat(headers.isSensitive("x-tenant-pin")).isTrue();
		assertThat(headers.isSensitive("X-Partner-Id")).isTrue();
		assertThat(headers.isSensitive("Authorization")).isTrue();
		assertThat(headers.isSensitive("X-Partner")).isFalse();
	}

	@Test
	void maskHidesOnlySensitiveValues() {
		SensitiveHeaders headers = SensitiveHeaders.builtIn();
		assertThat(headers.mask("X-Api-Key", "k-123")).isEqualTo(SensitiveHeaders.MASK);
		assertThat(headers.mask("Accept", "application/json")).isEqualTo("application/json");
	}

	@Test
	void settingsAddTheirListAcrossLayers() {
		AsyncApiClientSettings client = AsyncApiClientSettings.empty().withSensitiveHeaders(List.of("X-One"));
		AsyncApiClientSettings defaults = AsyncApiClientSettings.empty().withSensitiveHeaders(List.of("X-Two"));
		SensitiveHeaders merged = client.orElse(defaults).orElse(AsyncApiClientSettings.defaults()).sensitive();
		assertThat(merged.isSensitive("X-One")).isTrue();
		assertThat(merged.isSensitive("X-Two")).isTrue();
		assertThat(merged.isSensitive("X-Api-Key")).isTrue();
	}

}
