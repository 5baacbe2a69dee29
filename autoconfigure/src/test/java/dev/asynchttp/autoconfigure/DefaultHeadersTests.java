package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.asynchttp.client.AsyncApiClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests that configured default headers reach a real server as written: a value holding
 * commas is one header line, an indexed list one line per value, and a header named in two
 * layers with different case is sent once.
 */
class DefaultHeadersTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class));

	private final Map<String, List<String>> received = new ConcurrentHashMap<>();

	private DisposableServer server;

	@BeforeEach
	void startServer() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			for (String name : request.requestHeaders().names()) {
				this.received.put(name.toLowerCase(java.util.Locale.ROOT), request.requestHeaders().getAll(name));
			}
			return response.sendString(Mono.just("ok"));
		}).bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Test
	void headerValueHoldingACommaIsSentAsOneValue() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=http://127.0.0.1:" + this.server.port(),
					"async-http.clients.a.default-headers.User-Agent=Foo/1.0 (x, y)",
					"async-http.clients.a.default-headers[Accept-Language]=de, en;q=0.5")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AsyncApiClients.class).get("a").settings().defaultHeaders())
					.containsEntry("User-Agent", List.of("Foo/1.0 (x, y)"));
				call(context.getBean(AsyncApiClients.class));
				assertThat(this.received).contains(entry("user-agent", List.of("Foo/1.0 (x, y)")),
						entry("accept-language", List.of("de, en;q=0.5")));
			});
	}

	@Test
	void indexedHeaderValuesAreSentOncePerValueInOrder() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=http://127.0.0.1:" + this.server.port(),
					"async-http.clients.a.default-headers.X-Tag[0]=one, uno",
					"async-http.clients.a.default-headers.X-Tag[1]=two")
			.run((context) -> {
				call(context.getBean(AsyncApiClients.class));
				assertThat(this.received).containsEntry("x-tag", List.of("one, uno", "two"));
			});
	}

	@Test
	void headerNameHoldingDotsIsKeptWithOrWithoutBrackets() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=http://127.0.0.1:" + this.server.port(),
					"async-http.clients.a.default-headers[X.Bracketed]=1",
					"async-http.clients.a.default-headers.X.Dotted=2")
			.run((context) -> {
				assertThat(context.getBean(AsyncApiClients.class).get("a").settings().defaultHeaders())
					.containsOnly(entry("X.Bracketed", List.of("1")), entry("X.Dotted", List.of("2")));
				call(context.getBean(AsyncApiClients.class));
				assertThat(this.received).contains(entry("x.bracketed", List.of("1")), entry("x.dotted", List.of("2")));
			});
	}

	@Test
	void headerNamedInTwoLayersWithDifferentCaseIsSentOnceWithTheClientsValue() {
		this.contextRunner
			.withPropertyValues("async-http.clients.a.base-url=http://127.0.0.1:" + this.server.port(),
					"async-http.defaults.default-headers.User-Agent=Lib/1.0 (defaults, shared)",
					"async-http.clients.a.default-headers.user-agent=App/2.0 (client)")
			.run((context) -> {
				call(context.getBean(AsyncApiClients.class));
				assertThat(this.received).containsEntry("user-agent", List.of("App/2.0 (client)"));
			});
	}

	private static void call(AsyncApiClients clients) {
		assertThat(clients.get("a").get("/anything", String.class).block(Duration.ofSeconds(10))).isEqualTo("ok");
	}

}
