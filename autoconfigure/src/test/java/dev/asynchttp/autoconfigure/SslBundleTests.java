package dev.asynchttp.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.AsyncHttpConnectException;
import dev.asynchttp.client.LocalHttpsServer;
import dev.asynchttp.client.LocalHttpsServer.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@code ssl.bundle} and {@code ssl.insecure-trust-all} through the
 * auto-configuration and Spring Boot's own SSL bundles, against a local HTTPS server: a PEM
 * bundle registered with {@code reload-on-update} is picked up for new connections when its
 * file changes, without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class SslBundleTests {

	private static Certificate server;

	private static Certificate stranger;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AsyncHttpAutoConfiguration.class))
		.withPropertyValues("async-http.clients.api.retry.enabled=false");

	@BeforeAll
	static void generateCertificates(@TempDir Path directory) throws Exception {
		server = LocalHttpsServer.generate(directory, "server", "dns:localhost");
		stranger = LocalHttpsServer.generate(directory, "stranger", "dns:localhost");
	}

	@Test
	void bundleReloadedOnUpdateIsUsedForNewConnectionsWithoutARestart(@TempDir Path directory) throws Exception {
		Path trusted = directory.resolve("trusted.pem");
		Files.writeString(trusted, stranger.pem());
		try (LocalHttpsServer https = LocalHttpsServer.start(server)) {
			this.contextRunner
				.withPropertyValues("spring.ssl.bundle.pem.api.truststore.certificate=file:" + trusted,
						"spring.ssl.bundle.pem.api.reload-on-update=true",
						"spring.ssl.bundle.watch.file.quiet-period=100ms", "async-http.clients.api.ssl.bundle=api")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					AsyncApiClient client = context.getBean(AsyncApiClients.class).get("api");
					assertThatExceptionOfType(AsyncHttpConnectException.class)
						.isThrownBy(() -> client.get(https.url("/before"), String.class).block(Duration.ofSeconds(20)));
					Files.writeString(trusted, server.pem());
					await().atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(500))
						.ignoreException(AsyncHttpConnectException.class)
						.untilAsserted(() -> assertThat(client.get(https.url("/after"), String.class)
							.block(Duration.ofSeconds(20))).isEqualTo("secure"));
					assertThat(https.requests()).isEqualTo(1);
				});
		}
	}

	@Test
	void insecureTrustAllWarnsNamingTheClientAtStartupAndAcceptsAnUntrustedCertificate(CapturedOutput output)
			throws Exception {
		try (LocalHttpsServer https = LocalHttpsServer.start(stranger)) {
			this.contextRunner.withPropertyValues("async-http.clients.api.ssl.insecure-trust-all=true")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(output).containsPattern("WARN .*Client 'api' trusts every server certificate");
					assertThat(context.getBean(AsyncApiClients.class)
						.get("api")
						.get(https.url("/things"), String.class)
						.block(Duration.ofSeconds(20))).isEqualTo("secure");
				});
		}
	}

	@Test
	void clientWithoutTlsSettingsLogsNoTrustAllWarning(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(AsyncApiClients.class).get("api");
			assertThat(output).doesNotContain("trusts every server certificate");
		});
	}

}
