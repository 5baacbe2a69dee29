package dev.asynchttp.client;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.asynchttp.testsupport.CountingHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.http.HttpMethod;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * URI templates and variables cannot make a client leave its base URL, and unsafe input is
 * refused before anything reaches the server; checked on the request line the server got.
 */
@Timeout(60)
class UriSafetyTests {

	private CountingHttpServer server;

	private AsyncApiClients clients;

	private AsyncApiClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = CountingHttpServer.start();
		this.clients = ClientTestSupport
			.clients(AsyncApiClientSettings.empty().withBaseUrl(this.server.uri("/api")));
		this.client = this.clients.get(ClientTestSupport.NAME);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void hostileUriVariablesAreEncodedAndStayUnderTheBasePath() {
		Map<String, String> expectedTargets = Map.of("@evil.com", "/api/%40evil.com", "//evil.com/x",
				"/api/%2F%2Fevil.com%2Fx", "http://evil/x", "/api/http%3A%2F%2Fevil%2Fx", "a/b", "/api/a%2Fb",
				"x?admin=1", "/api/x%3Fadmin%3D1", "x#f", "/api/x%23f");
		List<String> variables = List.of("@evil.com", "//evil.com/x", "http://evil/x", "a/b", "x?admin=1", "x#f");

		for (String variable : variables) {
			assertThat(this.client.get("/{id}", String.class, variable).block(BLOCK)).isEqualTo("ok");
		}

		assertThat(this.server.requestTargets()).hasSize(variables.size())
			.allSatisfy((target) -> assertThat(target).startsWith("/api/"))
			.containsExactlyElementsOf(variables.stream().map(expectedTargets::get).toList());
	}

	@Test
	void thePlainWebClientEncodesVariablesAndRefusesHostChangingTemplatesToo() {
		assertThat(this.client.webClient().get().uri("/{id}", "//evil.com/x").retrieve().bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");
		for (String template : List.of("//evil.com/x", "http://evil/x", "@evil.com")) {
			assertThatIllegalArgumentException().as(template)
				.isThrownBy(() -> this.client.webClient().get().uri(template).retrieve().bodyToMono(String.class)
					.block(BLOCK));
		}

		assertThat(this.server.requestTargets()).containsExactly("/api/%2F%2Fevil.com%2Fx");
	}

	@Test
	void hostileQueryParameterValuesAreEncoded() {
		assertThat(this.client.request(HttpMethod.GET, "/search")
			.queryParam("q", "a&admin=1#x")
			.bodyToMono(String.class)
			.block(BLOCK)).isEqualTo("ok");

		assertThat(this.server.requestTargets()).containsExactly("/api/search?q=a%26admin%3D1%23x");
	}

	@Test
	void templatesThatWouldChangeTheHostAreRejectedBeforeAnythingIsSent() {
		for (String template : List.of("//evil.com/x", "http://evil/x", "@evil.com")) {
			Throwable failure = failureOf(this.client.get(template, String.class));

			assertThat(failure).as(template).isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class, (ex) -> {
				assertThat(ex.isNotSent()).isTrue();
				assertThat(ex.getUriTemplate()).isEqualTo(template);
			});
		}
		assertThat(this.server.acceptedConnections()).isZero();
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void dotSegmentVariablesAreRejectedBeforeAnythingIsSent() {
		for (String variable : List.of(".", "..")) {
			Throwable failure = failureOf(this.client.get("/{id}", String.class, variable));

			assertThat(failure).as(variable)
				.isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
						(ex) -> assertThat(ex.isNotSent()).isTrue());
		}
		assertThat(this.server.acceptedConnections()).isZero();
		assertThat(this.server.requestCount()).isZero();
	}

	@Test
	void headerValueWithLineBreaksIsRejectedBeforeSendingWithoutRepeatingTheValue() {
		String value = "s3cr3t-token\r\nX-Injected: yes";

		Throwable viaHeader = failureOf(
				this.client.request(HttpMethod.GET, "/items").header("X-Api-Key", value).bodyToMono(String.class));
		Throwable viaHeaders = failureOf(this.client.request(HttpMethod.GET, "/items")
			.headers((headers) -> headers.set("X-Api-Key", value))
			.bodyToMono(String.class));

		assertThat(List.of(viaHeader, viaHeaders)).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class, (ex) -> {
				assertThat(ex.isNotSent()).isTrue();
				assertThat(ex.getMessage()).contains("X-Api-Key")
					.doesNotContain("s3cr3t-token")
					.doesNotContain("X-Injected");
			}));
		assertThat(this.server.acceptedConnections()).isZero();
		assertThat(this.server.requestCount()).isZero();
	}

}
