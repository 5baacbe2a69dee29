package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ObservationCarrier}: it reads, writes and builds as Spring's
 * {@code ClientRequest.create(method, uri)} with the call's headers and template does, and
 * makes the headers only when they are touched.
 */
class ObservationCarrierTests {

	private static final URI URL = URI.create("http://127.0.0.1:8080/items/7");

	private static final String TEMPLATE = "/items/{id}";

	private static final Consumer<HttpHeaders> CALL_HEADERS = (headers) -> {
		headers.add("X-Own", "mine");
		headers.add(HttpHeaders.ACCEPT, "application/json");
	};

	@Test
	void leavesTheHeadersAloneWhileNoOneTouchesThem() {
		ObservationCarrier carrier = carrier();
		ClientRequest request = carrier.build();
		assertThat(request.method()).isEqualTo(HttpMethod.GET);
		assertThat(request.url()).isEqualTo(URL);
		assertThat(carrier.headersTouched()).isFalse();
		assertThat(request.headers().toSingleValueMap()).containsEntry("X-Own", "mine");
		assertThat(carrier.headersTouched()).isTrue();
	}

	@Test
	void givesTheSameHeadersAttributesAndCookiesAsSpringsBuilder() {
		ObservationCarrier carrier = carrier();
		ClientRequest.Builder spring = springBuilder();
		for (ClientRequest.Builder builder : new ClientRequest.Builder[] { carrier, spring }) {
			builder.header("X-Propagated", "span").cookie("session", "abc").attribute("extra", 1);
		}
		ClientRequest ours = carrier.build();
		ClientRequest theirs = spring.build();
		assertThat(ours.headers()).isEqualTo(theirs.headers());
		assertThat(ours.cookies()).isEqualTo(theirs.cookies());
		assertThat(ours.attributes()).containsOnlyKeys(theirs.attributes().keySet())
			.containsEntry(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, TEMPLATE)
			.containsEntry("extra", 1);
		assertThat(ours.logPrefix()).isEqualTo("[" + ours.attributes().get(ClientRequest.LOG_ID_ATTRIBUTE) + "] ");
		assertThat(carrier.build().logPrefix()).isEqualTo(ours.logPrefix());
	}

	@Test
	void showsLaterWritesInRequestsBuiltBeforeThemAndRefusesWritesThroughARequest() {
		ObservationCarrier carrier = carrier();
		ClientRequest before = carrier.build();
		carrier.headers((headers) -> headers.set("X-Propagated", "span"));
		assertThat(before.headers().getFirst("X-Propagated")).isEqualTo("span");
		assertThat(carrier.build().headers().getFirst("X-Propagated")).isEqualTo("span");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> before.headers().set("X-Other", "no"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> before.attributes().put("other", "no"));
	}

	@Test
	void keepsMethodAndUrlOfEachBuildAsSpringsRequestsDo() {
		ObservationCarrier carrier = carrier();
		ClientRequest first = carrier.build();
		carrier.method(HttpMethod.HEAD).url(URI.create("http://127.0.0.1:8080/other"));
		ClientRequest second = carrier.build();
		assertThat(first.method()).isEqualTo(HttpMethod.GET);
		assertThat(first.url()).isEqualTo(URL);
		assertThat(second.method()).isEqualTo(HttpMethod.HEAD);
		assertThat(second.url().getPath()).isEqualTo("/other");
	}

	@Test
	void writesToAnHttpRequestAsSpringsRequestDoes() {
		ObservationCarrier carrier = carrier();
		ClientRequest.Builder spring = springBuilder();
		MockClientHttpRequest ours = new MockClientHttpRequest(HttpMethod.GET, URL);
		MockClientHttpRequest theirs = new MockClientHttpRequest(HttpMethod.GET, URL);
		for (ClientRequest.Builder builder : new ClientRequest.Builder[] { carrier, spring }) {
			builder.cookie("session", "abc").httpRequest((request) -> request.getHeaders().set("X-Seen", "yes"));
		}
		carrier.build().writeTo(ours, ExchangeStrategies.withDefaults()).block(Duration.ofSeconds(5));
		spring.build().writeTo(theirs, ExchangeStrategies.withDefaults()).block(Duration.ofSeconds(5));
		assertThat(ours.getHeaders()).isEqualTo(theirs.getHeaders());
		assertThat(ours.getCookies()).isEqualTo(theirs.getCookies());
		assertThat(ours.getHeaders().getFirst("X-Seen")).isEqualTo("yes");
		assertThat(Map.copyOf(ours.getAttributes())).containsEntry(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, TEMPLATE);
	}

	private static ObservationCarrier carrier() {
		return new ObservationCarrier(HttpMethod.GET, URL, TEMPLATE, CALL_HEADERS);
	}

	private static ClientRequest.Builder springBuilder() {
		return ClientRequest.create(HttpMethod.GET, URL)
			.headers(CALL_HEADERS)
			.attribute(ExchangeErrors.URI_TEMPLATE_ATTRIBUTE, TEMPLATE);
	}

}
