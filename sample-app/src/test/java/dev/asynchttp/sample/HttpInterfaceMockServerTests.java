package dev.asynchttp.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How to test your own HTTP interface client: start a mock server on 127.0.0.1, point the
 * client's {@code base-url} at it, and call the interface bean. The calls take the real
 * client path (retries, deadline, typed errors), so the test shows what production does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class HttpInterfaceMockServerTests {

	private static final Duration BLOCK = Duration.ofSeconds(20);

	private static final List<String> requests = new CopyOnWriteArrayList<>();

	/** Kept apart: the sample's startup crawl calls the demo upstream too. */
	private static final List<String> demoRequests = new CopyOnWriteArrayList<>();

	private static final AtomicInteger unavailable = new AtomicInteger();

	/** A mock of both upstreams; started before the context, as the base URLs need its port. */
	private static final DisposableServer mock = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes.get("/repos/{owner}/{repo}", (request, response) -> {
			requests.add(request.uri() + " UA=" + request.requestHeaders().get("User-Agent"));
			if (request.param("repo").equals("flaky") && unavailable.getAndIncrement() < 2) {
				return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
			}
			if (request.param("repo").equals("missing")) {
				return response.status(HttpResponseStatus.NOT_FOUND).send();
			}
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"full_name\":\"" + request.param("owner") + "/" + request.param("repo")
						+ "\",\"stargazers_count\":42}"));
		}).get("/demo/delay/{ms}", (request, response) -> {
			demoRequests.add(request.uri());
			return response.header("Content-Type", "application/json")
				.sendString(Mono.just("{\"delayMs\":" + request.param("ms") + ",\"id\":\"mock\"}"));
		}))
		.bindNow(Duration.ofSeconds(10));

	@DynamicPropertySource
	static void pointClientsAtTheMock(DynamicPropertyRegistry registry) {
		String url = "http://127.0.0.1:" + mock.port();
		registry.add("async-http.clients.github.base-url", () -> url);
		registry.add("async-http.clients.demo.base-url", () -> url);
		// Fast retries keep the test short; the rest is the application's own configuration.
		registry.add("async-http.clients.github.retry.backoff.initial", () -> "10ms");
	}

	@AfterAll
	static void stopMock() {
		mock.disposeNow(Duration.ofSeconds(5));
	}

	@Autowired
	private GitHubApi github;

	@Autowired
	private DemoApi demo;

	@BeforeEach
	void reset() {
		requests.clear();
		unavailable.set(0);
	}

	@Test
	void interfaceCallReachesTheMockWithTheClientsDefaultHeaders() {
		Map<String, Object> repository = this.github.repository("spring-projects", "spring-boot");
		assertThat(repository).containsEntry("full_name", "spring-projects/spring-boot");
		assertThat(requests).containsExactly("/repos/spring-projects/spring-boot UA=AsyncClient/1.0");
	}

	@Test
	void serviceUnavailableIsRetriedByTheClient() {
		assertThat(this.github.repository("acme", "flaky")).containsEntry("full_name", "acme/flaky");
		assertThat(requests).hasSize(3);
	}

	@Test
	void anErrorStatusFailsTyped() {
		assertThat(catchThrowable(() -> this.github.repository("acme", "missing")))
			.isInstanceOf(WebClientResponseException.NotFound.class);
	}

	@Test
	void reactiveInterfaceWorksTheSameWay() {
		DemoApi.Delay delay = this.demo.delay(25, "x").block(BLOCK);
		assertThat(delay).isEqualTo(new DemoApi.Delay(25, "mock"));
		assertThat(demoRequests).contains("/demo/delay/25?id=x");
	}

}
