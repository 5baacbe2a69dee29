package dev.asynchttp.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.DefaultUriBuilderFactory.EncodingMode;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriBuilderFactory;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Builds request URIs that cannot leave the client's base URL. Templates are resolved
 * against the base URL with every URI variable strictly encoded ({@code / ? # @ %} become
 * percent escapes), and the result must keep the base URL's scheme, host, port and path
 * prefix. Also used as the {@code WebClient}'s {@link UriBuilderFactory}, so that
 * {@code webClient().get().uri("/x/{id}", id)} gets the same checks.
 */
final class SafeUris implements UriBuilderFactory {

	private final @Nullable URI baseUrl;

	private final DefaultUriBuilderFactory delegate;

	/**
	 * URIs of templates without variables or query parameters, which always expand to the
	 * same checked URI: parsing and encoding them was a visible share of a call. Bounded,
	 * so that a caller building templates from data cannot grow it without end.
	 */
	private final Map<String, URI> constantUris = new ConcurrentHashMap<>();

	private static final int MAX_CONSTANT_URIS = 1024;

	SafeUris(@Nullable URI baseUrl) {
		this.baseUrl = baseUrl;
		this.delegate = (baseUrl != null) ? new DefaultUriBuilderFactory(baseUrl.toString())
				: new DefaultUriBuilderFactory();
		this.delegate.setEncodingMode(EncodingMode.TEMPLATE_AND_VALUES);
	}

	/**
	 * Expand a template with positional variables and query parameters, then check the
	 * result.
	 * @throws IllegalArgumentException with a message safe to show when the template or a
	 * variable is unsafe
	 */
	URI expand(String uriTemplate, @Nullable MultiValueMap<String, String> queryParams, Object... uriVariables) {
		boolean constant = uriVariables.length == 0 && (queryParams == null || queryParams.isEmpty());
		if (constant) {
			URI cached = this.constantUris.get(uriTemplate);
			if (cached != null) {
				return cached;
			}
		}
		checkTemplate(uriTemplate);
		checkVariables(uriVariables);
		UriBuilder builder = this.delegate.uriString(uriTemplate);
		List<Object> variables = new ArrayList<>(Arrays.asList(uriVariables));
		// Query values go in as variables, appended after the template's own, so they are
		// encoded as strictly as path variables.
		addQuery(builder, queryParams, (name, value) -> variables.add(value));
		URI uri = checkResult(builder.build(variables.toArray()));
		if (constant && this.constantUris.size() < MAX_CONSTANT_URIS) {
			this.constantUris.putIfAbsent(uriTemplate, uri);
		}
		return uri;
	}

	/**
	 * Expand a template with named variables and query parameters, then check the result.
	 * @throws IllegalArgumentException with a message safe to show when the template or a
	 * variable is unsafe
	 */
	URI expand(String uriTemplate, @Nullable MultiValueMap<String, String> queryParams,
			Map<String, ?> uriVariables) {
		checkTemplate(uriTemplate);
		checkVariables(uriVariables.values().toArray());
		UriBuilder builder = this.delegate.uriString(uriTemplate);
		Map<String, Object> variables = new HashMap<>(uriVariables);
		addQuery(builder, queryParams, variables::put);
		return checkResult(builder.build(variables));
	}

	/**
	 * Check a complete URI given instead of a template, as the expanded URI of a template
	 * is checked: with a base URL it must stay under it, without one it must be an absolute
	 * http or https URL. Query parameters are appended, strictly encoded.
	 * @throws IllegalArgumentException with a message safe to show when the URI is refused
	 */
	URI check(URI uri, @Nullable MultiValueMap<String, String> queryParams) {
		URI absolute = uri;
		if (!uri.isAbsolute()) {
			String relative = uri.toString();
			if (this.baseUrl == null || !relative.startsWith("/") || relative.startsWith("//")) {
				throw new IllegalArgumentException("request URI must be an absolute http or https URL"
						+ ((this.baseUrl != null) ? ", or a path starting with '/' under base-url " + this.baseUrl : ""));
			}
			absolute = URI.create(this.baseUrl + relative);
		}
		return checkResult(withQuery(absolute, queryParams));
	}

	/**
	 * An absolute, already encoded URL, sent exactly as given (see
	 * {@link FetchRequest#url(String)}), with query parameters appended encoded. Checked as
	 * the URIs of a client without a {@code base-url} are; a client with one never sends it:
	 * only a template can be proven to stay under the base URL.
	 * @throws IllegalArgumentException with a message safe to show when the URL is refused
	 */
	URI exact(String url, @Nullable MultiValueMap<String, String> queryParams) {
		if (this.baseUrl != null) {
			throw new IllegalArgumentException("an exact URL is only sent by a client without base-url; this client"
					+ " resolves paths against " + this.baseUrl + ", so give a path template");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			// The reason names the offending character and its index, never the URL itself.
			throw new IllegalArgumentException("not a valid, encoded URL: " + ex.getReason() + " at index "
					+ ex.getIndex());
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| uri.getRawAuthority() == null || uri.getHost() == null) {
			throw new IllegalArgumentException("request URI must be an absolute http or https URL");
		}
		if (uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException("request URI must not carry user info");
		}
		return withQuery(uri, queryParams);
	}

	/**
	 * Append query parameters, names and values strictly encoded, to a URI that is already
	 * encoded.
	 */
	private static URI withQuery(URI uri, @Nullable MultiValueMap<String, String> queryParams) {
		if (queryParams == null || queryParams.isEmpty()) {
			return uri;
		}
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(uri);
		queryParams.forEach((name, values) -> values.forEach((value) -> builder.queryParam(
				UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8),
				UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8))));
		return builder.build(true).toUri();
	}

	private static void addQuery(UriBuilder builder, @Nullable MultiValueMap<String, String> queryParams,
			BiConsumer<String, String> variables) {
		if (queryParams == null) {
			return;
		}
		int index = 0;
		for (Map.Entry<String, List<String>> entry : queryParams.entrySet()) {
			for (String value : entry.getValue()) {
				String variable = "asyncHttpQuery" + index++;
				builder.queryParam(entry.getKey(), "{" + variable + "}");
				variables.accept(variable, value);
			}
		}
	}

	private void checkTemplate(String uriTemplate) {
		if (uriTemplate.indexOf('\r') >= 0 || uriTemplate.indexOf('\n') >= 0 || uriTemplate.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("URI template contains a line break or NUL");
		}
		if (this.baseUrl == null) {
			return;
		}
		if (!uriTemplate.isEmpty() && !uriTemplate.startsWith("/") && !uriTemplate.startsWith("?")) {
			throw new IllegalArgumentException("URI template must be a path starting with '/' (it is resolved"
					+ " against base-url " + this.baseUrl + "); absolute URLs and '//host' forms are refused");
		}
		if (uriTemplate.startsWith("//") || uriTemplate.startsWith("/\\")) {
			throw new IllegalArgumentException("URI template must not start with '//': it would change the host");
		}
	}

	private static void checkVariables(Object[] uriVariables) {
		for (Object variable : uriVariables) {
			String value = Objects.toString(variable, "");
			if (value.equals(".") || value.equals("..")) {
				throw new IllegalArgumentException("URI variable '" + value + "' would walk the path");
			}
		}
	}

	private URI checkResult(URI uri) {
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			throw new IllegalArgumentException("request URI must be an absolute http or https URL"
					+ ((this.baseUrl == null) ? " (this client has no base-url)" : ""));
		}
		if (uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException("request URI must not carry user info");
		}
		if (this.baseUrl != null) {
			boolean sameOrigin = scheme.equalsIgnoreCase(this.baseUrl.getScheme())
					&& Objects.equals(uri.getHost(), this.baseUrl.getHost())
					&& port(uri) == port(this.baseUrl);
			String basePath = (this.baseUrl.getRawPath() != null) ? this.baseUrl.getRawPath() : "";
			String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
			if (!sameOrigin || !path.startsWith(basePath)) {
				throw new IllegalArgumentException(
						"URI template or variables would leave base-url " + this.baseUrl + "; refused");
			}
		}
		return uri;
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	@Override
	public URI expand(String uriTemplate, Map<String, ?> uriVariables) {
		return expand(uriTemplate, null, uriVariables);
	}

	@Override
	public URI expand(String uriTemplate, @Nullable Object... uriVariables) {
		return expand(uriTemplate, null, (uriVariables != null) ? uriVariables : new Object[0]);
	}

	@Override
	public UriBuilder uriString(String uriTemplate) {
		checkTemplate(uriTemplate);
		return this.delegate.uriString(uriTemplate);
	}

	@Override
	public UriBuilder builder() {
		return this.delegate.builder();
	}

}
