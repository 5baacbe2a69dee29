package dev.asynchttp.sample;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.asynchttp.client.AsyncApiClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample on a port picked here, so that the {@code demo} client's
 * {@code base-url: http://localhost:${server.port}} follows it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleApplicationTests {

	private static final int PORT = FixedFreePort.pick();

	@DynamicPropertySource
	static void serverPort(DynamicPropertyRegistry registry) {
		FixedFreePort.register(registry, PORT);
	}

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	@Qualifier("demo")
	private AsyncApiClient demo;

	@Autowired
	@Qualifier("github")
	private AsyncApiClient github;

	@Test
	void demoClientIsInjectableByQualifierAndFollowsTheServerPort() {
		assertThat(this.demo.name()).isEqualTo("demo");
		assertThat(this.demo.settings().baseUrl()).isEqualTo(URI.create("http://localhost:" + PORT));
		assertThat(this.demo.settings().pool().maxConnections()).isEqualTo(200);
		assertThat(this.demo.settings().pool().maxConnectionsPerHost()).isEqualTo(100);
		assertThat(this.demo.settings().pool().maxPending()).isEqualTo(5000);
		assertThat(this.demo.settings().timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.demo.settings().timeouts().read()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.demo.settings().timeouts().total()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void githubClientHasItsPresetAndHeadersWithoutCallingGitHub() {
		assertThat(this.github.name()).isEqualTo("github");
		assertThat(this.github.settings().baseUrl()).isEqualTo(URI.create("https://api.github.com"));
		assertThat(this.github.settings().pool().maxConnections()).isEqualTo(10);
		assertThat(this.github.settings().pool().maxConnectionsPerHost()).isEqualTo(2);
		assertThat(this.github.settings().rateLimit().permitsPerPeriod()).isEqualTo(1);
		assertThat(this.github.settings().retry().maxRetryAfter()).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.github.settings().defaultHeaders()).containsEntry("User-Agent", List.of("AsyncClient/1.0"))
			.containsEntry("Accept", List.of("application/vnd.github+json"));
		assertThat(this.github.settings().timeouts().read()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void crawlSucceedsForEveryUrl() {
		CrawlResult result = crawl("/crawl?n=300&delayMs=20");
		assertThat(result.n()).isEqualTo(300);
		assertThat(result.succeeded()).isEqualTo(300);
		assertThat(result.failed()).isZero();
		assertThat(result.errors()).isEmpty();
		assertThat(result.maxConnections()).isEqualTo(200);
		assertThat(result.maxConnectionsPerHost()).isEqualTo(100);
		// ceil(300 / 100) * 20
		assertThat(result.idealTimeMs()).isEqualTo(60);
		assertThat(result.wallTimeMs()).isPositive();
		assertThat(result.ratio()).isPositive();
	}

	// Last: a pooled connection that has just carried a 503 occasionally never delivers the
	// next response (seen with plain WebClient on Reactor Netty too), which would turn an
	// all-success crawl into a read timeout.
	@Test
	@Order(Integer.MAX_VALUE)
	void failingUrlsAreCountedWithoutFailingTheCrawl() {
		CrawlResult result = crawl("/crawl?n=50&delayMs=10&failEvery=5");
		assertThat(result.n()).isEqualTo(50);
		assertThat(result.succeeded()).isEqualTo(40);
		assertThat(result.failed()).isEqualTo(10);
		assertThat(result.errors()).containsOnlyKeys("WebClientResponseException.ServiceUnavailable")
			.containsEntry("WebClientResponseException.ServiceUnavailable", 10L);
		assertThat(result.idealTimeMs()).isEqualTo(10);
	}

	@Test
	void crawlRejectsOutOfBoundsParameters() {
		this.webTestClient.get().uri("/crawl?n=100001").exchange().expectStatus().isBadRequest();
		this.webTestClient.get().uri("/crawl?n=0").exchange().expectStatus().isBadRequest();
		this.webTestClient.get().uri("/crawl?delayMs=10001").exchange().expectStatus().isBadRequest();
		this.webTestClient.get().uri("/crawl?delayMs=-1").exchange().expectStatus().isBadRequest();
	}

	@Test
	void interfaceEndpointCallsTheDemoUpstreamThroughTheDemoClient() {
		this.webTestClient.get()
			.uri("/interface/demo/delay/5?id=via-interface")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.delayMs")
			.isEqualTo(5)
			.jsonPath("$.id")
			.isEqualTo("via-interface");
	}

	@Test
	void demoUpstreamAnswersDelayStatusAndBytes() {
		this.webTestClient.get()
			.uri("/demo/delay/5?id=abc")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.delayMs")
			.isEqualTo(5)
			.jsonPath("$.id")
			.isEqualTo("abc");
		this.webTestClient.get()
			.uri("/demo/status/418")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.I_AM_A_TEAPOT)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(418);
		byte[] bytes = this.webTestClient.get()
			.uri("/demo/bytes/200000")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentLength(200000)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(bytes).hasSize(200000);
		this.webTestClient.get().uri("/demo/bytes/" + ((1L << 30) + 1)).exchange().expectStatus().isBadRequest();
	}

	@Test
	void downloadReportsBytesSecondsAndThroughputAndDeletesItsFile() throws IOException {
		Set<Path> before = downloadFiles();

		DownloadController.DownloadResult result = this.webTestClient.get()
			.uri("/download?mb=8")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(DownloadController.DownloadResult.class)
			.returnResult()
			.getResponseBody();

		assertThat(result).isNotNull();
		assertThat(result.bytes()).isEqualTo(8L * 1024 * 1024);
		assertThat(result.seconds()).isPositive();
		assertThat(result.mbPerSecond()).isPositive();
		assertThat(downloadFiles()).as("download files left behind").isEqualTo(before);
		this.webTestClient.get().uri("/download?mb=0").exchange().expectStatus().isBadRequest();
		this.webTestClient.get().uri("/download?mb=1025").exchange().expectStatus().isBadRequest();
	}

	private static Set<Path> downloadFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter((file) -> file.getFileName().toString().contains("async-http-download-"))
				.collect(Collectors.toSet());
		}
	}

	private CrawlResult crawl(String uri) {
		CrawlResult result = this.webTestClient.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(CrawlResult.class)
			.returnResult()
			.getResponseBody();
		assertThat(result).isNotNull();
		return result;
	}

}
