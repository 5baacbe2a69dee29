package dev.asynchttp.client.service;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiRequest;
import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpInvalidRequestException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.service.invoker.AbstractReactorHttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.service.invoker.ReactiveHttpRequestValues;
import org.springframework.web.util.UriBuilderFactory;

/**
 * An {@code HttpExchangeAdapter} that sends the calls of an HTTP interface
 * ({@code @HttpExchange}, {@code @GetExchange}, ...) through an {@link AsyncApiClient}, on
 * exactly the path of {@link AsyncApiClient#request}: the client's pool and caps, wait
 * queue, rate limit and cool-downs, retry policy (idempotent methods, and a POST or PATCH
 * with an {@code Idempotency-Key} header parameter), total deadline, typed errors and
 * metrics, whose {@code uri} tag is the interface's URI template.
 * <pre class="code">
 * GitHubApi api = HttpServiceProxyFactory.builderFor(AsyncApiClientAdapter.of(client))
 *     .build()
 *     .createClient(GitHubApi.class);
 * </pre>
 * Reactive return types ({@code Mono}, {@code Flux}, {@code ResponseEntity}, {@code Void})
 * and blocking ones both work. A blocking method waits for the reactive call, which the
 * client's {@code timeouts.total} ends with a typed
 * {@link dev.asynchttp.client.AsyncHttpTimeoutException}, so no block timeout is set.
 * Differences from Spring's {@code WebClientAdapter}: a {@code Publisher} request body is
 * refused (a retried call must be able to send its body again; pass the value),
 * {@code ResponseEntity<Flux<T>>} is decoded in memory as a JSON array (it is retried like
 * any other call), and request attributes are not supported.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientAdapter extends AbstractReactorHttpExchangeAdapter {

	/**
	 * Prefix of the URI variables that {@link HttpRequestValues} adds for request
	 * parameters, appended to the URI template.
	 */
	private static final String QUERY_VARIABLE = "queryParam-";

	/**
	 * A request parameter's name variable, in template order.
	 */
	private static final Pattern QUERY_NAME = Pattern.compile("\\{(" + QUERY_VARIABLE + "[^}\\[]*)}=");

	private final AsyncApiClient client;

	private AsyncApiClientAdapter(AsyncApiClient client) {
		this.client = client;
	}

	/**
	 * Create an adapter for a client.
	 * @param client the client every call goes through
	 * @return the adapter
	 */
	public static AsyncApiClientAdapter of(AsyncApiClient client) {
		Assert.notNull(client, "'client' must not be null");
		return new AsyncApiClientAdapter(client);
	}

	/**
	 * Create a proxy of an HTTP interface backed by a client: a shortcut for
	 * {@code HttpServiceProxyFactory.builderFor(of(client)).build().createClient(type)}.
	 * @param <S> the interface type
	 * @param client the client every call goes through
	 * @param type the interface, annotated with {@code @HttpExchange} methods
	 * @return the proxy
	 */
	public static <S> S createClient(AsyncApiClient client, Class<S> type) {
		return HttpServiceProxyFactory.builderFor(of(client)).build().createClient(type);
	}

	/**
	 * The client every call goes through.
	 * @return the client
	 */
	public AsyncApiClient client() {
		return this.client;
	}

	@Override
	public boolean supportsRequestAttributes() {
		return false;
	}

	@Override
	public Mono<Void> exchangeForMono(HttpRequestValues values) {
		return Mono.defer(() -> newRequest(values).toBodilessEntity()).then();
	}

	@Override
	public Mono<HttpHeaders> exchangeForHeadersMono(HttpRequestValues values) {
		return Mono.defer(() -> newRequest(values).toBodilessEntity()).map(ResponseEntity::getHeaders);
	}

	@Override
	public <T> Mono<T> exchangeForBodyMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return Mono.defer(() -> newRequest(values).bodyToMono(bodyType));
	}

	@Override
	public <T> Flux<T> exchangeForBodyFlux(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return Flux.defer(() -> newRequest(values).bodyToFlux(bodyType));
	}

	@Override
	public Mono<ResponseEntity<Void>> exchangeForBodilessEntityMono(HttpRequestValues values) {
		return Mono.defer(() -> newRequest(values).toBodilessEntity());
	}

	@Override
	public <T> Mono<ResponseEntity<T>> exchangeForEntityMono(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return Mono.defer(() -> newRequest(values).toEntity(bodyType));
	}

	@Override
	public <T> Mono<ResponseEntity<Flux<T>>> exchangeForEntityFlux(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		ParameterizedTypeReference<List<T>> listType = ParameterizedTypeReference
			.forType(ResolvableType.forClassWithGenerics(List.class, ResolvableType.forType(bodyType)).getType());
		return Mono.defer(() -> newRequest(values).toEntity(listType))
			.map((entity) -> new ResponseEntity<>(
					(entity.getBody() != null) ? Flux.fromIterable(entity.getBody()) : Flux.<T>empty(),
					entity.getHeaders(), entity.getStatusCode()));
	}

	/**
	 * Turn the values of one interface call into a request of the client. Called at
	 * subscription, so that an unsupported input fails the call, typed, instead of the
	 * method invocation.
	 * @param values the values of one call
	 * @return the request, ready to send
	 */
	AsyncApiRequest newRequest(HttpRequestValues values) {
		HttpMethod method = values.getHttpMethod();
		Assert.state(method != null, "No HTTP method");
		String template = (values.getUriTemplate() != null) ? values.getUriTemplate() : "";
		// A group's proxy factory picks its argument resolvers by the adapter it was given
		// before ours replaced it, so these can still arrive: refuse them rather than drop them.
		if ((values instanceof ReactiveHttpRequestValues reactive && reactive.getBodyPublisher() != null)
				|| values.getBodyValue() instanceof Publisher<?>) {
			throw new AsyncHttpInvalidRequestException("a Publisher request body is not supported, since a retried"
					+ " call must send its body again; pass the body value instead",
					new RequestContext(this.client.name(), method, template));
		}
		if (!values.getAttributes().isEmpty()) {
			throw new AsyncHttpInvalidRequestException(
					"request attributes (@RequestAttribute) are not supported by async-http clients",
					new RequestContext(this.client.name(), method, template));
		}
		AsyncApiRequest request = request(method, template, values);
		request.headers((headers) -> headers.addAll(values.getHeaders()));
		if (!values.getCookies().isEmpty()) {
			request.header(HttpHeaders.COOKIE, cookieHeader(values.getCookies()));
		}
		if (values.getApiVersion() != null) {
			request.apiVersion(values.getApiVersion());
		}
		if (values.getBodyValue() != null) {
			request.body(values.getBodyValue());
		}
		return request;
	}

	private AsyncApiRequest request(HttpMethod method, String template, HttpRequestValues values) {
		URI uri = values.getUri();
		if (uri != null) {
			return this.client.request(method, uri);
		}
		UriBuilderFactory uriBuilderFactory = values.getUriBuilderFactory();
		if (uriBuilderFactory != null) {
			// A UriBuilderFactory argument builds the whole URI; the client checks it like
			// a URI argument.
			return this.client.request(method, uriBuilderFactory.expand(template, values.getUriVariables()));
		}
		Map<String, String> variables = new HashMap<>(values.getUriVariables());
		MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
		String path = takeQueryParameters(template, variables, query);
		AsyncApiRequest request = this.client.request(method, path, variables);
		query.forEach((name, queryValues) -> request.queryParam(name, queryValues.toArray()));
		return request;
	}

	/**
	 * Take back the request parameters that {@link HttpRequestValues} appended to the
	 * template as {@code {queryParam-name}={queryParam-name[i]}} pairs, so that they go
	 * through the client's query encoding and the metrics' {@code uri} tag is the template
	 * the interface declares.
	 * @return the template without the appended parameters
	 */
	private static String takeQueryParameters(String template, Map<String, String> variables,
			MultiValueMap<String, String> query) {
		int start = firstQueryVariable(template);
		if (start < 0) {
			return template;
		}
		Matcher names = QUERY_NAME.matcher(template.substring(start));
		while (names.find()) {
			String key = names.group(1);
			String name = variables.remove(key);
			if (name == null) {
				continue;
			}
			for (int i = 0; variables.containsKey(key + "[" + i + "]"); i++) {
				query.add(name, variables.remove(key + "[" + i + "]"));
			}
		}
		return template.substring(0, start);
	}

	private static int firstQueryVariable(String template) {
		int question = template.indexOf("?{" + QUERY_VARIABLE);
		int ampersand = template.indexOf("&{" + QUERY_VARIABLE);
		if (question < 0 || (ampersand >= 0 && ampersand < question)) {
			return ampersand;
		}
		return question;
	}

	private static String cookieHeader(MultiValueMap<String, String> cookies) {
		StringJoiner header = new StringJoiner("; ");
		cookies.forEach((name, cookieValues) -> cookieValues.forEach((value) -> header.add(name + "=" + value)));
		return header.toString();
	}

	@Override
	public String toString() {
		return "AsyncApiClientAdapter[client=" + this.client.name() + "]";
	}

}
