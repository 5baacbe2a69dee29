package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.asynchttp.client.AsyncApiClientPreset;
import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import org.jspecify.annotations.Nullable;

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
	 * Preset to start from: values set next to it win, values it sets win over the layer
	 * below.
	 */
	private @Nullable AsyncApiClientPreset preset;

	/**
	 * Absolute http or https URL that URI templates are resolved against, without user info,
	 * query or fragment.
	 */
	private @Nullable String baseUrl;

	/**
	 * Headers sent with every request, merged by name with those of defaults.
	 */
	private final Map<String, List<String>> defaultHeaders = new LinkedHashMap<>();

	/**
	 * Whether to ask for compressed (gzip) responses.
	 */
	private @Nullable Boolean compression;

	/**
	 * Largest response body decoded in memory.
	 */
	private @Nullable DataSize maxInMemorySize;

	private final Pool pool = new Pool();

	private final Dns dns = new Dns();

	private final Timeouts timeouts = new Timeouts();

	private final Redirects redirects = new Redirects();

	private final Ssl ssl = new Ssl();

	public @Nullable AsyncApiClientPreset getPreset() {
		return this.preset;
	}

	public void setPreset(@Nullable AsyncApiClientPreset preset) {
		this.preset = preset;
	}

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public Map<String, List<String>> getDefaultHeaders() {
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
		 * an overload error and is never sent. 0 fails at once whenever all are busy.
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
		 * Whether to follow 3xx redirects. Reactor Netty drops Authorization and Cookie
		 * headers when a redirect changes host or port.
		 */
		private @Nullable Boolean follow;

		/**
		 * Most redirects followed for one request.
		 */
		private @Nullable Integer max;

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

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}
