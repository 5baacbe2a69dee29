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
 * against the base URL with every URI variable and every query parameter name and value
 * strictly encoded (everything but RFC 3986 unreserved characters becomes a percent
 * escape), and the result must keep the base URL's scheme, host, port and path prefix,
 * segment by segment. Dot segments are refused everywhere (see {@link #hasDotSegment}).
 * Also used as the {@code WebClient}'s {@link UriBuilderFactory}, so that
 * {@code webClient().get().uri("/x/{id}", id)} gets the same checks; the URIs that
 * {@code webClient()} callers build themselves are checked by {@link UriConfinement}.
 */
final class SafeUris implements UriBuilderFactory {

	private static final String NOT_ABSOLUTE = "request URI must be an absolute http or https URL";

	private static final String USER_INFO = "request URI must not carry user info";

	private static final String DOT_SEGMENT = "request URI has a '.' or '..' path segment (also refused"
			+ " percent-encoded, as %2e, or before ';' parameters), which a server would resolve to another path";

	private static final String OTHER_ORIGIN = "request URI leaves the scheme, host or port of the base-url";

	private static final String OTHER_PATH = "request URI leaves the path of the base-url";

	private final @Nullable URI baseUrl;

	/**
	 * Raw path of the base URL, without a trailing {@code /}; empty when it has none.
	 */
	private final String basePath;

	/**
	 * Index of the path segment that the {@code WebClient}'s API version inserter adds, or
	 * {@code -1}.
	 */
	private final int versionSegment;

	private final DefaultUriBuilderFactory delegate;

	/**
	 * URIs of templates without variables or query parameters, which always expand to the
	 * same checked URI: parsing and encoding them was a visible share of a call. Bounded,
	 * so that a caller building templates from data cannot grow it without end.
	 */
	private final Map<String, URI> constantUris = new ConcurrentHashMap<>();

	private static final int MAX_CONSTANT_URIS = 1024;

	SafeUris(@Nullable URI baseUrl) {
		this(baseUrl, null);
	}

	/**
	 * Create the URIs of a client.
	 * @param baseUrl the client's base URL, or {@code null}
	 * @param versionSegment index of the path segment its API version inserter adds, or
	 * {@code null}: a request under the base URL may carry it inside the base path
	 */
	SafeUris(@Nullable URI baseUrl, @Nullable Integer versionSegment) {
		if (baseUrl != null && (baseUrl.getRawPath() != null && hasDotSegment(baseUrl.getRawPath()))) {
			throw new IllegalArgumentException("base-url must not have a '.' or '..' path segment");
		}
		this.baseUrl = baseUrl;
		this.basePath = (baseUrl != null) ? basePath(baseUrl) : "";
		this.versionSegment = (versionSegment != null) ? versionSegment : -1;
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
			throw new IllegalArgumentException(NOT_ABSOLUTE);
		}
		if (uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException(USER_INFO);
		}
		if (uri.getRawPath() != null && hasDotSegment(uri.getRawPath())) {
			throw new IllegalArgumentException(DOT_SEGMENT);
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
		// Strict: encodeQueryParam would leave '+' (read as a space by form decoders), ';'
		// and the like as they are.
		queryParams.forEach((name, values) -> values.forEach((value) -> builder
			.queryParam(UriUtils.encode(name, StandardCharsets.UTF_8), UriUtils.encode(value, StandardCharsets.UTF_8))));
		return builder.build(true).toUri();
	}

	private static void addQuery(UriBuilder builder, @Nullable MultiValueMap<String, String> queryParams,
			BiConsumer<String, String> variables) {
		if (queryParams == null) {
			return;
		}
		// Names go in as variables too: in the template they would only be encoded where
		// illegal, and '&', '=' and '+' are legal in a query.
		int index = 0;
		for (Map.Entry<String, List<String>> entry : queryParams.entrySet()) {
			for (String value : entry.getValue()) {
				String name = "asyncHttpQueryName" + index;
				String variable = "asyncHttpQuery" + index++;
				builder.queryParam("{" + name + "}", "{" + variable + "}");
				variables.accept(name, entry.getKey());
				variables.accept(variable, value);
			}
		}
	}

	private void checkTemplate(String uriTemplate) {
		if (uriTemplate.indexOf('\r') >= 0 || uriTemplate.indexOf('\n') >= 0 || uriTemplate.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("URI template contains a line break or NUL");
		}
		if (hasDotSegment(uriTemplate, pathEnd(uriTemplate))) {
			throw new IllegalArgumentException("URI template has a '.' or '..' path segment (also refused"
					+ " percent-encoded, as %2e): the server would resolve it to another path");
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
		if (this.baseUrl != null) {
			String problem = whyNotUnder(uri);
			if (problem != null) {
				throw new IllegalArgumentException(problem + "; base-url is " + this.baseUrl);
			}
			return uri;
		}
		String problem = whyNotSendable(uri);
		if (problem != null) {
			throw new IllegalArgumentException(
					NOT_ABSOLUTE.equals(problem) ? problem + " (this client has no base-url)" : problem);
		}
		return uri;
	}

	/**
	 * Why a URI is not under this client's base URL, or {@code null} when it is or the
	 * client has none: as {@link #whyNotUnder(URI, URI)} says, except that the path segment
	 * the client's API version inserter adds may stand inside the base path. Cheap enough for
	 * every exchange: no parsing, no allocation.
	 * @param uri the URI, as sent
	 * @return the problem, a constant safe to show, or {@code null}
	 */
	@Nullable String whyNotUnder(URI uri) {
		URI base = this.baseUrl;
		if (base == null) {
			return null;
		}
		String problem = whyNotSendable(uri);
		if (problem != null) {
			return problem;
		}
		if (!sameOrigin(base, uri)) {
			return OTHER_ORIGIN;
		}
		return isUnderPath(this.basePath, rawPath(uri), this.versionSegment) ? null : OTHER_PATH;
	}

	@Nullable URI baseUrl() {
		return this.baseUrl;
	}

	/**
	 * Why {@code uri} is not under {@code base}, or {@code null} when it is: it must be an
	 * absolute http or https URL without user info or dot segments, on the base URL's
	 * scheme, host (ignoring case) and port (the scheme's default when absent), with a path
	 * that is the base path or continues it after a {@code /} ({@code /v1} admits
	 * {@code /v1} and {@code /v1/x}, not {@code /v10}). Paths are compared as sent, so a
	 * path that spells the base path with other percent escapes is not under it.
	 * @param base the base URL
	 * @param uri the URI to check
	 * @return the problem, a constant safe to show (it repeats neither URI), or {@code null}
	 */
	static @Nullable String whyNotUnder(URI base, URI uri) {
		String problem = whyNotSendable(uri);
		if (problem != null) {
			return problem;
		}
		if (!sameOrigin(base, uri)) {
			return OTHER_ORIGIN;
		}
		return isUnderPath(basePath(base), rawPath(uri), -1) ? null : OTHER_PATH;
	}

	/**
	 * Check that {@code uri} is under {@code base}, as {@link #whyNotUnder(URI, URI)}
	 * says.
	 * @param base the base URL
	 * @param uri the URI to check
	 * @throws IllegalArgumentException with a message safe to show when it is not
	 */
	static void checkUnder(URI base, URI uri) {
		String problem = whyNotUnder(base, uri);
		if (problem != null) {
			throw new IllegalArgumentException(problem + "; base-url is " + base);
		}
	}

	/**
	 * Whether two absolute URIs have the same origin: scheme and host ignoring case, and
	 * port, the scheme's default when absent.
	 * @param a a URI
	 * @param b another URI
	 * @return whether they have the same origin
	 */
	static boolean sameOrigin(URI a, URI b) {
		String scheme = a.getScheme();
		String host = a.getHost();
		return scheme != null && scheme.equalsIgnoreCase(b.getScheme()) && host != null
				&& host.equalsIgnoreCase(b.getHost()) && port(a) == port(b);
	}

	/**
	 * Whether a path, or the path part of a template, has a segment that a server would
	 * resolve as a dot segment ({@code .} or {@code ..}), read as servers and proxies
	 * variously do: {@code %2e} or {@code %2E} counts as a dot, {@code \}, {@code %2F} and
	 * {@code %5C} separate segments as {@code /} does, and {@code ;} (or {@code %3B}) starts
	 * path parameters that are dropped ({@code /..;x/}). Escapes decoded twice
	 * ({@code %252e}) and overlong UTF-8 forms are not dots here: a server that reads them so
	 * is itself broken.
	 * @param path the raw path
	 * @return whether it has a dot segment
	 */
	static boolean hasDotSegment(String path) {
		return hasDotSegment(path, path.length());
	}

	private static boolean hasDotSegment(String path, int end) {
		int dots = 0;
		boolean other = false;
		boolean parameters = false;
		int i = 0;
		while (i <= end) {
			char c = (i < end) ? path.charAt(i) : '/';
			int length = 1;
			if (c == '%' && i + 2 < end) {
				int high = Character.digit(path.charAt(i + 1), 16);
				int low = Character.digit(path.charAt(i + 2), 16);
				if (high >= 0 && low >= 0) {
					c = (char) (high * 16 + low);
					length = 3;
					if (c != '.' && c != '/' && c != '\\' && c != ';') {
						c = 'x';
					}
				}
			}
			if (c == '/' || c == '\\') {
				if (!other && (dots == 1 || dots == 2)) {
					return true;
				}
				dots = 0;
				other = false;
				parameters = false;
			}
			else if (!parameters) {
				if (c == ';') {
					parameters = true;
				}
				else if (c == '.') {
					dots++;
				}
				else {
					other = true;
				}
			}
			i += length;
		}
		return false;
	}

	/**
	 * Why a URI cannot be sent at all, or {@code null}: it must be an absolute http or
	 * https URL without user info or dot segments.
	 */
	private static @Nullable String whyNotSendable(URI uri) {
		String scheme = uri.getScheme();
		// No host test: java.net.URI has none for names with '_', which clients without a
		// base-url may call; under a base-url the origin test needs one.
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			return NOT_ABSOLUTE;
		}
		if (uri.getRawUserInfo() != null) {
			return USER_INFO;
		}
		return hasDotSegment(rawPath(uri)) ? DOT_SEGMENT : null;
	}

	/**
	 * Whether a raw path is the base path or continues it after a {@code /}, also with one
	 * extra segment at {@code versionSegment} when that index falls inside the base path
	 * (the URI after the API version inserter, which runs after the template's check).
	 * @param basePath the base path without a trailing {@code /}
	 */
	private static boolean isUnderPath(String basePath, String path, int versionSegment) {
		if (continues(path, 0, basePath, 0)) {
			return true;
		}
		int split = (versionSegment >= 0) ? segmentStart(basePath, versionSegment) : -1;
		if (split < 0) {
			return false;
		}
		if (!path.regionMatches(0, basePath, 0, split) || path.length() <= split || path.charAt(split) != '/') {
			return false;
		}
		int versionEnd = path.indexOf('/', split + 1);
		return versionEnd >= 0 && continues(path, versionEnd, basePath, split);
	}

	/**
	 * Whether {@code path} from {@code from} starts with {@code basePath} from
	 * {@code baseFrom}, followed by the end or a {@code /}.
	 */
	private static boolean continues(String path, int from, String basePath, int baseFrom) {
		int length = basePath.length() - baseFrom;
		if (!path.regionMatches(from, basePath, baseFrom, length)) {
			return false;
		}
		int end = from + length;
		return end == path.length() || path.charAt(end) == '/';
	}

	/**
	 * Where segment {@code index} (from 0) of a path starts (the index of its leading
	 * {@code /}), or {@code -1} when the path has no such segment.
	 */
	private static int segmentStart(String path, int index) {
		int at = -1;
		for (int i = 0; i <= index; i++) {
			at = path.indexOf('/', at + 1);
			if (at < 0) {
				return -1;
			}
		}
		return at;
	}

	private static String basePath(URI base) {
		String path = rawPath(base);
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	private static String rawPath(URI uri) {
		String path = uri.getRawPath();
		return (path != null) ? path : "";
	}

	/**
	 * Where the path of a template ends: at its query or fragment.
	 */
	private static int pathEnd(String uriTemplate) {
		for (int i = 0; i < uriTemplate.length(); i++) {
			char c = uriTemplate.charAt(i);
			if (c == '?' || c == '#') {
				return i;
			}
		}
		return uriTemplate.length();
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
