package dev.asynchttp.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTests {

	@Test
	void masksEveryQueryValueAndKeepsTheNames() {
		assertThat(SafeText.uri("/p?api_key=s3cret&page=2")).isEqualTo("/p?api_key=***&page=***");
		assertThat(SafeText.uri("https://h/p?a=1&a=2")).isEqualTo("https://h/p?a=***&a=***");
	}

	@Test
	void masksTemplateVariablesInTheQueryAndKeepsThoseInThePath() {
		assertThat(SafeText.uri("/items/{id}?api_key={key}&x={a&b}")).isEqualTo("/items/{id}?api_key=***&x=***");
		assertThat(SafeText.uri("/items/{id:[a-z]?#}")).isEqualTo("/items/{id:[a-z]?#}");
	}

	@Test
	void removesUserInfoAndMasksTheFragment() {
		assertThat(SafeText.uri("http://user:pw@h:8080/p?k=v#access_token=t"))
			.isEqualTo("http://h:8080/p?k=***#***");
		assertThat(SafeText.uri(URI.create("https://user@h/p"))).isEqualTo("https://h/p");
		assertThat(SafeText.uri("//user:pw@h/p")).isEqualTo("//h/p");
	}

	@Test
	void leavesTextWithoutSecretsAlone() {
		assertThat(SafeText.uri("/users/@me")).isEqualTo("/users/@me");
		assertThat(SafeText.uri("/p?flag&empty=")).isEqualTo("/p?flag&empty=");
		assertThat(SafeText.uri("/a/b")).isEqualTo("/a/b");
		assertThat(SafeText.uri("/p?next=http://u:p@x/y")).isEqualTo("/p?next=***");
	}

	@Test
	void settingsToStringMasksSensitiveDefaultHeadersAndTheProxyPassword() {
		AsyncApiClientSettings settings = new AsyncApiClientSettings(URI.create("https://api.example.com/v1"),
				Map.of("Authorization", List.of("Bearer t0k3n"), "X-Partner-Pin", List.of("1234"), "Accept",
						List.of("application/json")),
				null, null, null, null, null, null, null, null, null, null)
			.withSensitiveHeaders(List.of("X-Partner-Pin"))
			.withProxy(new AsyncApiClientSettings.Proxy(AsyncApiClientSettings.ProxyType.HTTP, "proxy", 3128, "alice",
					"pr0xy-pw", null));

		assertThat(settings.toString()).startsWith("AsyncApiClientSettings[baseUrl=https://api.example.com/v1, ")
			.contains("Authorization:\"******\"", "X-Partner-Pin:\"******\"", "Accept:\"application/json\"",
					"username=alice")
			.doesNotContain("t0k3n", "1234", "pr0xy-pw");
	}

	@Test
	void masksValuesOfSensitiveHeadersOnly() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Authorization", "Bearer t0k3n");
		headers.add("Accept", "application/json");
		headers.add("X-Partner-Pin", "1234");
		SensitiveHeaders sensitive = SensitiveHeaders.builtIn().and(List.of("x-partner-*"));
		assertThat(SafeText.headers(headers, sensitive))
			.isEqualTo("[Authorization:\"******\", Accept:\"application/json\", X-Partner-Pin:\"******\"]");
		assertThat(SafeText.headers(Map.of("Cookie", List.of("a=1", "b=2")), sensitive))
			.isEqualTo("[Cookie:\"******\", \"******\"]");
	}

}
