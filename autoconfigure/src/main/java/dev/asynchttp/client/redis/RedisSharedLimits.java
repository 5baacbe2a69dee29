package dev.asynchttp.client.redis;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClientSettings.SharedFallback;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.CoolDownRegistry;
import dev.asynchttp.client.RequestRateLimiter;
import dev.asynchttp.client.SharedLimits;
import io.lettuce.core.AbstractRedisClient;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * {@link SharedLimits} through Redis, on the application's Lettuce client: Bucket4j buckets
 * for rate limits and pub/sub-announced keys for cool-downs, both named after
 * {@code rate-limit.shared-key}. Nothing connects until the first shared client is built.
 * As a {@link SmartLifecycle} it stops right after the clients ({@link AsyncApiClients#PHASE})
 * and before Spring Data Redis's connection factory (phase 0) shuts the Lettuce client
 * down; it never closes the Lettuce client itself.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class RedisSharedLimits implements SharedLimits, SmartLifecycle, AutoCloseable {

	/**
	 * How often an unreachable Redis is tried again.
	 */
	public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

	/**
	 * Longest wait at startup for the first connection.
	 */
	private static final Duration STARTUP_WAIT = Duration.ofSeconds(2);

	private final RedisLink link;

	private final Map<String, Share> shares = new ConcurrentHashMap<>();

	private volatile boolean running;

	/**
	 * Create shared limits on a Lettuce client.
	 * @param redisClient supplies the application's Lettuce client (a {@code RedisClient}:
	 * standalone or Sentinel); asked for when the first shared client is built
	 * @param probeInterval how often an unreachable Redis is tried again
	 */
	public RedisSharedLimits(Supplier<? extends AbstractRedisClient> redisClient, Duration probeInterval) {
		Assert.notNull(redisClient, "'redisClient' must not be null");
		Assert.isTrue(probeInterval.compareTo(Duration.ZERO) > 0, "'probeInterval' must be positive");
		this.link = new RedisLink(redisClient, probeInterval, Duration.ofSeconds(1));
	}

	@Override
	public RequestRateLimiter rateLimiter(String clientName, AsyncApiClientSettings.RateLimit settings,
			RequestRateLimiter local) {
		RedisRateLimiter limiter = new RedisRateLimiter(this.link, sharedKey(clientName, settings), settings, local);
		share(clientName, settings).limiter = limiter;
		this.link.start(STARTUP_WAIT);
		return limiter;
	}

	@Override
	public CoolDownRegistry coolDowns(String clientName, AsyncApiClientSettings.RateLimit settings,
			CoolDownRegistry local) {
		String sharedKey = sharedKey(clientName, settings);
		RedisCoolDowns coolDowns = new RedisCoolDowns(this.link, sharedKey, local,
				settings.sharedTimeout());
		share(clientName, settings);
		this.link.listen(sharedKey, coolDowns);
		this.link.start(STARTUP_WAIT);
		return coolDowns;
	}

	private Share share(String clientName, AsyncApiClientSettings.RateLimit settings) {
		return this.shares.computeIfAbsent(clientName, (name) -> new Share(sharedKey(name, settings),
				settings.sharedFallback()));
	}

	private static String sharedKey(String clientName, AsyncApiClientSettings.RateLimit settings) {
		return (settings.sharedKey() != null) ? settings.sharedKey() : clientName;
	}

	@Override
	public Map<String, Object> state(String clientName) {
		Share share = this.shares.get(clientName);
		if (share == null) {
			return Map.of();
		}
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("sharedKey", share.sharedKey);
		state.put("mode", mode(share.fallback));
		state.putAll(this.link.describe());
		RedisRateLimiter limiter = share.limiter;
		if (limiter != null) {
			state.put("fallbackCalls", limiter.fallbackCalls());
			state.put("failedCalls", limiter.failedCalls());
		}
		return state;
	}

	/**
	 * What shared clients do right now.
	 * @param fallback the client's fallback
	 * @return {@code shared}, {@code local-fallback} or {@code failing}
	 */
	private String mode(SharedFallback fallback) {
		if (this.link.status() == RedisLink.Status.UP) {
			return "shared";
		}
		return (fallback == SharedFallback.LOCAL) ? "local-fallback" : "failing";
	}

	/**
	 * Whether Redis can be used right now.
	 * @return {@code true} while shared limits are in force
	 */
	public boolean isShared() {
		return this.link.status() == RedisLink.Status.UP;
	}

	/**
	 * Names of the clients that share their limits.
	 * @return the client names
	 */
	public Set<String> clientNames() {
		return Collections.unmodifiableSet(this.shares.keySet());
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return AsyncApiClients.PHASE - 1;
	}

	@Override
	public void close() {
		this.running = false;
		this.link.close();
	}

	private static final class Share {

		private final String sharedKey;

		private final SharedFallback fallback;

		private volatile @Nullable RedisRateLimiter limiter;

		Share(String sharedKey, SharedFallback fallback) {
			this.sharedKey = sharedKey;
			this.fallback = fallback;
		}

	}

}
