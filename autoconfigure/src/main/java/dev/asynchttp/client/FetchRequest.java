package dev.asynchttp.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * One item of a batch sent with {@link AsyncApiClient#fetchAll}: a method, a URI template
 * with its variables or an exact URL, and optional query parameters and headers. It is plain
 * data and immutable, so a source of a million items costs only the items in flight.
 * <p>
 * A template ({@link #get}, {@link #of}) follows the same rules as
 * {@link AsyncApiClient#request}: with a {@code base-url} it is a path resolved against it,
 * and anything that would leave the base URL is refused; without one it is an absolute
 * http(s) URL. Either way it is written unencoded, and variables and query values are always
 * encoded. An exact URL ({@link #url}) is the crawler's case: an absolute URL as found in a
 * page, already percent-encoded, sent exactly as given, by a client without a
 * {@code base-url} only.
 *
 * @param method the HTTP method
 * @param uriTemplate the URI template, or the exact URL when {@code exactUrl}
 * @param exactUrl whether {@code uriTemplate} is an absolute, already encoded URL to send as
 * it is rather than a template
 * @param uriVariables the URI variables, in order, encoded when expanded
 * @param queryParams query parameters added to the URI, values encoded
 * @param headers request headers, on top of the client's default headers
 * @author async-http
 * @since 0.1.0
 */
public record FetchRequest(HttpMethod method, String uriTemplate, boolean exactUrl,
		List<@Nullable Object> uriVariables, Map<String, List<String>> queryParams,
		Map<String, List<String>> headers) {

	public FetchRequest {
		Assert.notNull(method, "'method' must not be null");
		Assert.notNull(uriTemplate, "'uriTemplate' must not be null");
		Assert.isTrue(!exactUrl || uriVariables == null || uriVariables.isEmpty(),
				"An exact URL has no URI variables");
		uriVariables = (uriVariables != null && !uriVariables.isEmpty())
				? Collections.unmodifiableList(Arrays.asList(uriVariables.toArray())) : List.of();
		queryParams = copyOf(queryParams);
		headers = copyOf(headers);
	}

	/**
	 * A GET.
	 * @param uriTemplate the URI template (a path with a {@code base-url}, an absolute URL
	 * without)
	 * @param uriVariables the URI variables
	 * @return the request
	 */
	public static FetchRequest get(String uriTemplate, @Nullable Object... uriVariables) {
		return of(HttpMethod.GET, uriTemplate, uriVariables);
	}

	/**
	 * A request with any method. Retries follow the client's policy, so a non-idempotent
	 * method is only retried when it provably was not sent, unless an
	 * {@code Idempotency-Key} header is set.
	 * @param method the HTTP method
	 * @param uriTemplate the URI template (a path with a {@code base-url}, an absolute URL
	 * without)
	 * @param uriVariables the URI variables
	 * @return the request
	 */
	public static FetchRequest of(HttpMethod method, String uriTemplate, @Nullable Object... uriVariables) {
		List<@Nullable Object> variables = (uriVariables != null) ? Arrays.asList(uriVariables) : List.of();
		return new FetchRequest(method, uriTemplate, false, variables, Map.of(), Map.of());
	}

	/**
	 * A GET of an absolute URL sent exactly as given: already percent-encoded (as links in
	 * pages are), so {@code %20} stays {@code %20} and nothing is a template variable. Only a
	 * client without a {@code base-url} sends it; the URL must be a valid, encoded http or
	 * https URI (no spaces or braces) without user info. Otherwise the item fails with
	 * {@link AsyncHttpInvalidRequestException} and is not sent. Metrics record such requests
	 * with {@code uri=none} rather than one tag value per URL.
	 * @param url the URL
	 * @return the request
	 */
	public static FetchRequest url(String url) {
		return url(HttpMethod.GET, url);
	}

	/**
	 * A request of an absolute URL sent exactly as given; see {@link #url(String)}.
	 * @param method the HTTP method
	 * @param url the URL
	 * @return the request
	 */
	public static FetchRequest url(HttpMethod method, String url) {
		return new FetchRequest(method, url, true, List.of(), Map.of(), Map.of());
	}

	/**
	 * A copy with a header added. Values with line breaks make the item fail with
	 * {@link AsyncHttpInvalidRequestException} before it is sent.
	 * @param name the header name
	 * @param values the header values
	 * @return the new request
	 */
	public FetchRequest withHeader(String name, String... values) {
		return new FetchRequest(this.method, this.uriTemplate, this.exactUrl, this.uriVariables, this.queryParams,
				plus(this.headers, name, values));
	}

	/**
	 * A copy with a query parameter added; its values are encoded like URI variables.
	 * @param name the parameter name
	 * @param values the parameter values
	 * @return the new request
	 */
	public FetchRequest withQueryParam(String name, @Nullable Object... values) {
		String[] strings = Arrays.stream(values).map((value) -> Objects.toString(value, "")).toArray(String[]::new);
		return new FetchRequest(this.method, this.uriTemplate, this.exactUrl, this.uriVariables,
				plus(this.queryParams, name, strings), this.headers);
	}

	/**
	 * Method and template (or exact URL) as {@link SafeText#uri(String)} shows them: without
	 * user info, query values masked; variables and headers, which may hold secrets, are left
	 * out.
	 */
	@Override
	public String toString() {
		return this.method.name() + " " + SafeText.uri(this.uriTemplate);
	}

	private static Map<String, List<String>> plus(Map<String, List<String>> map, String name, String... values) {
		Assert.notNull(name, "'name' must not be null");
		Map<String, List<String>> copy = new LinkedHashMap<>(map);
		copy.merge(name, Arrays.asList(values), (existing, added) -> {
			List<String> all = new ArrayList<>(existing);
			all.addAll(added);
			return all;
		});
		return copy;
	}

	private static Map<String, List<String>> copyOf(@Nullable Map<String, List<String>> map) {
		if (map == null || map.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> copy = new LinkedHashMap<>();
		map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		return Collections.unmodifiableMap(copy);
	}

}
