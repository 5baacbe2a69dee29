package dev.asynchttp.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code shared} profile wires the demo client to a shared rate limit. No Redis listens
 * on the port given here, so the app must start anyway, say so in the {@code asynchttp}
 * endpoint, and keep serving with its local limit (the shared behaviour itself is tested
 * against a real Redis in the library's tests).
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("shared")
class SharedProfileTests {

	private static final int PORT = FixedFreePort.pick();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		FixedFreePort.register(registry, PORT);
		registry.add("spring.data.redis.port", () -> FixedFreePort.pick());
	}

	@Autowired
	private WebTestClient webTestClient;

	@Test
	@SuppressWarnings("unchecked")
	void sharedProfileStartsWithoutRedisAndFallsBackToTheLocalLimit() {
		Map<String, Object> demo = this.webTestClient.get()
			.uri("/actuator/asynchttp/demo")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		Map<String, Object> rateLimit = (Map<String, Object>) ((Map<String, Object>) demo.get("settings"))
			.get("rateLimit");
		assertThat(rateLimit).containsEntry("shared", true).containsEntry("sharedKey", "sample-demo");
		Map<String, Object> shared = (Map<String, Object>) ((Map<String, Object>) demo.get("state")).get("shared");
		assertThat(shared).containsEntry("mode", "local-fallback").containsEntry("redis", "down");
		CrawlResult crawl = this.webTestClient.get()
			.uri("/crawl?n=50&delayMs=10")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(CrawlResult.class)
			.returnResult()
			.getResponseBody();
		assertThat(crawl.succeeded()).isEqualTo(50);
	}

}
