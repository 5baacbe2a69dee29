package dev.asynchttp.client;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import dev.asynchttp.client.LocalHttpsServer.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.noRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of https against a local server with certificates generated for the test: the JDK
 * trust store refuses them, an SSL bundle trusts them with hostname verification on, an
 * updated bundle is used for new connections, and {@code insecure-trust-all} accepts
 * anything and says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsTests {

	private static final String BUNDLE = "api-tls";

	private static Certificate localhost;

	private static Certificate otherHost;

	private static Certificate stranger;

	private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();

	@BeforeAll
	static void generateCertificates(@TempDir Path directory) throws Exception {
		localhost = LocalHttpsServer.generate(directory, "localhost", "dns:localhost");
		otherHost = LocalHttpsServer.generate(directory, "other", "dns:other.invalid");
		stranger = LocalHttpsServer.generate(directory, "stranger", "dns:localhost");
	}

	@Test
	void certificateTheJdkDoesNotTrustFailsTheCallUnsentWithATypedConnectError() throws Exception {
		try (LocalHttpsServer server = LocalHttpsServer.start(localhost);
				AsyncApiClients clients = clients(settings())) {
			assertThatExceptionOfType(AsyncHttpConnectException.class)
				.isThrownBy(() -> clients.get(NAME).get(server.url("/things"), String.class).block(BLOCK))
				.satisfies((ex) -> {
					assertThat(ex.getRequestState()).isEqualTo(RequestState.NOT_SENT);
					assertThat(ex).hasCauseInstanceOf(SSLHandshakeException.class);
				});
			assertThat(server.requests()).isZero();
		}
	}

	@Test
	void certificateTrustedThroughABundleIsAccepted() throws Exception {
		this.bundles.registerBundle(BUNDLE, localhost.trustingBundle());
		try (LocalHttpsServer server = LocalHttpsServer.start(localhost);
				AsyncApiClients clients = clients(settings().withSslBundle(BUNDLE))) {
			assertThat(clients.get(NAME).get(server.url("/things"), String.class).block(BLOCK)).isEqualTo("secure");
			assertThat(server.requests()).isEqualTo(1);
		}
	}

	@Test
	void bundleKeepsHostnameVerificationOnSoATrustedCertificateForAnotherHostFails() throws Exception {
		this.bundles.registerBundle(BUNDLE, otherHost.trustingBundle());
		try (LocalHttpsServer server = LocalHttpsServer.start(otherHost);
				AsyncApiClients clients = clients(settings().withSslBundle(BUNDLE))) {
			assertThatExceptionOfType(AsyncHttpConnectException.class)
				.isThrownBy(() -> clients.get(NAME).get(server.url("/things"), String.class).block(BLOCK))
				.satisfies((ex) -> assertThat(ex).hasRootCauseInstanceOf(CertificateException.class)
					.rootCause()
					.hasMessageContaining("localhost"));
			assertThat(server.requests()).isZero();
		}
	}

	@Test
	void updatedBundleIsUsedForNewConnectionsWithoutARestart(CapturedOutput output) throws Exception {
		this.bundles.registerBundle(BUNDLE, stranger.trustingBundle());
		try (LocalHttpsServer server = LocalHttpsServer.start(localhost);
				AsyncApiClients clients = clients(settings().withSslBundle(BUNDLE))) {
			AsyncApiClient client = clients.get(NAME);
			assertThatExceptionOfType(AsyncHttpConnectException.class)
				.isThrownBy(() -> client.get(server.url("/before"), String.class).block(BLOCK));
			this.bundles.updateBundle(BUNDLE, localhost.trustingBundle());
			assertThat(client.get(server.url("/after"), String.class).block(BLOCK)).isEqualTo("secure");
			assertThat(server.requests()).isEqualTo(1);
			assertThat(output).contains("Client 'api' uses the updated SSL bundle 'api-tls' for its new connections");
		}
	}

	@Test
	void insecureTrustAllAcceptsAnyCertificateForAnyHostAndWarnsNamingTheClient(CapturedOutput output)
			throws Exception {
		try (LocalHttpsServer server = LocalHttpsServer.start(otherHost);
				AsyncApiClients clients = clients(settings().withSslInsecureTrustAll(true))) {
			assertThat(output).containsPattern("WARN .*Client 'api' trusts every server certificate and checks no"
					+ " host name \\(ssl.insecure-trust-all\\)");
			assertThat(clients.get(NAME).get(server.url("/things"), String.class).block(BLOCK)).isEqualTo("secure");
		}
	}

	@Test
	void bundleAndInsecureTrustAllTogetherAreRefused() throws Exception {
		this.bundles.registerBundle(BUNDLE, localhost.trustingBundle());
		AsyncApiClientSettings settings = settings().withSslBundle(BUNDLE).withSslInsecureTrustAll(true);
		assertThatIllegalArgumentException().isThrownBy(() -> factory().create(NAME, settings))
			.withMessageContaining("Client 'api': an SSL bundle ('api-tls') and insecure trust-all are both set");
	}

	private static AsyncApiClientSettings settings() {
		return AsyncApiClientSettings.empty().withRetry(noRetries());
	}

	private AsyncApiClients clients(AsyncApiClientSettings settings) {
		return new AsyncApiClients(Map.of(NAME, settings), factory(), Duration.ofSeconds(1));
	}

	private AsyncApiClientFactory factory() {
		return new AsyncApiClientFactory(WebClient::builder, null, this.bundles, List.of(),
				new AsyncApiClientObserver() {
				}, Clock.systemUTC(), null);
	}

}
