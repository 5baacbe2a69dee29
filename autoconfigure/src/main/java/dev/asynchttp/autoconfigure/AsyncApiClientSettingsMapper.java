package dev.asynchttp.autoconfigure;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.asynchttp.client.AsyncApiClientPreset;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.ApiVersion;
import dev.asynchttp.client.AsyncApiClientSettings.Dns;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClientSettings.Proxy;
import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.client.AsyncApiClientSettings.Retry;
import dev.asynchttp.client.AsyncApiClientSettings.Redirects;
import dev.asynchttp.client.AsyncApiClientSettings.Timeouts;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import dev.asynchttp.client.InvalidSettingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;

/**
 * The one place where {@code async-http.*} properties become client settings. Layers, from
 * strongest to weakest: the client's values, the client's preset, the {@code defaults}
 * values, the {@code defaults} preset, the library defaults. A preset is a built-in
 * {@link AsyncApiClientPreset} or one of the application's {@code async-http.presets}.
 * Every value is checked on the way, and the merged result once more, so bad configuration
 * fails at startup naming the property and the fix.
 *
 * @author async-http
 */
final class AsyncApiClientSettingsMapper {

	private static final String PREFIX = "async-http";

	private static final Pattern CLIENT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]*");

	private static final Pattern INDEX = Pattern.compile("[0-9]+");

	private final AsyncHttpProperties properties;

	private final @Nullable SslBundles sslBundles;

	AsyncApiClientSettingsMapper(AsyncHttpProperties properties, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	/**
	 * Resolve the settings of every configured client.
	 * @return effective settings by client name, in configuration order
	 */
	Map<String, AsyncApiClientSettings> map() {
		check(PREFIX + ".shutdown-grace-period", this.properties.getShutdownGracePeriod(), (v) -> !v.isNegative(),
				"it must not be negative", "Set 0s to close at once, or a duration such as 10s.");
		Map<String, AsyncApiClientSettings> presets = presets();
		AsyncApiClientSettings defaults = layer(PREFIX + ".defaults", this.properties.getDefaults(), presets);
		Map<String, AsyncApiClientSettings> clients = new LinkedHashMap<>();
		this.properties.getClients().forEach((name, client) -> {
			checkClientName(name);
			String prefix = PREFIX + ".clients." + name;
			AsyncApiClientSettings settings = layer(prefix, client, presets).orElse(defaults).resolved();
			clients.put(name, checkEffective(prefix, client, settings));
		});
		return clients;
	}

	/**
	 * Resolve the metrics and health settings of every configured client. They are not
	 * client library settings, so they have a simpler precedence: the client's value, the
	 * {@code defaults} value, then {@link AsyncApiClientObservability#defaults()}; presets
	 * do not set them.
	 * @param properties the properties
	 * @return the settings by client name, in configuration order
	 */
	static Map<String, AsyncApiClientObservability> observability(AsyncHttpProperties properties) {
		AsyncApiClientProperties defaults = properties.getDefaults();
		checkObservability(PREFIX + ".defaults", defaults);
		Map<String, AsyncApiClientObservability> clients = new LinkedHashMap<>();
		properties.getClients().forEach((name, client) -> {
			String prefix = PREFIX + ".clients." + name;
			checkObservability(prefix, client);
			clients.put(name, observability(name, client, defaults));
		});
		return clients;
	}

	/**
	 * The metrics and health settings of a client that has no properties of its own, such
	 * as one of an application-defined {@code AsyncApiClients}.
	 * @param properties the properties
	 * @return what {@code defaults} and the built-in defaults give
	 */
	static AsyncApiClientObservability observabilityOfDefaults(AsyncHttpProperties properties) {
		AsyncApiClientProperties defaults = properties.getDefaults();
		checkObservability(PREFIX + ".defaults", defaults);
		return observability(null, new AsyncApiClientProperties(), defaults);
	}

	private static AsyncApiClientObservability observability(@Nullable String name, AsyncApiClientProperties client,
			AsyncApiClientProperties defaults) {
		AsyncApiClientObservability builtIn = AsyncApiClientObservability.defaults();
		AsyncApiClientProperties.Metrics metrics = client.getMetrics();
		AsyncApiClientProperties.Health health = client.getHealth();
		// No built-in health check path: unset means no health check.
		String path = (health.getPath() != null) ? health.getPath() : defaults.getHealth().getPath();
		if (name != null && path != null && client.getBaseUrl() == null && defaults.getBaseUrl() == null) {
			String prefix = PREFIX + ".clients." + name;
			String property = ((health.getPath() != null) ? prefix : PREFIX + ".defaults") + ".health.path";
			throw new InvalidAsyncHttpPropertyException(property,
					"client '" + name + "' has no base-url to resolve the health check path against",
					"Set " + prefix + ".base-url, or remove " + property + ".");
		}
		return new AsyncApiClientObservability(
				new AsyncApiClientObservability.Metrics(
						first(metrics.getEnabled(), defaults.getMetrics().getEnabled(), builtIn.metrics().enabled()),
						first(metrics.getPerHost(), defaults.getMetrics().getPerHost(), builtIn.metrics().perHost()),
						first(metrics.getMaxUriTags(), defaults.getMetrics().getMaxUriTags(),
								builtIn.metrics().maxUriTags()),
						first(metrics.getMaxHostTags(), defaults.getMetrics().getMaxHostTags(),
								builtIn.metrics().maxHostTags())),
				new AsyncApiClientObservability.Health(path,
						first(health.getTimeout(), defaults.getHealth().getTimeout(), builtIn.health().timeout())));
	}

	private static void checkObservability(String prefix, AsyncApiClientProperties source) {
		positive(prefix + ".metrics.max-uri-tags", source.getMetrics().getMaxUriTags());
		positive(prefix + ".metrics.max-host-tags", source.getMetrics().getMaxHostTags());
		positive(prefix + ".health.timeout", source.getHealth().getTimeout());
		check(prefix + ".health.path", source.getHealth().getPath(),
				(path) -> path.startsWith("/") && !path.startsWith("//") && path.chars()
					.noneMatch((c) -> c == '\r' || c == '\n' || c == '\0' || c == '{' || c == '}'),
				"it must be a path starting with '/', without '//', line breaks or URI template braces",
				"Set a path relative to base-url, such as /health or /v1/status.");
	}

	@SafeVarargs
	private static <T> T first(@Nullable T... values) {
		for (T value : values) {
			if (value != null) {
				return value;
			}
		}
		throw new IllegalStateException("no value and no built-in default");
	}

	static void checkClientName(String name) {
		if (!CLIENT_NAME.matcher(name).matches()) {
			throw new InvalidAsyncHttpPropertyException(PREFIX + ".clients." + name,
					"client name '" + name + "' is not valid",
					"Use a name that starts with a letter and has only letters, digits, '-' and '_',"
							+ " for example async-http.clients.billing-api.base-url.");
		}
	}

	/**
	 * The application's presets ({@code async-http.presets.<name>}), each checked like a
	 * client. A preset may not name another preset: the five layers stay five. It may not
	 * set metrics or health either, which presets do not carry, nor take a built-in
	 * preset's name.
	 */
	private Map<String, AsyncApiClientSettings> presets() {
		Map<String, AsyncApiClientSettings> presets = new LinkedHashMap<>();
		this.properties.getPresets().forEach((name, source) -> {
			String prefix = PREFIX + ".presets." + name;
			if (!CLIENT_NAME.matcher(name).matches()) {
				throw new InvalidAsyncHttpPropertyException(prefix, "preset name '" + name + "' is not valid",
						"Use a name that starts with a letter and has only letters, digits, '-' and '_',"
								+ " for example async-http.presets.partner-api.pool.max-connections.");
			}
			AsyncApiClientPreset builtIn = builtInPreset(name);
			if (builtIn != null) {
				throw new InvalidAsyncHttpPropertyException(prefix,
						"it has the name of the built-in preset '" + builtIn.configurationName() + "'",
						"Rename it, such as " + builtIn.configurationName() + "-custom, or name the built-in preset"
								+ " and set the values that differ next to it.");
			}
			if (source.getPreset() != null) {
				throw new InvalidAsyncHttpPropertyException(prefix + ".preset", "a preset cannot name another preset",
						"Set the values you need from '" + source.getPreset() + "' in " + prefix
								+ " itself, and remove " + prefix + ".preset.");
			}
			AsyncApiClientProperties.Metrics metrics = source.getMetrics();
			AsyncApiClientProperties.Health health = source.getHealth();
			if (metrics.getEnabled() != null || metrics.getPerHost() != null || metrics.getMaxUriTags() != null
					|| metrics.getMaxHostTags() != null || health.getPath() != null || health.getTimeout() != null) {
				throw new InvalidAsyncHttpPropertyException(prefix, "presets do not set metrics.* or health.*",
						"Set them on the client (async-http.clients.<name>) or under async-http.defaults, and remove"
								+ " them from " + prefix + ".");
			}
			presets.put(name, layer(prefix, source, Map.of()));
		});
		return presets;
	}

	/**
	 * The preset a layer names: one of the application's, by its exact name, or a built-in
	 * one, whose name binds leniently like an enum ({@code HIGH_CONCURRENCY} works).
	 */
	private static AsyncApiClientSettings preset(String property, @Nullable String name,
			Map<String, AsyncApiClientSettings> presets) {
		if (name == null) {
			return AsyncApiClientSettings.empty();
		}
		AsyncApiClientSettings own = presets.get(name);
		if (own != null) {
			return own;
		}
		AsyncApiClientPreset builtIn = builtInPreset(name);
		if (builtIn != null) {
			return builtIn.settings();
		}
		List<String> names = new ArrayList<>();
		Arrays.stream(AsyncApiClientPreset.values()).map(AsyncApiClientPreset::configurationName).forEach(names::add);
		names.addAll(presets.keySet());
		throw new InvalidAsyncHttpPropertyException(property, "there is no preset named '" + name + "'",
				"Set one of " + String.join(", ", names) + ", or define it under async-http.presets." + name + ".");
	}

	private static @Nullable AsyncApiClientPreset builtInPreset(String name) {
		String canonical = canonicalPresetName(name);
		for (AsyncApiClientPreset preset : AsyncApiClientPreset.values()) {
			if (canonicalPresetName(preset.name()).equals(canonical)) {
				return preset;
			}
		}
		return null;
	}

	private static String canonicalPresetName(String name) {
		StringBuilder canonical = new StringBuilder();
		name.chars()
			.filter(Character::isLetterOrDigit)
			.map(Character::toLowerCase)
			.forEach((c) -> canonical.append((char) c));
		return canonical.toString();
	}

	private AsyncApiClientSettings layer(String prefix, AsyncApiClientProperties source,
			Map<String, AsyncApiClientSettings> presets) {
		AsyncApiClientSettings own;
		try {
			own = AsyncApiClientSettings.empty()
				.withBaseUrl(baseUrl(prefix + ".base-url", source.getBaseUrl()))
				.withDefaultHeaders(headers(prefix + ".default-headers", source.getDefaultHeaders()))
				.withPool(pool(source.getPool()))
				.withDns(new Dns(source.getDns().getCacheTtl(), source.getDns().getNegativeTtl()))
				.withTimeouts(timeouts(source.getTimeouts()))
				.withCompression(source.getCompression())
				.withRedirects(new Redirects(source.getRedirects().getFollow(), source.getRedirects().getMax(),
						source.getRedirects().getAllowDowngrade()))
				.withMaxInMemorySize(source.getMaxInMemorySize())
				.withSslBundle(sslBundle(prefix + ".ssl.bundle", source.getSsl().getBundle()))
				.withRetry(retry(source.getRetry()))
				.withRateLimit(rateLimit(source.getRateLimit()))
				.withApiVersion(apiVersion(source.getApiVersion()))
				.withSensitiveHeaders(source.getSensitiveHeaders())
				.withMaxResponseSize(source.getMaxResponseSize())
				.withProxy(proxy(prefix + ".proxy", source.getProxy()))
				.withSslInsecureTrustAll(source.getSsl().getInsecureTrustAll())
				.withRequestLogging(source.getLogging().getRequests());
		}
		catch (InvalidSettingException ex) {
			// The settings check their own ranges; here they gain the full property name.
			throw new InvalidAsyncHttpPropertyException(prefix + "." + ex.getProperty(), ex.getReason(),
					ex.getAction());
		}
		return own.orElse(preset(prefix + ".preset", source.getPreset(), presets));
	}

	private static @Nullable URI baseUrl(String property, @Nullable String value) {
		if (value == null) {
			return null;
		}
		String fix = "Set it to an absolute http or https URL such as https://api.example.com/v1, without user info,"
				+ " query or fragment (put credentials in default-headers).";
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidAsyncHttpPropertyException(property, "it is not a valid URL", fix);
		}
		String scheme = uri.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			throw new InvalidAsyncHttpPropertyException(property, "it is not an absolute http or https URL", fix);
		}
		if (uri.getHost() == null) {
			throw new InvalidAsyncHttpPropertyException(property, "it has no host", fix);
		}
		if (uri.getRawUserInfo() != null) {
			// The value is not repeated: it holds a credential.
			throw new InvalidAsyncHttpPropertyException(property, "it contains user info (credentials)", fix);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new InvalidAsyncHttpPropertyException(property, "it has a query or a fragment", fix);
		}
		if (hasDotSegment(uri.getRawPath())) {
			// Requests are confined to the base path; one with '..' in it has no fixed meaning.
			throw new InvalidAsyncHttpPropertyException(property, "its path has a '.' or '..' segment",
					"Set it to the path the server resolves it to, such as https://api.example.com/v1.");
		}
		String text = uri.toString();
		return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
	}

	private static boolean hasDotSegment(@Nullable String path) {
		if (path == null) {
			return false;
		}
		for (String segment : path.split("/", -1)) {
			String decoded = segment.replace("%2e", ".").replace("%2E", ".");
			if (decoded.equals(".") || decoded.equals("..")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The configured headers as names and values. A name must be a token and may appear only
	 * once ignoring case; a value may hold anything but control characters (a tab aside), so
	 * no configuration can split a request with a line break.
	 */
	private static Map<String, List<String>> headers(String property, Map<String, Object> headers) {
		Map<String, List<String>> result = new LinkedHashMap<>();
		headers.forEach((name, value) -> flatten(name, value, result));
		Map<String, String> lowerCaseNames = new HashMap<>();
		result.forEach((name, values) -> {
			String header = property + "." + name;
			if (!isToken(name)) {
				throw new InvalidAsyncHttpPropertyException(header, "'" + name + "' is not a valid header name",
						"Use a header name made of letters, digits and !#$%&'*+-.^_`|~, such as X-Request-Source;"
								+ " write names holding dots in brackets: " + property + "[X.Name].");
			}
			String other = lowerCaseNames.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
			if (other != null) {
				throw new InvalidAsyncHttpPropertyException(header,
						"it names the same header as " + property + "." + other + " (header names ignore case)",
						"Keep only one of them.");
			}
			for (String value : values) {
				if (HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
					// The value is not repeated: it may hold a credential.
					throw new InvalidAsyncHttpPropertyException(header,
							"the header value contains a line break, NUL or another control character,"
									+ " or starts with a space",
							"Remove the line break or control character from the header value.");
				}
			}
		});
		return result;
	}

	/**
	 * Turn what the binder made of {@code default-headers} into header values: a plain value
	 * is one value; a map whose keys are all indexes ({@code Via[0]}, {@code Via[1]}) is a
	 * list in index order; any other map came from a name holding dots ({@code X.Name}),
	 * which is joined back.
	 */
	private static void flatten(String name, @Nullable Object value, Map<String, List<String>> into) {
		if (value instanceof Map<?, ?> map && !map.isEmpty()) {
			if (map.keySet().stream().allMatch((key) -> INDEX.matcher(String.valueOf(key)).matches())) {
				List<String> values = map.entrySet()
					.stream()
					.sorted(Comparator.comparing((entry) -> new BigInteger(String.valueOf(entry.getKey()))))
					.map((entry) -> String.valueOf(entry.getValue()))
					.toList();
				into.put(name, values);
			}
			else {
				map.forEach((key, nested) -> flatten(name + "." + key, nested, into));
			}
		}
		else {
			into.put(name, List.of((value != null && !(value instanceof Map)) ? value.toString() : ""));
		}
	}

	private static Pool pool(AsyncApiClientProperties.Pool pool) {
		return new Pool(pool.getMaxConnections(), pool.getMaxConnectionsPerHost(), pool.getMaxPending(),
				pool.getAcquireTimeout(), pool.getMaxIdleTime(), pool.getMaxLifeTime(), pool.getEvictionInterval(),
				pool.getKeepAlive(), pool.getLeasing(), pool.getDisposeInactiveAfter());
	}

	private static Timeouts timeouts(AsyncApiClientProperties.Timeouts timeouts) {
		return new Timeouts(timeouts.getConnect(), timeouts.getRead(), timeouts.getWrite(), timeouts.getTotal());
	}

	/**
	 * A proxy is one unit: it needs a type, a host and a port, and credentials come as a pair.
	 * Anything short of that is refused rather than ignored, since an ignored proxy setting
	 * sends traffic straight to the network. The password is never repeated.
	 */
	private static Proxy proxy(String prefix, AsyncApiClientProperties.Proxy proxy) {
		Integer port = check(prefix + ".port", proxy.getPort(), (v) -> v > 0 && v <= 65535,
				"it must be between 1 and 65535", "Set the proxy's port, such as 3128.");
		if (proxy.getType() == null) {
			String set = (proxy.getHost() != null) ? "host" : (proxy.getPort() != null) ? "port"
					: (proxy.getUsername() != null) ? "username" : (proxy.getPassword() != null) ? "password"
							: (proxy.getNonProxyHosts() != null) ? "non-proxy-hosts" : null;
			if (set != null) {
				throw new InvalidAsyncHttpPropertyException(prefix + ".type",
						"it is not set, so " + prefix + "." + set + " would be ignored and connections would not"
								+ " go through the proxy",
						"Set " + prefix + ".type to http or socks5, or remove the other " + prefix + ".* properties.");
			}
			return new Proxy(null, null, null, null, null, null);
		}
		String host = proxy.getHost();
		if (host == null || host.isBlank()) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".host",
					"it is not set but " + prefix + ".type is " + typeName(proxy),
					"Set " + prefix + ".host to the proxy's host name or IP address, such as proxy.internal.");
		}
		if (!host.chars().allMatch((c) -> c > 32 && c < 127 && c != '/' && c != '@' && c != '?' && c != '#')
				|| (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]")))) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".host",
					"it must be a host name or IP address alone, without scheme, port, path or credentials (was "
							+ host + ")",
					"Set " + prefix + ".host such as proxy.internal, the port in " + prefix + ".port and credentials"
							+ " in " + prefix + ".username and " + prefix + ".password.");
		}
		if (port == null) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".port",
					"it is not set but " + prefix + ".type is " + typeName(proxy),
					"Set " + prefix + ".port to the proxy's port, such as 3128 (http) or 1080 (socks5).");
		}
		if (proxy.getPassword() != null && proxy.getUsername() == null) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".password",
					"a password is set without " + prefix + ".username", "Set " + prefix + ".username too, or remove "
							+ prefix + ".password.");
		}
		if (proxy.getUsername() != null && proxy.getPassword() == null) {
			// Reactor Netty would send no credentials at all.
			throw new InvalidAsyncHttpPropertyException(prefix + ".username",
					"a user name is set without " + prefix + ".password, so no credentials would be sent",
					"Set " + prefix + ".password too (an empty one if the proxy expects none), or remove " + prefix
							+ ".username.");
		}
		String nonProxyHosts = proxy.getNonProxyHosts();
		if (nonProxyHosts != null) {
			try {
				Pattern.compile(nonProxyHosts);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidAsyncHttpPropertyException(prefix + ".non-proxy-hosts",
						"it is not a valid regular expression (" + ex.getDescription() + " near index "
								+ ex.getIndex() + ")",
						"Set a Java regular expression matched against the whole host name, such as"
								+ " localhost|.*\\.internal (escape dots as \\.).");
			}
		}
		return new Proxy(proxy.getType(), host, port, proxy.getUsername(), proxy.getPassword(), nonProxyHosts);
	}

	private static String typeName(AsyncApiClientProperties.Proxy proxy) {
		return Objects.requireNonNull(proxy.getType()).name().toLowerCase(Locale.ROOT);
	}

	private static Retry retry(AsyncApiClientProperties.Retry retry) {
		AsyncApiClientProperties.Retry.Backoff backoff = retry.getBackoff();
		return new Retry(retry.getEnabled(), retry.getMaxAttempts(),
				new Retry.Backoff(backoff.getInitial(), backoff.getMultiplier(), backoff.getMax(),
						backoff.getJitter()),
				retry.getStatuses(), retry.getMaxRetryAfter(),
				new Retry.Budget(retry.getBudget().getRatio(), retry.getBudget().getMinPerSecond()));
	}

	private static RateLimit rateLimit(AsyncApiClientProperties.RateLimit rateLimit) {
		return new RateLimit(rateLimit.getPermitsPerPeriod(), rateLimit.getPeriod(), rateLimit.getMaxWait(),
				rateLimit.getShared(), rateLimit.getSharedKey(), rateLimit.getSharedFallback(),
				rateLimit.getSharedTimeout());
	}

	private static ApiVersion apiVersion(AsyncApiClientProperties.ApiVersion apiVersion) {
		AsyncApiClientProperties.ApiVersion.Insert insert = apiVersion.getInsert();
		return new ApiVersion(apiVersion.getDefaultVersion(), insert.getHeader(), insert.getQueryParameter(),
				insert.getPathSegment(), insert.getMediaTypeParameter());
	}

	private static boolean isToken(String value) {
		return !value.isEmpty() && HttpHeaderValidationUtil.validateToken(value) == -1;
	}

	private @Nullable String sslBundle(String property, @Nullable String bundle) {
		if (bundle == null) {
			return null;
		}
		String fix = "Define the bundle under spring.ssl.bundle.pem." + bundle + " or spring.ssl.bundle.jks." + bundle
				+ ", or remove " + property + ".";
		if (this.sslBundles == null) {
			throw new InvalidAsyncHttpPropertyException(property, "no SSL bundles are available", fix);
		}
		try {
			this.sslBundles.getBundle(bundle);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidAsyncHttpPropertyException(property, "there is no SSL bundle named '" + bundle + "'", fix);
		}
		return bundle;
	}

	/**
	 * Check what only the merged settings show. A per-host cap the user set above the total
	 * cap is an error; one that merely came from a preset or the library defaults is lowered
	 * to the total cap, as aiohttp's {@code limit} needs no {@code limit_per_host} either. A
	 * {@code dispose-inactive-after} the user set without background eviction is an error:
	 * Reactor Netty disposes only empty pools, and without eviction the idle connections of
	 * a host that is never called again stay in its pool forever.
	 */
	private AsyncApiClientSettings checkEffective(String prefix, AsyncApiClientProperties client,
			AsyncApiClientSettings settings) {
		ApiVersion apiVersion = settings.apiVersion();
		if (apiVersion.defaultVersion() != null && !apiVersion.hasInsert()) {
			String property = ((client.getApiVersion().getDefaultVersion() != null) ? prefix : PREFIX + ".defaults")
					+ ".api-version.default";
			throw new InvalidAsyncHttpPropertyException(property,
					"a default API version is set but nothing says where to send it",
					"Set one of " + prefix + ".api-version.insert.header, .query-parameter, .path-segment or"
							+ " .media-type-parameter (or the same under async-http.defaults), or remove " + property
							+ ".");
		}
		if (settings.sslBundle() != null && Boolean.TRUE.equals(settings.sslInsecureTrustAll())) {
			String bundle = ((client.getSsl().getBundle() != null) ? prefix : PREFIX + ".defaults") + ".ssl.bundle";
			String trustAll = ((client.getSsl().getInsecureTrustAll() != null) ? prefix : PREFIX + ".defaults")
					+ ".ssl.insecure-trust-all";
			throw new InvalidAsyncHttpPropertyException(trustAll,
					"it is true while " + bundle + " is set: a bundle names what to trust, insecure-trust-all"
							+ " trusts any certificate",
					"Keep " + bundle + " and set " + prefix + ".ssl.insecure-trust-all=false to verify servers, or,"
							+ " for local development only, remove " + bundle + ".");
		}
		Pool pool = settings.pool();
		AsyncApiClientProperties.Pool defaults = this.properties.getDefaults().getPool();
		Duration dispose = pool.disposeInactiveAfter();
		boolean disposeSetByUser = client.getPool().getDisposeInactiveAfter() != null
				|| defaults.getDisposeInactiveAfter() != null;
		if (!dispose.isZero() && pool.evictionInterval().isZero() && disposeSetByUser) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".pool.dispose-inactive-after",
					"it is " + dispose + " but " + prefix
							+ ".pool.eviction-interval is 0, so idle connections are never closed in the background"
							+ " and a host's pool never becomes empty enough to be disposed",
					"Set " + prefix + ".pool.eviction-interval to a positive duration such as 30s, or set " + prefix
							+ ".pool.dispose-inactive-after to 0.");
		}
		int max = pool.maxConnections();
		int perHost = pool.maxConnectionsPerHost();
		if (perHost <= max) {
			return settings;
		}
		boolean setByUser = client.getPool().getMaxConnectionsPerHost() != null
				|| defaults.getMaxConnectionsPerHost() != null;
		if (setByUser) {
			throw new InvalidAsyncHttpPropertyException(prefix + ".pool.max-connections-per-host",
					"it is " + perHost + ", above " + prefix + ".pool.max-connections (" + max
							+ "), possibly inherited from async-http.defaults",
					"Lower " + prefix + ".pool.max-connections-per-host to at most " + max + ", or raise " + prefix
							+ ".pool.max-connections.");
		}
		return settings.withPool(pool.withMaxConnectionsPerHost(max));
	}

	private static @Nullable Integer positive(String property, @Nullable Integer value) {
		return check(property, value, (v) -> v > 0, "it must be greater than 0", "Set a positive number.");
	}

	private static @Nullable Duration positive(String property, @Nullable Duration value) {
		return check(property, value, (v) -> !v.isNegative() && !v.isZero(), "it must be longer than 0",
				"Set a positive duration such as 10s or 500ms.");
	}

	private static <T> @Nullable T check(String property, @Nullable T value, Predicate<T> valid, String reason,
			String action) {
		if (value != null && !valid.test(value)) {
			throw new InvalidAsyncHttpPropertyException(property, reason + " (was " + value + ")", action);
		}
		return value;
	}

}
