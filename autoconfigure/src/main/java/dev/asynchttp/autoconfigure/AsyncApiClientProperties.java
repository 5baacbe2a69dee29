package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import dev.asynchttp.client.AsyncApiClientSettings.ProxyType;
import dev.asynchttp.client.AsyncApiClientSettings.RequestLogging;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one client, or of {@code async-http.defaults}. Every value is optional: an
 * unset value is inherited from the preset, then from {@code defaults}, then from the
 * library defaults.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncApiClientProperties {

	/**
	 * Preset to start from: high-concurrency, persistent, rate-limited-api or the name of one
	 * under async-http.presets. Values set next to it win; values it sets win over the layer
	 * below.
	 */
	private @Nullable String preset;

	/**
	 * Absolute http or https URL that URI templates are resolved against, without user info,
	 * query or fragment.
	 */
	private @Nullable String baseUrl;

	/**
	 * Headers sent with every request, merged by name (ignoring case) with those of
	 * defaults. A value is sent as written, commas included; a list (name[0], name[1]) sends
	 * the header once per value.
	 */
	// Object values: bound as Map<String, List<String>>, Boot would split "Foo/1.0 (x, y)" at
	// the comma. A plain value stays a String; an indexed list arrives as a map of indexes.
	private final Map<String, Object> defaultHeaders = new LinkedHashMap<>();

	/**
	 * Whether to ask for compressed (gzip) responses.
	 */
	private @Nullable Boolean compression;

	/**
	 * Largest response body decoded in memory.
	 */
	private @Nullable DataSize maxInMemorySize;

	/**
	 * Most bytes of a streamed or downloaded body (stream, download, bodyToFlux), counted
	 * after decompression; a larger body fails the call.
	 */
	private @Nullable DataSize maxResponseSize;

	/**
	 * More request header names whose values are secret (stripped on cross-origin
	 * redirects, masked in text), added to Authorization, Proxy-Authorization, Cookie and
	 * the built-in API-key and token names; '*' matches any characters.
	 */
	private @Nullable List<String> sensitiveHeaders;

	private final Pool pool = new Pool();

	private final Dns dns = new Dns();

	private final Timeouts timeouts = new Timeouts();

	private final Redirects redirects = new Redirects();

	private final Ssl ssl = new Ssl();

	private final Retry retry = new Retry();

	private final RateLimit rateLimit = new RateLimit();

	private final Metrics metrics = new Metrics();

	private final Health health = new Health();

	private final ApiVersion apiVersion = new ApiVersion();

	private final Proxy proxy = new Proxy();

	private final Logging logging = new Logging();

	public @Nullable String getPreset() {
		return this.preset;
	}

	public void setPreset(@Nullable String preset) {
		this.preset = preset;
	}

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public Map<String, Object> getDefaultHeaders() {
		return this.defaultHeaders;
	}

	public @Nullable Boolean getCompression() {
		return this.compression;
	}

	public void setCompression(@Nullable Boolean compression) {
		this.compression = compression;
	}

	public @Nullable DataSize getMaxInMemorySize() {
		return this.maxInMemorySize;
	}

	public void setMaxInMemorySize(@Nullable DataSize maxInMemorySize) {
		this.maxInMemorySize = maxInMemorySize;
	}

	public @Nullable DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(@Nullable DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public @Nullable List<String> getSensitiveHeaders() {
		return this.sensitiveHeaders;
	}

	public void setSensitiveHeaders(@Nullable List<String> sensitiveHeaders) {
		this.sensitiveHeaders = sensitiveHeaders;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Dns getDns() {
		return this.dns;
	}

	public Timeouts getTimeouts() {
		return this.timeouts;
	}

	public Redirects getRedirects() {
		return this.redirects;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Health getHealth() {
		return this.health;
	}

	public ApiVersion getApiVersion() {
		return this.apiVersion;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	public Logging getLogging() {
		return this.logging;
	}

	/**
	 * Connection pool and concurrency settings.
	 */
	public static class Pool {

		/**
		 * Requests in flight at once across all hosts of this client (aiohttp limit); more
		 * wait in a queue.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Connections to one host at once (aiohttp limit_per_host); at most max-connections.
		 */
		private @Nullable Integer maxConnectionsPerHost;

		/**
		 * Requests allowed to wait for a connection; beyond it a request fails at once with
		 * an overload error and is never sent. -1 (default) queues every request, each for
		 * at most the acquire timeout; 0 fails at once whenever all are busy.
		 */
		private @Nullable Integer maxPending;

		/**
		 * Longest wait for a connection in the queue before an acquire timeout.
		 */
		private @Nullable Duration acquireTimeout;

		/**
		 * How long a connection may stay idle in the pool (aiohttp keepalive_timeout); keep it
		 * below the servers' keep-alive timeout.
		 */
		private @Nullable Duration maxIdleTime;

		/**
		 * How long a connection may live at all, so DNS changes are picked up.
		 */
		private @Nullable Duration maxLifeTime;

		/**
		 * How often idle and closed connections are evicted in the background (aiohttp
		 * enable_cleanup_closed); 0 turns background eviction off.
		 */
		private @Nullable Duration evictionInterval;

		/**
		 * Whether connections are kept alive and reused; false opens one per request
		 * (aiohttp force_close).
		 */
		private @Nullable Boolean keepAlive;

		/**
		 * Which idle connection is handed out next: lifo keeps a small hot set, fifo spreads
		 * over all.
		 */
		private @Nullable Leasing leasing;

		/**
		 * How long a host's connection pool must have been empty and untouched before it is
		 * disposed with its meters and endpoint entry; needs eviction-interval above 0. 0
		 * keeps every host's pool for the client's life.
		 */
		private @Nullable Duration disposeInactiveAfter;

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public @Nullable Integer getMaxConnectionsPerHost() {
			return this.maxConnectionsPerHost;
		}

		public void setMaxConnectionsPerHost(@Nullable Integer maxConnectionsPerHost) {
			this.maxConnectionsPerHost = maxConnectionsPerHost;
		}

		public @Nullable Integer getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(@Nullable Integer maxPending) {
			this.maxPending = maxPending;
		}

		public @Nullable Duration getAcquireTimeout() {
			return this.acquireTimeout;
		}

		public void setAcquireTimeout(@Nullable Duration acquireTimeout) {
			this.acquireTimeout = acquireTimeout;
		}

		public @Nullable Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(@Nullable Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public @Nullable Duration getMaxLifeTime() {
			return this.maxLifeTime;
		}

		public void setMaxLifeTime(@Nullable Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
		}

		public @Nullable Duration getEvictionInterval() {
			return this.evictionInterval;
		}

		public void setEvictionInterval(@Nullable Duration evictionInterval) {
			this.evictionInterval = evictionInterval;
		}

		public @Nullable Boolean getKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(@Nullable Boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		public @Nullable Leasing getLeasing() {
			return this.leasing;
		}

		public void setLeasing(@Nullable Leasing leasing) {
			this.leasing = leasing;
		}

		public @Nullable Duration getDisposeInactiveAfter() {
			return this.disposeInactiveAfter;
		}

		public void setDisposeInactiveAfter(@Nullable Duration disposeInactiveAfter) {
			this.disposeInactiveAfter = disposeInactiveAfter;
		}

	}

	/**
	 * Settings of Reactor Netty's non-blocking DNS resolver.
	 */
	public static class Dns {

		/**
		 * Longest time a resolved address is cached (aiohttp ttl_dns_cache).
		 */
		private @Nullable Duration cacheTtl;

		/**
		 * How long a failed lookup is cached; 0 does not cache failures.
		 */
		private @Nullable Duration negativeTtl;

		public @Nullable Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(@Nullable Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public @Nullable Duration getNegativeTtl() {
			return this.negativeTtl;
		}

		public void setNegativeTtl(@Nullable Duration negativeTtl) {
			this.negativeTtl = negativeTtl;
		}

	}

	/**
	 * Timeouts by kind.
	 */
	public static class Timeouts {

		/**
		 * Longest time to open a TCP connection.
		 */
		private @Nullable Duration connect;

		/**
		 * Longest gap between reads of the response (aiohttp sock_read).
		 */
		private @Nullable Duration read;

		/**
		 * Longest time one write of the request may take.
		 */
		private @Nullable Duration write;

		/**
		 * One deadline for the whole call: queueing, every attempt and every backoff (aiohttp
		 * total).
		 */
		private @Nullable Duration total;

		public @Nullable Duration getConnect() {
			return this.connect;
		}

		public void setConnect(@Nullable Duration connect) {
			this.connect = connect;
		}

		public @Nullable Duration getRead() {
			return this.read;
		}

		public void setRead(@Nullable Duration read) {
			this.read = read;
		}

		public @Nullable Duration getWrite() {
			return this.write;
		}

		public void setWrite(@Nullable Duration write) {
			this.write = write;
		}

		public @Nullable Duration getTotal() {
			return this.total;
		}

		public void setTotal(@Nullable Duration total) {
			this.total = total;
		}

	}

	/**
	 * Redirect handling.
	 */
	public static class Redirects {

		/**
		 * Whether to follow 3xx redirects, each through the rate limit, cool-downs and
		 * deadline; one to another origin drops every sensitive header and cookie.
		 */
		private @Nullable Boolean follow;

		/**
		 * Most redirects followed for one request; one more, or a loop, fails the call.
		 */
		private @Nullable Integer max;

		/**
		 * Whether to follow a redirect from https to http; refused with an error otherwise.
		 */
		private @Nullable Boolean allowDowngrade;

		public @Nullable Boolean getAllowDowngrade() {
			return this.allowDowngrade;
		}

		public void setAllowDowngrade(@Nullable Boolean allowDowngrade) {
			this.allowDowngrade = allowDowngrade;
		}

		public @Nullable Boolean getFollow() {
			return this.follow;
		}

		public void setFollow(@Nullable Boolean follow) {
			this.follow = follow;
		}

		public @Nullable Integer getMax() {
			return this.max;
		}

		public void setMax(@Nullable Integer max) {
			this.max = max;
		}

	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of the Spring SSL bundle (spring.ssl.bundle.*) used for https; unset uses the
		 * JDK trust store.
		 */
		private @Nullable String bundle;

		/**
		 * Whether to accept any server certificate, for any host name, without verifying
		 * it. For local development only: it logs a warning at startup, shows in the Actuator
		 * endpoint and cannot be combined with bundle.
		 */
		private @Nullable Boolean insecureTrustAll;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public @Nullable Boolean getInsecureTrustAll() {
			return this.insecureTrustAll;
		}

		public void setInsecureTrustAll(@Nullable Boolean insecureTrustAll) {
			this.insecureTrustAll = insecureTrustAll;
		}

	}

	/**
	 * Retry policy. Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) are retried
	 * after the request may have reached the server; POST and PATCH only with an
	 * Idempotency-Key header or when marked idempotent per request. A request that was never
	 * sent may be retried whatever its method.
	 */
	public static class Retry {

		/**
		 * Whether failed requests are retried.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Attempts in all, the first included.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * HTTP statuses that are retried.
		 */
		private @Nullable Set<Integer> statuses;

		/**
		 * Longest Retry-After honoured; a server asking for longer makes the call fail at once.
		 */
		private @Nullable Duration maxRetryAfter;

		private final Backoff backoff = new Backoff();

		private final Budget budget = new Budget();

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Set<Integer> getStatuses() {
			return this.statuses;
		}

		public void setStatuses(@Nullable Set<Integer> statuses) {
			this.statuses = statuses;
		}

		public @Nullable Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(@Nullable Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public Budget getBudget() {
			return this.budget;
		}

		/**
		 * Exponential backoff between attempts.
		 */
		public static class Backoff {

			/**
			 * Wait before the first retry.
			 */
			private @Nullable Duration initial;

			/**
			 * Factor applied to the wait after each retry.
			 */
			private @Nullable Double multiplier;

			/**
			 * Longest wait between two attempts.
			 */
			private @Nullable Duration max;

			/**
			 * Random share taken off each wait, from 0 (none) to 1.
			 */
			private @Nullable Double jitter;

			public @Nullable Duration getInitial() {
				return this.initial;
			}

			public void setInitial(@Nullable Duration initial) {
				this.initial = initial;
			}

			public @Nullable Double getMultiplier() {
				return this.multiplier;
			}

			public void setMultiplier(@Nullable Double multiplier) {
				this.multiplier = multiplier;
			}

			public @Nullable Duration getMax() {
				return this.max;
			}

			public void setMax(@Nullable Duration max) {
				this.max = max;
			}

			public @Nullable Double getJitter() {
				return this.jitter;
			}

			public void setJitter(@Nullable Double jitter) {
				this.jitter = jitter;
			}

		}

		/**
		 * Retry budget: caps the extra load retries add, over a ten-second window.
		 */
		public static class Budget {

			/**
			 * Retries allowed as a share of first attempts, for example 0.25 for 25% extra load.
			 */
			private @Nullable Double ratio;

			/**
			 * Retries allowed per second whatever the ratio, so quiet clients can still retry.
			 */
			private @Nullable Integer minPerSecond;

			public @Nullable Double getRatio() {
				return this.ratio;
			}

			public void setRatio(@Nullable Double ratio) {
				this.ratio = ratio;
			}

			public @Nullable Integer getMinPerSecond() {
				return this.minPerSecond;
			}

			public void setMinPerSecond(@Nullable Integer minPerSecond) {
				this.minPerSecond = minPerSecond;
			}

		}

	}

	/**
	 * Request rate limit (a token bucket): requests over the rate wait without blocking a
	 * thread, up to max-wait, then fail unsent.
	 */
	public static class RateLimit {

		/**
		 * Requests allowed per period; unset means no rate limit.
		 */
		private @Nullable Integer permitsPerPeriod;

		/**
		 * Length of a period.
		 */
		private @Nullable Duration period;

		/**
		 * Longest wait for a permit before the request fails unsent.
		 */
		private @Nullable Duration maxWait;

		/**
		 * Whether the limit and 429 cool-downs are shared, through Redis, by every instance
		 * with the same shared-key (needs spring-boot-starter-data-redis).
		 */
		private @Nullable Boolean shared;

		/**
		 * Name of the shared budget; instances (of any application) with the same key share
		 * one limit. Unset means the client name.
		 */
		private @Nullable String sharedKey;

		/**
		 * What calls do while Redis is unreachable: 'local' uses this instance's own limiter
		 * and cool-downs, 'fail' fails rate-limited calls unsent.
		 */
		private @Nullable SharedFallback sharedFallback;

		/**
		 * Longest wait for one Redis operation before the client falls back.
		 */
		private @Nullable Duration sharedTimeout;

		public @Nullable Boolean getShared() {
			return this.shared;
		}

		public void setShared(@Nullable Boolean shared) {
			this.shared = shared;
		}

		public @Nullable String getSharedKey() {
			return this.sharedKey;
		}

		public void setSharedKey(@Nullable String sharedKey) {
			this.sharedKey = sharedKey;
		}

		public @Nullable SharedFallback getSharedFallback() {
			return this.sharedFallback;
		}

		public void setSharedFallback(@Nullable SharedFallback sharedFallback) {
			this.sharedFallback = sharedFallback;
		}

		public @Nullable Duration getSharedTimeout() {
			return this.sharedTimeout;
		}

		public void setSharedTimeout(@Nullable Duration sharedTimeout) {
			this.sharedTimeout = sharedTimeout;
		}

		public @Nullable Integer getPermitsPerPeriod() {
			return this.permitsPerPeriod;
		}

		public void setPermitsPerPeriod(@Nullable Integer permitsPerPeriod) {
			this.permitsPerPeriod = permitsPerPeriod;
		}

		public @Nullable Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(@Nullable Duration period) {
			this.period = period;
		}

		public @Nullable Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(@Nullable Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * Micrometer metrics of the client (they need Micrometer, for example through
	 * spring-boot-starter-actuator).
	 */
	public static class Metrics {

		/**
		 * Whether to record the client's metrics: pool gauges, http.client.requests and the
		 * async.http.client meters.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Whether pool meters and cool-downs are tagged with each remote address; false sums
		 * all hosts into one series tagged 'all'.
		 */
		private @Nullable Boolean perHost;

		/**
		 * Most distinct uri tag values the client records in http.client.requests; further
		 * values are recorded as OVERFLOW.
		 */
		private @Nullable Integer maxUriTags;

		/**
		 * Most hosts of the client whose pool meters carry their own remote.address at once;
		 * pools of further hosts are summed into one series tagged OVERFLOW.
		 */
		private @Nullable Integer maxHostTags;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Boolean getPerHost() {
			return this.perHost;
		}

		public void setPerHost(@Nullable Boolean perHost) {
			this.perHost = perHost;
		}

		public @Nullable Integer getMaxUriTags() {
			return this.maxUriTags;
		}

		public void setMaxUriTags(@Nullable Integer maxUriTags) {
			this.maxUriTags = maxUriTags;
		}

		public @Nullable Integer getMaxHostTags() {
			return this.maxHostTags;
		}

		public void setMaxHostTags(@Nullable Integer maxHostTags) {
			this.maxHostTags = maxHostTags;
		}

	}

	/**
	 * Health check of the client in /actuator/health (it needs Spring Boot Actuator).
	 */
	public static class Health {

		/**
		 * Path, relative to base-url, of a lightweight GET whose failure marks the client
		 * DOWN; unset adds no health check.
		 */
		private @Nullable String path;

		/**
		 * Longest time the health check may take before the client is reported DOWN.
		 */
		private @Nullable Duration timeout;

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * API version sent with every request, through the WebClient's API version inserter.
	 */
	public static class ApiVersion {

		/**
		 * Version sent when a request sets none; needs an insert location.
		 */
		@Name("default")
		private @Nullable String defaultVersion;

		private final Insert insert = new Insert();

		public @Nullable String getDefaultVersion() {
			return this.defaultVersion;
		}

		public void setDefaultVersion(@Nullable String defaultVersion) {
			this.defaultVersion = defaultVersion;
		}

		public Insert getInsert() {
			return this.insert;
		}

		/**
		 * Where the version goes; several locations may be set at once.
		 */
		public static class Insert {

			/**
			 * Name of the request header that carries the version.
			 */
			private @Nullable String header;

			/**
			 * Name of the query parameter that carries the version.
			 */
			private @Nullable String queryParameter;

			/**
			 * Index of the path segment that carries the version, counted from 0.
			 */
			private @Nullable Integer pathSegment;

			/**
			 * Name of the media type parameter (of Content-Type and Accept) that carries the
			 * version.
			 */
			private @Nullable String mediaTypeParameter;

			public @Nullable String getHeader() {
				return this.header;
			}

			public void setHeader(@Nullable String header) {
				this.header = header;
			}

			public @Nullable String getQueryParameter() {
				return this.queryParameter;
			}

			public void setQueryParameter(@Nullable String queryParameter) {
				this.queryParameter = queryParameter;
			}

			public @Nullable Integer getPathSegment() {
				return this.pathSegment;
			}

			public void setPathSegment(@Nullable Integer pathSegment) {
				this.pathSegment = pathSegment;
			}

			public @Nullable String getMediaTypeParameter() {
				return this.mediaTypeParameter;
			}

			public void setMediaTypeParameter(@Nullable String mediaTypeParameter) {
				this.mediaTypeParameter = mediaTypeParameter;
			}

		}

	}

	/**
	 * Proxy that the client's connections go through.
	 */
	public static class Proxy {

		/**
		 * Kind of proxy; unset means no proxy.
		 */
		private @Nullable ProxyType type;

		/**
		 * Proxy host.
		 */
		private @Nullable String host;

		/**
		 * Proxy port.
		 */
		private @Nullable Integer port;

		/**
		 * User name sent to the proxy.
		 */
		private @Nullable String username;

		/**
		 * Password sent to the proxy; never shown in logs, errors or Actuator output.
		 */
		private @Nullable String password;

		/**
		 * Hosts reached directly, as a Java regular expression such as
		 * localhost|.*\.internal.
		 */
		private @Nullable String nonProxyHosts;

		public @Nullable ProxyType getType() {
			return this.type;
		}

		public void setType(@Nullable ProxyType type) {
			this.type = type;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(@Nullable String nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

	}

	/**
	 * Logging settings.
	 */
	public static class Logging {

		/**
		 * What the request log (logger dev.asynchttp.client.requests, at INFO) writes for each
		 * attempt: none, basic (one line) or headers (with sensitive values masked).
		 */
		private @Nullable RequestLogging requests;

		public @Nullable RequestLogging getRequests() {
			return this.requests;
		}

		public void setRequests(@Nullable RequestLogging requests) {
			this.requests = requests;
		}

	}

}
