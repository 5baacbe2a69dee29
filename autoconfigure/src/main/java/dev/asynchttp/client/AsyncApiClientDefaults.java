package dev.asynchttp.client;

import java.time.Duration;
import java.util.Set;

import dev.asynchttp.client.AsyncApiClientSettings.Leasing;
import dev.asynchttp.client.AsyncApiClientSettings.RequestLogging;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;

import org.springframework.util.unit.DataSize;

/**
 * The library defaults, one constant per property, named after its path
 * ({@code pool.max-connections} is {@link #POOL_MAX_CONNECTIONS}). They build
 * {@link AsyncApiClientSettings#defaults()}; the configuration metadata and the README state
 * the same values, which a test checks. Properties without a constant have no default.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientDefaults {

	public static final int POOL_MAX_CONNECTIONS = 200;

	public static final int POOL_MAX_CONNECTIONS_PER_HOST = 50;

	/**
	 * No limit on waiting requests other than {@link #POOL_ACQUIRE_TIMEOUT}.
	 */
	public static final int POOL_MAX_PENDING = -1;

	public static final Duration POOL_ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

	public static final Duration POOL_MAX_IDLE_TIME = Duration.ofSeconds(15);

	public static final Duration POOL_MAX_LIFE_TIME = Duration.ofMinutes(5);

	public static final Duration POOL_EVICTION_INTERVAL = Duration.ofSeconds(30);

	public static final boolean POOL_KEEP_ALIVE = true;

	public static final Leasing POOL_LEASING = Leasing.LIFO;

	public static final Duration POOL_DISPOSE_INACTIVE_AFTER = Duration.ofMinutes(1);

	public static final Duration DNS_CACHE_TTL = Duration.ofSeconds(30);

	public static final Duration DNS_NEGATIVE_TTL = Duration.ZERO;

	public static final Duration TIMEOUTS_CONNECT = Duration.ofSeconds(5);

	public static final Duration TIMEOUTS_READ = Duration.ofSeconds(30);

	public static final Duration TIMEOUTS_WRITE = Duration.ofSeconds(30);

	public static final Duration TIMEOUTS_TOTAL = Duration.ofSeconds(60);

	public static final boolean COMPRESSION = true;

	public static final boolean REDIRECTS_FOLLOW = false;

	public static final int REDIRECTS_MAX = 10;

	public static final boolean REDIRECTS_ALLOW_DOWNGRADE = false;

	public static final DataSize MAX_IN_MEMORY_SIZE = DataSize.ofMegabytes(2);

	public static final DataSize MAX_RESPONSE_SIZE = DataSize.ofGigabytes(1);

	public static final boolean RETRY_ENABLED = true;

	public static final int RETRY_MAX_ATTEMPTS = 3;

	public static final Duration RETRY_BACKOFF_INITIAL = Duration.ofMillis(100);

	public static final double RETRY_BACKOFF_MULTIPLIER = 2.0;

	public static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(5);

	public static final double RETRY_BACKOFF_JITTER = 0.5;

	public static final Set<Integer> RETRY_STATUSES = Set.of(429, 502, 503, 504);

	public static final Duration RETRY_MAX_RETRY_AFTER = Duration.ofSeconds(30);

	/**
	 * A quarter, not Finagle's fifth: with {@link #RETRY_MAX_ATTEMPTS} attempts, a 20 % failure
	 * rate needs retries for 24 % of first attempts (0.2 + 0.2²), so a fifth cut the default
	 * policy short at exactly the failure rate it is there to ride out.
	 */
	public static final double RETRY_BUDGET_RATIO = 0.25;

	public static final int RETRY_BUDGET_MIN_PER_SECOND = 10;

	public static final Duration RATE_LIMIT_PERIOD = Duration.ofSeconds(1);

	public static final Duration RATE_LIMIT_MAX_WAIT = Duration.ofSeconds(5);

	public static final boolean RATE_LIMIT_SHARED = false;

	public static final SharedFallback RATE_LIMIT_SHARED_FALLBACK = SharedFallback.LOCAL;

	public static final Duration RATE_LIMIT_SHARED_TIMEOUT = Duration.ofMillis(200);

	public static final boolean SSL_INSECURE_TRUST_ALL = false;

	public static final RequestLogging LOGGING_REQUESTS = RequestLogging.NONE;

	private AsyncApiClientDefaults() {
	}

}
