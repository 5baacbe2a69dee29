package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import static dev.asynchttp.client.AsyncApiClientDefaults.*;
import static dev.asynchttp.client.InvalidSettingException.check;
import static dev.asynchttp.client.InvalidSettingException.notNegative;
import static dev.asynchttp.client.InvalidSettingException.positive;

/**
 * Immutable settings of one {@link AsyncApiClient}. A {@code null} component means "not set
 * here": {@link #orElse(AsyncApiClientSettings)} fills it from a lower layer, and
 * {@link #defaults()} holds the library defaults that sit below every other layer.
 *
 * @param baseUrl absolute http or https URL that URI templates are resolved against, or
 * {@code null} for clients that call absolute URLs
 * @param defaultHeaders headers sent with every request; merged key by key across layers
 * @param pool connection pool and concurrency settings
 * @param dns resolver cache settings
 * @param timeouts timeouts by kind
 * @param compression whether to ask for compressed responses
 * @param redirects redirect handling
 * @param maxInMemorySize largest response body decoded in memory
 * @param sslBundle name of the Spring SSL bundle used for https, or {@code null} for the JDK
 * defaults
 * @param retry retry policy
 * @param rateLimit request rate limit
 * @param apiVersion API version sent with every request, and where it goes
 * @param sensitiveHeaders names of request headers whose values are secret, added to those of
 * {@link SensitiveHeaders#builtIn()}; a name may hold {@code *} wildcards; merged across layers
 * @param maxResponseSize most bytes of a streamed or downloaded body ({@code stream},
 * {@code bodyToFlux}, {@code download}), counted after decompression
 * @param proxy proxy that connections go through
 * @param sslInsecureTrustAll whether https accepts any server certificate (local development
 * only)
 * @param requestLogging what the request log writes for each attempt
 * @author async-http
 * @since 0.1.0
 */
public record AsyncApiClientSettings(@Nullable URI baseUrl, Map<String, List<String>> defaultHeaders, Pool pool,
		Dns dns, Timeouts timeouts, @Nullable Boolean compression, Redirects redirects,
		@Nullable DataSize maxInMemorySize, @Nullable String sslBundle, Retry retry, RateLimit rateLimit,
		ApiVersion apiVersion, List<String> sensitiveHeaders, @Nullable DataSize maxResponseSize, Proxy proxy,
		@Nullable Boolean sslInsecureTrustAll, @Nullable RequestLogging requestLogging) {

	private static final AsyncApiClientSettings EMPTY = new AsyncApiClientSettings(null, Map.of(), Pool.EMPTY,
			Dns.EMPTY, Timeouts.EMPTY, null, Redirects.EMPTY, null, null, Retry.EMPTY, RateLimit.EMPTY, ApiVersion.EMPTY);

	private static final AsyncApiClientSettings DEFAULTS = empty()
		.withPool(new Pool(POOL_MAX_CONNECTIONS, POOL_MAX_CONNECTIONS_PER_HOST, POOL_MAX_PENDING,
				POOL_ACQUIRE_TIMEOUT, POOL_MAX_IDLE_TIME, POOL_MAX_LIFE_TIME, POOL_EVICTION_INTERVAL,
				POOL_KEEP_ALIVE, POOL_LEASING, POOL_DISPOSE_INACTIVE_AFTER))
		.withDns(new Dns(DNS_CACHE_TTL, DNS_NEGATIVE_TTL))
		.withTimeouts(new Timeouts(TIMEOUTS_CONNECT, TIMEOUTS_READ, TIMEOUTS_WRITE, TIMEOUTS_TOTAL))
		.withCompression(COMPRESSION)
		.withRedirects(new Redirects(REDIRECTS_FOLLOW, REDIRECTS_MAX, REDIRECTS_ALLOW_DOWNGRADE))
		.withMaxInMemorySize(MAX_IN_MEMORY_SIZE)
		.withRetry(new Retry(RETRY_ENABLED, RETRY_MAX_ATTEMPTS,
				new Retry.Backoff(RETRY_BACKOFF_INITIAL, RETRY_BACKOFF_MULTIPLIER, RETRY_BACKOFF_MAX,
						RETRY_BACKOFF_JITTER),
				RETRY_STATUSES, RETRY_MAX_RETRY_AFTER,
				new Retry.Budget(RETRY_BUDGET_RATIO, RETRY_BUDGET_MIN_PER_SECOND)))
		.withRateLimit(new RateLimit(null, RATE_LIMIT_PERIOD, RATE_LIMIT_MAX_WAIT, RATE_LIMIT_SHARED, null,
				RATE_LIMIT_SHARED_FALLBACK, RATE_LIMIT_SHARED_TIMEOUT))
		.withMaxResponseSize(MAX_RESPONSE_SIZE)
		.withSslInsecureTrustAll(SSL_INSECURE_TRUST_ALL)
		.withRequestLogging(LOGGING_REQUESTS);

	public AsyncApiClientSettings {
		defaultHeaders = copyOf(defaultHeaders);
		pool = (pool != null) ? pool : Pool.EMPTY;
		dns = (dns != null) ? dns : Dns.EMPTY;
		timeouts = (timeouts != null) ? timeouts : Timeouts.EMPTY;
		redirects = (redirects != null) ? redirects : Redirects.EMPTY;
		retry = (retry != null) ? retry : Retry.EMPTY;
		rateLimit = (rateLimit != null) ? rateLimit : RateLimit.EMPTY;
		apiVersion = (apiVersion != null) ? apiVersion : ApiVersion.EMPTY;
		sensitiveHeaders = (sensitiveHeaders != null) ? List.copyOf(sensitiveHeaders) : List.of();
		proxy = (proxy != null) ? proxy : Proxy.EMPTY;
		for (String name : sensitiveHeaders) {
			check("sensitive-headers", name, (v) -> isToken(v.replace("*", "x")),
					"it contains '" + name + "', which is not a header name",
					"List header names such as X-Api-Key, or patterns such as *token*.");
		}
		check("max-in-memory-size", maxInMemorySize, (v) -> v.toBytes() > 0 && v.toBytes() <= Integer.MAX_VALUE,
				"it must be more than 0 and less than 2GB",
				"Set a positive size such as 2MB; stream larger bodies instead of decoding them in memory.");
		check("max-response-size", maxResponseSize, (v) -> v.toBytes() > 0, "it must be more than 0",
				"Set a size above the largest body this client streams or downloads, such as 1GB (the default);"
						+ " bodies decoded in memory are bounded by max-in-memory-size.");
	}

	/**
	 * Settings without the security and logging components, which are left unset.
	 */
	public AsyncApiClientSettings(@Nullable URI baseUrl, Map<String, List<String>> defaultHeaders, Pool pool, Dns dns,
			Timeouts timeouts, @Nullable Boolean compression, Redirects redirects, @Nullable DataSize maxInMemorySize,
			@Nullable String sslBundle, Retry retry, RateLimit rateLimit, ApiVersion apiVersion) {
		this(baseUrl, defaultHeaders, pool, dns, timeouts, compression, redirects, maxInMemorySize, sslBundle, retry,
				rateLimit, apiVersion, List.of(), null, Proxy.EMPTY, null, null);
	}

	/**
	 * Settings with nothing set.
	 * @return the empty settings
	 */
	public static AsyncApiClientSettings empty() {
		return EMPTY;
	}

	/**
	 * The library defaults: every value set except {@code baseUrl} and {@code sslBundle}.
	 * @return the library defaults
	 */
	public static AsyncApiClientSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * These settings over the library defaults, checked complete once: every value that
	 * {@link #defaults()} sets is set, so the parts of a client read them without
	 * unwrapping. Only {@code baseUrl}, {@code sslBundle}, the rate limit's
	 * {@code permitsPerPeriod} and {@code sharedKey}, the API version and the proxy may stay
	 * unset.
	 * @return the resolved settings
	 * @throws IllegalStateException if a value has no library default (a component added
	 * without one)
	 */
	public AsyncApiClientSettings resolved() {
		AsyncApiClientSettings merged = orElse(DEFAULTS);
		requireComplete("", merged, DEFAULTS);
		return merged;
	}

	private static void requireComplete(String path, Record merged, Record defaults) {
		for (java.lang.reflect.RecordComponent component : merged.getClass().getRecordComponents()) {
			Object value = component(component, merged);
			Object fallback = component(component, defaults);
			if (fallback instanceof Record nested && value instanceof Record) {
				requireComplete(path + component.getName() + ".", (Record) value, nested);
			}
			else if (fallback != null && value == null) {
				throw new IllegalStateException(
						"Setting '" + path + component.getName() + "' is unset after merging with the library defaults");
			}
		}
	}

	private static @Nullable Object component(java.lang.reflect.RecordComponent component, Record record) {
		try {
			return component.getAccessor().invoke(record);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return settings where every value not set here is taken from {@code other}. Default
	 * headers are merged by name ignoring case, this layer winning with its spelling.
	 * @param other the lower layer, may be {@code null}
	 * @return the merged settings
	 */
	public AsyncApiClientSettings orElse(@Nullable AsyncApiClientSettings other) {
		if (other == null) {
			return this;
		}
		return new AsyncApiClientSettings(or(this.baseUrl, other.baseUrl),
				mergeHeaders(other.defaultHeaders, this.defaultHeaders), this.pool.orElse(other.pool),
				this.dns.orElse(other.dns), this.timeouts.orElse(other.timeouts),
				or(this.compression, other.compression), this.redirects.orElse(other.redirects),
				or(this.maxInMemorySize, other.maxInMemorySize), or(this.sslBundle, other.sslBundle),
				this.retry.orElse(other.retry), this.rateLimit.orElse(other.rateLimit),
				this.apiVersion.orElse(other.apiVersion), union(other.sensitiveHeaders, this.sensitiveHeaders),
				or(this.maxResponseSize, other.maxResponseSize), this.proxy.orElse(other.proxy),
				or(this.sslInsecureTrustAll, other.sslInsecureTrustAll), or(this.requestLogging, other.requestLogging));
	}

	/**
	 * The headers these settings treat as sensitive: the built-in ones and
	 * {@link #sensitiveHeaders()}.
	 * @return the sensitive header rules
	 */
	public SensitiveHeaders sensitive() {
		return SensitiveHeaders.builtIn().and(this.sensitiveHeaders);
	}

	public AsyncApiClientSettings withBaseUrl(@Nullable URI baseUrl) {
		return new AsyncApiClientSettings(baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withDefaultHeaders(Map<String, List<String>> defaultHeaders) {
		return new AsyncApiClientSettings(this.baseUrl, defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withPool(Pool pool) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withDns(Dns dns) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withTimeouts(Timeouts timeouts) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withCompression(@Nullable Boolean compression) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withRedirects(Redirects redirects) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withMaxInMemorySize(@Nullable DataSize maxInMemorySize) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withSslBundle(@Nullable String sslBundle) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withRetry(Retry retry) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withRateLimit(RateLimit rateLimit) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withApiVersion(ApiVersion apiVersion) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy,
				this.sslInsecureTrustAll, this.requestLogging);
	}

	public AsyncApiClientSettings withSensitiveHeaders(List<String> sensitiveHeaders) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, sensitiveHeaders, this.maxResponseSize, this.proxy, this.sslInsecureTrustAll,
				this.requestLogging);
	}

	public AsyncApiClientSettings withMaxResponseSize(@Nullable DataSize maxResponseSize) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, maxResponseSize, this.proxy, this.sslInsecureTrustAll,
				this.requestLogging);
	}

	public AsyncApiClientSettings withProxy(Proxy proxy) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, proxy, this.sslInsecureTrustAll,
				this.requestLogging);
	}

	public AsyncApiClientSettings withSslInsecureTrustAll(@Nullable Boolean sslInsecureTrustAll) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy, sslInsecureTrustAll,
				this.requestLogging);
	}

	public AsyncApiClientSettings withRequestLogging(@Nullable RequestLogging requestLogging) {
		return new AsyncApiClientSettings(this.baseUrl, this.defaultHeaders, this.pool, this.dns, this.timeouts,
				this.compression, this.redirects, this.maxInMemorySize, this.sslBundle, this.retry, this.rateLimit,
				this.apiVersion, this.sensitiveHeaders, this.maxResponseSize, this.proxy, this.sslInsecureTrustAll,
				requestLogging);
	}

	/**
	 * The components, with the values of sensitive default headers masked and the base URL
	 * shown as {@link SafeText#uri(URI)} shows it (the proxy masks its own password).
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("AsyncApiClientSettings[");
		for (java.lang.reflect.RecordComponent component : AsyncApiClientSettings.class.getRecordComponents()) {
			Object value = component(component, this);
			if (component.getName().equals("defaultHeaders")) {
				value = SafeText.headers(this.defaultHeaders, sensitive());
			}
			else if (component.getName().equals("baseUrl") && this.baseUrl != null) {
				value = SafeText.uri(this.baseUrl);
			}
			text.append((text.charAt(text.length() - 1) == '[') ? "" : ", ")
				.append(component.getName())
				.append('=')
				.append(value);
		}
		return text.append(']').toString();
	}

	static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
		return (value != null) ? value : fallback;
	}

	private static Map<String, List<String>> mergeHeaders(Map<String, List<String>> lower,
			Map<String, List<String>> upper) {
		if (upper.isEmpty()) {
			return lower;
		}
		if (lower.isEmpty()) {
			return upper;
		}
		Map<String, List<String>> merged = new LinkedHashMap<>(lower);
		upper.keySet().forEach((name) -> merged.keySet().removeIf(name::equalsIgnoreCase));
		merged.putAll(upper);
		return merged;
	}

	private static boolean isToken(String value) {
		return !value.isEmpty() && value.chars()
			.allMatch((c) -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
	}

	private static List<String> union(List<String> lower, List<String> upper) {
		if (upper.isEmpty()) {
			return lower;
		}
		if (lower.isEmpty()) {
			return upper;
		}
		java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(lower);
		names.addAll(upper);
		return List.copyOf(names);
	}

	private static Map<String, List<String>> copyOf(@Nullable Map<String, List<String>> headers) {
		if (headers == null || headers.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * Connection pool and concurrency settings.
	 *
	 * @param maxConnections requests in flight at once across all hosts (aiohttp
	 * {@code limit}); more wait in a queue
	 * @param maxConnectionsPerHost connections to one host at once (aiohttp
	 * {@code limit_per_host})
	 * @param maxPending requests allowed to wait for a permit; beyond it requests fail at
	 * once with {@link AsyncHttpOverloadException}; {@code -1} for no limit other than
	 * {@code acquireTimeout}
	 * @param acquireTimeout longest wait for a permit or a pooled connection
	 * @param maxIdleTime how long a connection may sit idle in the pool (aiohttp
	 * {@code keepalive_timeout})
	 * @param maxLifeTime how long a connection may live at all
	 * @param evictionInterval how often idle and closed connections are evicted in the
	 * background; zero turns background eviction off
	 * @param keepAlive whether connections are reused; {@code false} is aiohttp
	 * {@code force_close}
	 * @param leasing which idle connection is handed out next
	 * @param disposeInactiveAfter how long a host's pool must have been empty (no open
	 * connection, nobody waiting) and untouched before it is disposed with its meters; zero
	 * keeps every host's pool for the client's life
	 */
	public record Pool(@Nullable Integer maxConnections, @Nullable Integer maxConnectionsPerHost,
			@Nullable Integer maxPending, @Nullable Duration acquireTimeout, @Nullable Duration maxIdleTime,
			@Nullable Duration maxLifeTime, @Nullable Duration evictionInterval, @Nullable Boolean keepAlive,
			@Nullable Leasing leasing, @Nullable Duration disposeInactiveAfter) {

		static final Pool EMPTY = new Pool(null, null, null, null, null, null, null, null, null, null);

		public Pool {
			positive("pool.max-connections", maxConnections);
			positive("pool.max-connections-per-host", maxConnectionsPerHost);
			check("pool.max-pending", maxPending, (v) -> v >= -1, "it must be -1 or more",
					"Set -1 for no limit, 0 to refuse whenever all are busy, or a positive number.");
			positive("pool.acquire-timeout", acquireTimeout);
			positive("pool.max-idle-time", maxIdleTime);
			positive("pool.max-life-time", maxLifeTime);
			notNegative("pool.eviction-interval", evictionInterval);
			// Reactor Netty measures a pool's inactivity in whole seconds.
			check("pool.dispose-inactive-after", disposeInactiveAfter, (v) -> v.isZero() || v.getSeconds() >= 1,
					"it must be 0 or at least 1s (pool inactivity is measured in whole seconds)",
					"Set 0 to keep every host's pool, or a duration such as 1m.");
		}

		/**
		 * Pool settings that leave {@code disposeInactiveAfter} unset.
		 */
		public Pool(@Nullable Integer maxConnections, @Nullable Integer maxConnectionsPerHost,
				@Nullable Integer maxPending, @Nullable Duration acquireTimeout, @Nullable Duration maxIdleTime,
				@Nullable Duration maxLifeTime, @Nullable Duration evictionInterval, @Nullable Boolean keepAlive,
				@Nullable Leasing leasing) {
			this(maxConnections, maxConnectionsPerHost, maxPending, acquireTimeout, maxIdleTime, maxLifeTime,
					evictionInterval, keepAlive, leasing, null);
		}

		public Pool withMaxConnections(@Nullable Integer maxConnections) {
			return new Pool(maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withMaxConnectionsPerHost(@Nullable Integer maxConnectionsPerHost) {
			return new Pool(this.maxConnections, maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withMaxPending(@Nullable Integer maxPending) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withAcquireTimeout(@Nullable Duration acquireTimeout) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withMaxIdleTime(@Nullable Duration maxIdleTime) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withMaxLifeTime(@Nullable Duration maxLifeTime) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withEvictionInterval(@Nullable Duration evictionInterval) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, evictionInterval, this.keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withKeepAlive(@Nullable Boolean keepAlive) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, keepAlive, this.leasing,
					this.disposeInactiveAfter);
		}

		public Pool withLeasing(@Nullable Leasing leasing) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, leasing,
					this.disposeInactiveAfter);
		}

		public Pool withDisposeInactiveAfter(@Nullable Duration disposeInactiveAfter) {
			return new Pool(this.maxConnections, this.maxConnectionsPerHost, this.maxPending, this.acquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval, this.keepAlive, this.leasing,
					disposeInactiveAfter);
		}

		Pool orElse(Pool other) {
			return new Pool(or(this.maxConnections, other.maxConnections),
					or(this.maxConnectionsPerHost, other.maxConnectionsPerHost), or(this.maxPending, other.maxPending),
					or(this.acquireTimeout, other.acquireTimeout), or(this.maxIdleTime, other.maxIdleTime),
					or(this.maxLifeTime, other.maxLifeTime), or(this.evictionInterval, other.evictionInterval),
					or(this.keepAlive, other.keepAlive), or(this.leasing, other.leasing),
					or(this.disposeInactiveAfter, other.disposeInactiveAfter));
		}

	}

	/**
	 * Resolver cache settings for Reactor Netty's non-blocking DNS resolver.
	 *
	 * @param cacheTtl longest time a resolved address is cached (aiohttp
	 * {@code ttl_dns_cache})
	 * @param negativeTtl how long a failed lookup is cached
	 */
	public record Dns(@Nullable Duration cacheTtl, @Nullable Duration negativeTtl) {

		static final Dns EMPTY = new Dns(null, null);

		public Dns {
			// Netty's resolver cache counts in whole seconds, as an int.
			check("dns.cache-ttl", cacheTtl, (v) -> v.getSeconds() >= 1 && v.getSeconds() <= Integer.MAX_VALUE,
					"it must be at least 1s (the resolver cache counts whole seconds)",
					"Set a duration of at least 1s, such as 30s.");
			check("dns.negative-ttl", negativeTtl, (v) -> !v.isNegative() && v.getSeconds() <= Integer.MAX_VALUE,
					"it must be between 0s and 68 years",
					"Set 0s to not cache failed lookups, or a short duration such as 5s.");
		}

		public Dns withCacheTtl(@Nullable Duration cacheTtl) {
			return new Dns(cacheTtl, this.negativeTtl);
		}

		public Dns withNegativeTtl(@Nullable Duration negativeTtl) {
			return new Dns(this.cacheTtl, negativeTtl);
		}

		Dns orElse(Dns other) {
			return new Dns(or(this.cacheTtl, other.cacheTtl), or(this.negativeTtl, other.negativeTtl));
		}

	}

	/**
	 * Timeouts by kind.
	 *
	 * @param connect longest time to open a TCP connection
	 * @param read longest gap between reads of the response
	 * @param write longest time one write of the request may take
	 * @param total one deadline for the whole call: queueing, every attempt and every backoff
	 */
	public record Timeouts(@Nullable Duration connect, @Nullable Duration read, @Nullable Duration write,
			@Nullable Duration total) {

		static final Timeouts EMPTY = new Timeouts(null, null, null, null);

		public Timeouts {
			positive("timeouts.connect", connect);
			check("timeouts.connect", connect, (v) -> v.toMillis() <= Integer.MAX_VALUE,
					"it is longer than Netty can express", "Use a connect timeout of a few seconds, for example 5s.");
			positive("timeouts.read", read);
			positive("timeouts.write", write);
			positive("timeouts.total", total);
		}

		Timeouts orElse(Timeouts other) {
			return new Timeouts(or(this.connect, other.connect), or(this.read, other.read),
					or(this.write, other.write), or(this.total, other.total));
		}

	}

	/**
	 * Redirect handling.
	 *
	 * @param follow whether 3xx redirects are followed
	 * @param max most redirects followed for one request
	 * @param allowDowngrade whether a redirect from https to http is followed
	 */
	public record Redirects(@Nullable Boolean follow, @Nullable Integer max, @Nullable Boolean allowDowngrade) {

		static final Redirects EMPTY = new Redirects(null, null, null);

		public Redirects {
			positive("redirects.max", max);
		}

		/**
		 * Redirect settings that leave {@code allowDowngrade} unset.
		 */
		public Redirects(@Nullable Boolean follow, @Nullable Integer max) {
			this(follow, max, null);
		}

		Redirects orElse(Redirects other) {
			return new Redirects(or(this.follow, other.follow), or(this.max, other.max),
					or(this.allowDowngrade, other.allowDowngrade));
		}

	}

	/**
	 * Retry policy. Only requests that are safe to repeat are retried: idempotent methods, or
	 * any method when the request provably was never sent, or a request marked idempotent
	 * (an {@code Idempotency-Key} header or {@link AsyncApiRequest#idempotent()}).
	 *
	 * @param enabled whether failed requests are retried
	 * @param maxAttempts attempts in all, the first included
	 * @param backoff waits between attempts
	 * @param statuses HTTP statuses that are retried
	 * @param maxRetryAfter longest {@code Retry-After} honoured; a longer one fails at once
	 * @param budget cap on the extra load retries add
	 */
	public record Retry(@Nullable Boolean enabled, @Nullable Integer maxAttempts, Backoff backoff,
			@Nullable Set<Integer> statuses, @Nullable Duration maxRetryAfter, Budget budget) {

		static final Retry EMPTY = new Retry(null, null, Backoff.EMPTY, null, null, Budget.EMPTY);

		public Retry {
			backoff = (backoff != null) ? backoff : Backoff.EMPTY;
			statuses = (statuses != null) ? Set.copyOf(statuses) : null;
			budget = (budget != null) ? budget : Budget.EMPTY;
			positive("retry.max-attempts", maxAttempts);
			if (statuses != null) {
				for (Integer status : statuses) {
					if (status == null || status < 100 || status > 599) {
						throw new InvalidSettingException("retry.statuses",
								"it contains " + status + ", which is not an HTTP status",
								"List HTTP statuses between 100 and 599, for example 429,502,503,504.");
					}
				}
			}
			notNegative("retry.max-retry-after", maxRetryAfter);
		}

		public Retry withEnabled(@Nullable Boolean enabled) {
			return new Retry(enabled, this.maxAttempts, this.backoff, this.statuses, this.maxRetryAfter, this.budget);
		}

		public Retry withMaxAttempts(@Nullable Integer maxAttempts) {
			return new Retry(this.enabled, maxAttempts, this.backoff, this.statuses, this.maxRetryAfter, this.budget);
		}

		public Retry withBackoff(Backoff backoff) {
			return new Retry(this.enabled, this.maxAttempts, backoff, this.statuses, this.maxRetryAfter, this.budget);
		}

		public Retry withStatuses(@Nullable Set<Integer> statuses) {
			return new Retry(this.enabled, this.maxAttempts, this.backoff, statuses, this.maxRetryAfter, this.budget);
		}

		public Retry withMaxRetryAfter(@Nullable Duration maxRetryAfter) {
			return new Retry(this.enabled, this.maxAttempts, this.backoff, this.statuses, maxRetryAfter, this.budget);
		}

		public Retry withBudget(Budget budget) {
			return new Retry(this.enabled, this.maxAttempts, this.backoff, this.statuses, this.maxRetryAfter, budget);
		}

		Retry orElse(Retry other) {
			return new Retry(or(this.enabled, other.enabled), or(this.maxAttempts, other.maxAttempts),
					this.backoff.orElse(other.backoff), or(this.statuses, other.statuses),
					or(this.maxRetryAfter, other.maxRetryAfter), this.budget.orElse(other.budget));
		}

		/**
		 * Exponential backoff with jitter.
		 *
		 * @param initial wait before the first retry
		 * @param multiplier factor applied to the wait after each retry
		 * @param max longest wait between attempts
		 * @param jitter random share taken off each wait, from 0 (none) to 1
		 */
		public record Backoff(@Nullable Duration initial, @Nullable Double multiplier, @Nullable Duration max,
				@Nullable Double jitter) {

			static final Backoff EMPTY = new Backoff(null, null, null, null);

			public Backoff {
				notNegative("retry.backoff.initial", initial);
				check("retry.backoff.multiplier", multiplier, (v) -> v >= 1.0, "it must be at least 1",
						"Set 1 for a constant wait, or more, such as 2.");
				notNegative("retry.backoff.max", max);
				check("retry.backoff.jitter", jitter, (v) -> v >= 0.0 && v <= 1.0, "it must be between 0 and 1",
						"Set a share such as 0.5, or 0 for no jitter.");
			}

			public Backoff withInitial(@Nullable Duration initial) {
				return new Backoff(initial, this.multiplier, this.max, this.jitter);
			}

			public Backoff withMultiplier(@Nullable Double multiplier) {
				return new Backoff(this.initial, multiplier, this.max, this.jitter);
			}

			public Backoff withMax(@Nullable Duration max) {
				return new Backoff(this.initial, this.multiplier, max, this.jitter);
			}

			public Backoff withJitter(@Nullable Double jitter) {
				return new Backoff(this.initial, this.multiplier, this.max, jitter);
			}

			Backoff orElse(Backoff other) {
				return new Backoff(or(this.initial, other.initial), or(this.multiplier, other.multiplier),
						or(this.max, other.max), or(this.jitter, other.jitter));
			}

		}

		/**
		 * Retry budget over a ten-second window (Finagle and Envoy style).
		 *
		 * @param ratio retries allowed as a share of first attempts
		 * @param minPerSecond retries allowed per second whatever the ratio
		 */
		public record Budget(@Nullable Double ratio, @Nullable Integer minPerSecond) {

			static final Budget EMPTY = new Budget(null, null);

			public Budget {
				check("retry.budget.ratio", ratio, (v) -> v >= 0.0, "it must not be negative",
						"Set a share such as 0.2 for 20% extra load.");
				notNegative("retry.budget.min-per-second", minPerSecond);
			}

			Budget orElse(Budget other) {
				return new Budget(or(this.ratio, other.ratio), or(this.minPerSecond, other.minPerSecond));
			}

		}

	}

	/**
	 * Request rate limit of a client (a token bucket): requests over the rate wait, without
	 * blocking a thread, up to {@code maxWait}, then fail with
	 * {@link AsyncHttpRateLimitException} without being sent. With {@code shared}, the budget
	 * and the 429 cool-downs are shared by every instance using the same {@code sharedKey}
	 * (see {@link SharedLimits}).
	 *
	 * @param permitsPerPeriod requests allowed per period, or {@code null} for no limit
	 * @param period length of a period
	 * @param maxWait longest wait for a permit
	 * @param shared whether the limit and the cool-downs are shared across instances
	 * @param sharedKey name of the shared budget, or {@code null} for the client name
	 * @param sharedFallback what calls do while the shared store is unreachable
	 * @param sharedTimeout longest wait for one operation on the shared store
	 */
	public record RateLimit(@Nullable Integer permitsPerPeriod, @Nullable Duration period,
			@Nullable Duration maxWait, @Nullable Boolean shared, @Nullable String sharedKey,
			@Nullable SharedFallback sharedFallback, @Nullable Duration sharedTimeout) {

		static final RateLimit EMPTY = new RateLimit(null, null, null, null, null, null, null);

		private static final Pattern SHARED_KEY = Pattern.compile("[a-zA-Z0-9._:/@-]{1,200}");

		public RateLimit {
			positive("rate-limit.permits-per-period", permitsPerPeriod);
			positive("rate-limit.period", period);
			notNegative("rate-limit.max-wait", maxWait);
			// The key goes inside a Redis hash tag, so it must not hold braces.
			check("rate-limit.shared-key", sharedKey, (v) -> SHARED_KEY.matcher(v).matches(),
					"it must be 1 to 200 letters, digits or any of . _ - : / @ (no spaces or braces)",
					"Set a name such as github-api or billing:eu.");
			positive("rate-limit.shared-timeout", sharedTimeout);
		}

		/**
		 * A rate limit of this instance alone.
		 * @param permitsPerPeriod requests allowed per period, or {@code null} for no limit
		 * @param period length of a period
		 * @param maxWait longest wait for a permit
		 */
		public RateLimit(@Nullable Integer permitsPerPeriod, @Nullable Duration period, @Nullable Duration maxWait) {
			this(permitsPerPeriod, period, maxWait, null, null, null, null);
		}

		/**
		 * This limit, shared across instances under {@code sharedKey}.
		 * @param sharedKey name of the shared budget, or {@code null} for the client name
		 * @param sharedFallback what calls do while the shared store is unreachable, or
		 * {@code null} for the lower layer's
		 * @return the shared limit
		 */
		public RateLimit sharedAs(@Nullable String sharedKey, @Nullable SharedFallback sharedFallback) {
			return new RateLimit(this.permitsPerPeriod, this.period, this.maxWait, true, sharedKey, sharedFallback,
					this.sharedTimeout);
		}

		public RateLimit withPermitsPerPeriod(@Nullable Integer permitsPerPeriod) {
			return new RateLimit(permitsPerPeriod, this.period, this.maxWait, this.shared, this.sharedKey,
					this.sharedFallback, this.sharedTimeout);
		}

		public RateLimit withPeriod(@Nullable Duration period) {
			return new RateLimit(this.permitsPerPeriod, period, this.maxWait, this.shared, this.sharedKey,
					this.sharedFallback, this.sharedTimeout);
		}

		public RateLimit withMaxWait(@Nullable Duration maxWait) {
			return new RateLimit(this.permitsPerPeriod, this.period, maxWait, this.shared, this.sharedKey,
					this.sharedFallback, this.sharedTimeout);
		}

		RateLimit orElse(RateLimit other) {
			return new RateLimit(or(this.permitsPerPeriod, other.permitsPerPeriod), or(this.period, other.period),
					or(this.maxWait, other.maxWait), or(this.shared, other.shared), or(this.sharedKey, other.sharedKey),
					or(this.sharedFallback, other.sharedFallback), or(this.sharedTimeout, other.sharedTimeout));
		}

	}

	/**
	 * What a client with a shared rate limit does while the shared store is unreachable.
	 */
	public enum SharedFallback {

		/**
		 * Use this instance's own limiter and cool-downs, with the same permits: the service
		 * keeps working, and its instances together may exceed the shared rate.
		 */
		LOCAL,

		/**
		 * Fail rate-limited calls at once, unsent, with
		 * {@link AsyncHttpSharedLimitUnavailableException}.
		 */
		FAIL

	}

	/**
	 * Proxy that a client's connections go through.
	 *
	 * @param type kind of proxy, or {@code null} for none
	 * @param host proxy host
	 * @param port proxy port
	 * @param username user name sent to the proxy, or {@code null} for none
	 * @param password password sent to the proxy; never shown in text
	 * @param nonProxyHosts hosts reached directly, as a Java regular expression such as
	 * {@code localhost|.*\.internal}
	 */
	public record Proxy(@Nullable ProxyType type, @Nullable String host, @Nullable Integer port,
			@Nullable String username, @Nullable String password, @Nullable String nonProxyHosts) {

		static final Proxy EMPTY = new Proxy(null, null, null, null, null, null);

		Proxy orElse(Proxy other) {
			// A proxy is one unit: a layer that names a type replaces the lower layer's proxy.
			if (this.type != null || other.type == null) {
				return this;
			}
			return other;
		}

		@Override
		public String toString() {
			return "Proxy[type=" + this.type + ", host=" + this.host + ", port=" + this.port + ", username="
					+ this.username + ", password=" + ((this.password != null) ? "******" : null) + ", nonProxyHosts="
					+ this.nonProxyHosts + "]";
		}

	}

	/**
	 * Kind of proxy.
	 */
	public enum ProxyType {

		/**
		 * An HTTP proxy ({@code CONNECT} for https).
		 */
		HTTP,

		/**
		 * A SOCKS version 5 proxy.
		 */
		SOCKS5

	}

	/**
	 * What the request log writes for each attempt.
	 */
	public enum RequestLogging {

		/**
		 * Nothing.
		 */
		NONE,

		/**
		 * One line: client, method, masked URI, status, attempt and duration.
		 */
		BASIC,

		/**
		 * The basic line and the request and response headers, sensitive values masked.
		 */
		HEADERS

	}

	/**
	 * Which idle connection the pool hands out next.
	 */
	public enum Leasing {

		/**
		 * Least recently used first: spreads load over every idle connection.
		 */
		FIFO,

		/**
		 * Most recently used first: keeps a small hot set and lets the rest idle out.
		 */
		LIFO

	}

	/**
	 * API version of every request, like {@code spring.http.serviceclient.<name>.apiversion}:
	 * a default version and where it is inserted. Several insert locations may be set at
	 * once; the version then goes to each. A version set per request (for example
	 * {@code @HttpExchange(version = "2")}) replaces the default.
	 *
	 * @param defaultVersion version sent when a request sets none, or {@code null} for none
	 * @param header name of the request header that carries the version
	 * @param queryParameter name of the query parameter that carries the version
	 * @param pathSegment index of the path segment that carries the version
	 * @param mediaTypeParameter name of the Content-Type and Accept media type parameter
	 * that carries the version
	 */
	public record ApiVersion(@Nullable String defaultVersion, @Nullable String header,
			@Nullable String queryParameter, @Nullable Integer pathSegment, @Nullable String mediaTypeParameter) {

		static final ApiVersion EMPTY = new ApiVersion(null, null, null, null, null);

		public ApiVersion {
			String tokenReason = "it must be a non-empty token (letters, digits and !#$%&'*+-.^_`|~)";
			check("api-version.default", defaultVersion,
					(v) -> !v.isBlank() && v.indexOf('\r') < 0 && v.indexOf('\n') < 0 && v.indexOf('\0') < 0,
					"it must not be blank nor contain a line break", "Set a version such as 1.0 or 2026-01-01.");
			check("api-version.insert.header", header, AsyncApiClientSettings::isToken, tokenReason,
					"Set a header name such as X-API-Version.");
			check("api-version.insert.query-parameter", queryParameter, AsyncApiClientSettings::isToken,
					tokenReason, "Set a query parameter name such as version.");
			notNegative("api-version.insert.path-segment", pathSegment);
			check("api-version.insert.media-type-parameter", mediaTypeParameter, AsyncApiClientSettings::isToken,
					tokenReason, "Set a media type parameter name such as v.");
		}

		ApiVersion orElse(ApiVersion other) {
			return new ApiVersion(or(this.defaultVersion, other.defaultVersion), or(this.header, other.header),
					or(this.queryParameter, other.queryParameter), or(this.pathSegment, other.pathSegment),
					or(this.mediaTypeParameter, other.mediaTypeParameter));
		}

		/**
		 * Whether a version has somewhere to go.
		 * @return whether any insert location is set
		 */
		public boolean hasInsert() {
			return this.header != null || this.queryParameter != null || this.pathSegment != null
					|| this.mediaTypeParameter != null;
		}

	}

}
