package dev.asynchttp.autoconfigure.metrics;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValues;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncApiClientRequestObservationConventionTests {

	private final AsyncApiClientRequestObservationConvention convention =
			new AsyncApiClientRequestObservationConvention("http.client.requests", "billing", 10);

	@Test
	void queryValuesAndUserInfoNeverReachTheUriTagOrTheUrl() {
		ClientRequest.Builder builder = ClientRequest.create(HttpMethod.GET,
				URI.create("http://user:pw@127.0.0.1:8080/items/42?api_key=k3y&sig=s1g"));
		ClientRequestObservationContext context = new ClientRequestObservationContext(builder);
		context.setRequest(builder.build());
		context.setUriTemplate("/items/{id}?api_key=k3y&sig={sig}");

		assertThat(this.convention.getLowCardinalityKeyValues(context).stream())
			.anySatisfy((keyValue) -> {
				assertThat(keyValue.getKey()).isEqualTo("uri");
				assertThat(keyValue.getValue()).isEqualTo("/items/{id}?api_key=***&sig=***");
			});
		assertThat(this.convention.getHighCardinalityKeyValues(context).stream()).singleElement()
			.satisfies((keyValue) -> assertThat(keyValue.getValue())
				.isEqualTo("http://127.0.0.1:8080/items/42?api_key=***&sig=***"));
	}

	@Test
	void aTemplateWithoutQueryIsTaggedAsItIs() {
		ClientRequest.Builder builder = ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/items/42"));
		ClientRequestObservationContext context = new ClientRequestObservationContext(builder);
		context.setRequest(builder.build());
		context.setUriTemplate("/items/{id}");

		assertThat(this.convention.getLowCardinalityKeyValues(context).stream())
			.anySatisfy((keyValue) -> {
				assertThat(keyValue.getKey()).isEqualTo("uri");
				assertThat(keyValue.getValue()).isEqualTo("/items/{id}");
			});
	}

	@Test
	void templatesPastTheCapStayOverflowWhileTheCountedOnesKeepTheirTag() {
		AsyncApiClientRequestObservationConvention capped = new AsyncApiClientRequestObservationConvention(
				"http.client.requests", "billing", 2);

		assertThat(uriTag(capped, "/a/{id}")).isEqualTo("/a/{id}");
		assertThat(uriTag(capped, "/b/{id}?key={key}")).isEqualTo("/b/{id}?key=***");
		assertThat(uriTag(capped, "/c/{id}")).isEqualTo(AsyncApiClientRequestObservationConvention.OVERFLOW);
		assertThat(uriTag(capped, "/c/{id}")).isEqualTo(AsyncApiClientRequestObservationConvention.OVERFLOW);
		assertThat(uriTag(capped, "/a/{id}")).isEqualTo("/a/{id}");
		assertThat(uriTag(capped, "/b/{id}?key={key}")).isEqualTo("/b/{id}?key=***");
		assertThat(uriTag(capped, null)).isEqualTo("none");
	}

	@Test
	void givesSpringsMethodStatusOutcomeAndContextualNameForEveryMethodAndStatus() {
		DefaultClientRequestObservationConvention spring = new DefaultClientRequestObservationConvention();
		List<HttpMethod> methods = new ArrayList<>(List.of(HttpMethod.values()));
		methods.add(HttpMethod.valueOf("PROPFIND"));
		for (HttpMethod method : methods) {
			for (int status : new int[] { 0, 100, 200, 204, 301, 404, 429, 503, 599, 600, 999 }) {
				for (Throwable error : new Throwable[] { null, new IOException("reset"), new IllegalStateException() {
				} }) {
					ClientRequestObservationContext context = context(method, status);
					context.setError(error);
					for (int twice = 0; twice < 2; twice++) {
						assertThat(tags(this.convention.getLowCardinalityKeyValues(context)))
							.isEqualTo(tags(spring.getLowCardinalityKeyValues(context))
								.replaceFirst("client.name=[^,]*", "client.name=billing"));
						assertThat(this.convention.getContextualName(context))
							.isEqualTo(spring.getContextualName(context));
					}
				}
			}
		}
		ClientRequestObservationContext notStarted = new ClientRequestObservationContext(
				ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/x")));
		notStarted.setRequest(null);
		assertThat(this.convention.getContextualName(notStarted)).isNull();
		assertThat(tags(this.convention.getLowCardinalityKeyValues(notStarted)))
			.isEqualTo(tags(spring.getLowCardinalityKeyValues(notStarted)).replaceFirst("client.name=[^,]*",
					"client.name=billing"));
	}

	@Test
	void givesTheSameSetForTheSameValuesAndAnotherForOthers() {
		KeyValues ok = this.convention.getLowCardinalityKeyValues(context(HttpMethod.GET, 200));
		assertThat(this.convention.getLowCardinalityKeyValues(context(HttpMethod.GET, 200))).isSameAs(ok);
		KeyValues failed = this.convention.getLowCardinalityKeyValues(context(HttpMethod.GET, 503));
		assertThat(failed).isNotEqualTo(ok);
		assertThat(this.convention.getLowCardinalityKeyValues(context(HttpMethod.GET, 503))).isSameAs(failed);
		assertThat(this.convention.getLowCardinalityKeyValues(context(HttpMethod.POST, 200))).isNotEqualTo(ok);
	}

	@Test
	void keepsTheUrlOfARequestFromItsStartToItsStop() {
		ClientRequestObservationContext first = context(HttpMethod.GET, 0);
		KeyValues atStart = this.convention.getHighCardinalityKeyValues(first);
		first.setResponse(ClientResponse.create(HttpStatusCode.valueOf(200)).build());
		assertThat(this.convention.getHighCardinalityKeyValues(first)).isSameAs(atStart);
		assertThat(tags(atStart)).isEqualTo("http.url=http://127.0.0.1/x/1");
		ClientRequest.Builder other = ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/x/2?key=k"));
		ClientRequestObservationContext second = new ClientRequestObservationContext(other);
		assertThat(tags(this.convention.getHighCardinalityKeyValues(second)))
			.isEqualTo("http.url=http://127.0.0.1/x/2?key=***");
	}

	private static ClientRequestObservationContext context(HttpMethod method, int status) {
		ClientRequest.Builder builder = ClientRequest.create(method, URI.create("http://127.0.0.1/x/1"));
		ClientRequestObservationContext context = new ClientRequestObservationContext(builder);
		context.setRequest(builder.build());
		context.setUriTemplate("/x/{id}");
		if (status != 0) {
			context.setResponse(ClientResponse.create(HttpStatusCode.valueOf(status)).build());
		}
		return context;
	}

	private static String tags(KeyValues keyValues) {
		return keyValues.stream()
			.map((keyValue) -> keyValue.getKey() + "=" + keyValue.getValue())
			.collect(Collectors.joining(","));
	}

	private static String uriTag(AsyncApiClientRequestObservationConvention convention, String template) {
		ClientRequest.Builder builder = ClientRequest.create(HttpMethod.GET, URI.create("http://127.0.0.1/x/1"));
		ClientRequestObservationContext context = new ClientRequestObservationContext(builder);
		context.setRequest(builder.build());
		context.setUriTemplate(template);
		return convention.getLowCardinalityKeyValues(context)
			.stream()
			.filter((keyValue) -> keyValue.getKey().equals("uri"))
			.findFirst()
			.orElseThrow()
			.getValue();
	}

}
