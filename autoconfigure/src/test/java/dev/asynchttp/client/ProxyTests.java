package dev.asynchttp.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.asynchttp.client.AsyncApiClientSettings.Proxy;
import dev.asynchttp.client.AsyncApiClientSettings.ProxyType;
import dev.asynchttp.client.RecordingProxy.Kind;
import dev.asynchttp.testsupport.ReactorTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.clients;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that a client's connections go through its proxy, with its credentials, against a
 * recording proxy and a real server, and that hosts matching {@code non-proxy-hosts} are
 * reached directly.
 */
class ProxyTests {

	private ReactorTestServer upstream;

	private int upstreamPort;

	@BeforeEach
	void startUpstream() {
		this.upstream = ReactorTestServer.start((request, response) -> response
			.sendString(Mono.just("reached " + request.uri() + " via " + request.requestHeaders().get("Host"))));
		this.upstreamPort = URI.create(this.upstream.url("/")).getPort();
	}

	@AfterEach
	void stopUpstream() {
		this.upstream.close();
	}

	@Test
	void httpProxyTunnelsTheCallAndReceivesBasicCredentials() throws Exception {
		try (RecordingProxy proxy = RecordingProxy.start(Kind.HTTP, "user:s3cr3t");
				AsyncApiClients clients = clients(settings(new Proxy(ProxyType.HTTP, "127.0.0.1", proxy.port(), "user",
						"s3cr3t", null)))) {
			String body = clients.get(NAME).get("/things/{id}", String.class, 7).block(BLOCK);
			assertThat(body).isEqualTo("reached /things/7 via 127.0.0.1:" + this.upstreamPort);
			assertThat(proxy.targets()).containsExactly("127.0.0.1:" + this.upstreamPort);
			assertThat(proxy.authorizations()).containsExactly(
					"Basic " + Base64.getEncoder().encodeToString("user:s3cr3t".getBytes(StandardCharsets.UTF_8)));
			assertThat(proxy.forwardedBytes()).isPositive();
			assertThat(this.upstream.requests()).isEqualTo(1);
			assertThat(clients.get(NAME).settings().toString()).doesNotContain("s3cr3t");
		}
	}

	@Test
	void httpProxyRefusingTheCredentialsEndsTheCallUnsentWithoutShowingThePassword() throws Exception {
		try (RecordingProxy proxy = RecordingProxy.start(Kind.HTTP, "user:right");
				AsyncApiClients clients = clients(settings(new Proxy(ProxyType.HTTP, "127.0.0.1", proxy.port(), "user",
						"wr0ng-pa55", null)).withRetry(noRetries()))) {
			assertThatExceptionOfType(AsyncHttpConnectException.class)
				.isThrownBy(() -> clients.get(NAME).get("/things", String.class).block(BLOCK))
				.satisfies((ex) -> {
					assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
					assertThat(ex.getMessage()).contains("through the proxy").contains("407");
					assertThat(stackTraceOf(ex)).doesNotContain("wr0ng-pa55");
				});
			assertThat(proxy.targets()).containsExactly("127.0.0.1:" + this.upstreamPort);
			assertThat(this.upstream.requests()).isZero();
		}
	}

	@Test
	void socks5ProxyTunnelsTheCallWithUserNameAndPassword() throws Exception {
		try (RecordingProxy proxy = RecordingProxy.start(Kind.SOCKS5, "user:s3cr3t");
				AsyncApiClients clients = clients(settings(new Proxy(ProxyType.SOCKS5, "127.0.0.1", proxy.port(),
						"user", "s3cr3t", null)))) {
			String body = clients.get(NAME).get("/things", String.class).block(BLOCK);
			assertThat(body).isEqualTo("reached /things via 127.0.0.1:" + this.upstreamPort);
			assertThat(proxy.targets()).containsExactly("127.0.0.1:" + this.upstreamPort);
			assertThat(proxy.authorizations()).containsExactly("user:s3cr3t");
			assertThat(this.upstream.requests()).isEqualTo(1);
		}
	}

	@Test
	void socks5ProxyRefusingTheCredentialsEndsTheCallUnsent() throws Exception {
		try (RecordingProxy proxy = RecordingProxy.start(Kind.SOCKS5, "user:right");
				AsyncApiClients clients = clients(settings(new Proxy(ProxyType.SOCKS5, "127.0.0.1", proxy.port(),
						"user", "wr0ng-pa55", null)).withRetry(noRetries()))) {
			assertThatExceptionOfType(AsyncHttpConnectException.class)
				.isThrownBy(() -> clients.get(NAME).get("/things", String.class).block(BLOCK))
				.satisfies((ex) -> {
					assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
					assertThat(ex.getMessage()).contains("through the proxy");
					assertThat(stackTraceOf(ex)).doesNotContain("wr0ng-pa55");
				});
			assertThat(proxy.targets()).isEmpty();
			assertThat(this.upstream.requests()).isZero();
		}
	}

	@Test
	void hostsMatchingNonProxyHostsAreReachedDirectly() throws Exception {
		try (RecordingProxy proxy = RecordingProxy.start(Kind.HTTP, null);
				AsyncApiClients clients = clients(AsyncApiClientSettings.empty()
					.withProxy(new Proxy(ProxyType.HTTP, "127.0.0.1", proxy.port(), null, null, "127\\.0\\.0\\.1")))) {
			AsyncApiClient client = clients.get(NAME);
			assertThat(client.get("http://127.0.0.1:" + this.upstreamPort + "/direct", String.class).block(BLOCK))
				.startsWith("reached /direct");
			assertThat(proxy.targets()).isEmpty();
			assertThat(client.get("http://localhost:" + this.upstreamPort + "/proxied", String.class).block(BLOCK))
				.startsWith("reached /proxied");
			assertThat(proxy.targets()).containsExactly("localhost:" + this.upstreamPort);
			assertThat(proxy.authorizations()).containsExactly("");
			assertThat(this.upstream.requests()).isEqualTo(2);
		}
	}

	private AsyncApiClientSettings settings(Proxy proxy) {
		return AsyncApiClientSettings.empty()
			.withBaseUrl(URI.create("http://127.0.0.1:" + this.upstreamPort))
			.withProxy(proxy);
	}

	private static String stackTraceOf(Throwable ex) {
		java.io.StringWriter text = new java.io.StringWriter();
		ex.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
	}

}
