package dev.asynchttp.client.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanStream;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one link of an application to Redis for shared limits: two Lettuce connections from
 * the application's Redis client (commands, and pub/sub for cool-downs), the Bucket4j proxy
 * manager on the first, and whether Redis can be used right now.
 * <p>
 * Redis is used only while it is {@link Status#UP}; any failed or timed-out operation, or
 * a dropped connection, turns it {@link Status#DOWN} (one WARN per outage), and a probe then
 * pings it every {@code probeInterval} until it answers (one INFO), so calls never wait on
 * a Redis that is known to be down. The first connection is opened by the probe too, so an
 * application starts even while Redis is down.
 */
final class RedisLink implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisLink.class);

	private static final byte[] PAUSED = "1".getBytes(StandardCharsets.UTF_8);

	/**
	 * How long an idle bucket stays in Redis once it would be full again.
	 */
	private static final Duration BUCKET_IDLE_EXPIRY = Duration.ofSeconds(10);

	enum Status {

		CONNECTING, UP, DOWN, CLOSED

	}

	private final Supplier<? extends AbstractRedisClient> redisClient;

	private final Duration probeInterval;

	private final Duration timeout;

	private final Object lock = new Object();

	private volatile Status status = Status.CONNECTING;

	private volatile @Nullable Connections connections;

	private volatile @Nullable Instant downSince;

	private volatile @Nullable String lastError;

	private final AtomicLong outages = new AtomicLong();

	private @Nullable Disposable probe;

	private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

	/**
	 * Local views of cool-downs, by pub/sub channel.
	 */
	private final Map<String, List<RedisCoolDowns>> coolDowns = new ConcurrentHashMap<>();

	/**
	 * @param redisClient the application's Lettuce client, asked for only when connecting
	 * @param probeInterval how often an unreachable Redis is tried again
	 * @param timeout bound of the probe's connect and ping
	 */
	RedisLink(Supplier<? extends AbstractRedisClient> redisClient, Duration probeInterval, Duration timeout) {
		this.redisClient = redisClient;
		this.probeInterval = probeInterval;
		this.timeout = timeout;
	}

	/**
	 * Start connecting, if not started yet, and wait up to {@code wait} for the first
	 * attempt, so that calls right after startup are already shared.
	 */
	void start(Duration wait) {
		synchronized (this.lock) {
			if (this.status == Status.CONNECTING && this.probe == null) {
				startProbe();
			}
		}
		try {
			this.firstAttempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// Still connecting: calls fall back until it is done; the probe goes on.
			logger.debug("Redis not connected yet after " + wait + "; shared limits start in fallback", ex);
		}
	}

	Status status() {
		return this.status;
	}

	/**
	 * The connections, when Redis may be used right now.
	 * @return the connections, or {@code null} while Redis is not up
	 */
	@Nullable Connections usable() {
		Connections current = this.connections;
		if (this.status != Status.UP || current == null) {
			return null;
		}
		if (!current.commands().isOpen()) {
			failed(new IllegalStateException("connection to Redis closed"));
			return null;
		}
		return current;
	}

	/**
	 * Record a failed Redis operation: Redis is down until the probe gets an answer.
	 * @param cause what failed
	 */
	void failed(Throwable cause) {
		String error = describe(cause);
		synchronized (this.lock) {
			if (this.status == Status.DOWN || this.status == Status.CLOSED) {
				return;
			}
			this.lastError = error;
			this.status = Status.DOWN;
			this.downSince = Instant.now();
			this.outages.incrementAndGet();
			startProbe();
		}
		logger.warn("Redis is unreachable (" + error + "): async-http clients with rate-limit.shared use their"
				+ " local rate limit and cool-downs (rate-limit.shared-fallback=local) or fail rate-limited calls"
				+ " unsent (fail) until Redis answers again; retrying every " + this.probeInterval.toMillis() + "ms");
	}

	private void up(Connections current) {
		boolean recovered;
		synchronized (this.lock) {
			if (this.status == Status.UP || this.status == Status.CLOSED) {
				return;
			}
			recovered = this.status == Status.DOWN;
			this.status = Status.UP;
			this.downSince = null;
			if (this.probe != null) {
				this.probe.dispose();
				this.probe = null;
			}
		}
		if (recovered) {
			logger.info("Redis answers again: async-http rate limits and cool-downs are shared again");
		}
		// Pauses announced while this instance was not listening.
		this.coolDowns.keySet().forEach((channel) -> resync(current, channel));
	}

	private void startProbe() {
		if (this.probe != null) {
			return;
		}
		this.probe = Flux.interval(Duration.ZERO, this.probeInterval, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.concatMap((tick) -> probeOnce(), 1)
			.subscribe();
	}

	private Mono<Void> probeOnce() {
		Connections current = this.connections;
		if (current == null) {
			// Lettuce's connect blocks, so it runs on a bounded-elastic thread, bounded by the
			// client's connect timeout.
			return Mono.fromCallable(this::connect)
				.subscribeOn(Schedulers.boundedElastic())
				.doOnNext(this::up)
				.doOnError(this::failed)
				.doFinally((signal) -> this.firstAttempt.complete(null))
				.onErrorResume((ex) -> Mono.empty())
				.then();
		}
		if (!current.commands().isOpen()) {
			// Lettuce is reconnecting; a ping would only queue.
			return Mono.empty();
		}
		return current.commands()
			.reactive()
			.ping()
			.timeout(this.timeout)
			.doOnNext((pong) -> up(current))
			.doOnError((ex) -> this.lastError = describe(ex))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	private Connections connect() {
		AbstractRedisClient client = this.redisClient.get();
		if (!(client instanceof RedisClient redis)) {
			throw new IllegalStateException("rate-limit.shared supports a standalone or Sentinel Redis, not "
					+ client.getClass().getSimpleName());
		}
		StatefulRedisConnection<String, byte[]> commands = redis
			.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		StatefulRedisPubSubConnection<String, String> pubSub;
		try {
			pubSub = redis.connectPubSub(StringCodec.UTF8);
		}
		catch (RuntimeException ex) {
			commands.closeAsync();
			throw ex;
		}
		commands.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				failed(new IllegalStateException("connection to Redis lost"));
			}
		});
		pubSub.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				onPause(channel, message);
			}

			@Override
			public void subscribed(String channel, long count) {
				// Also after Lettuce re-subscribes on a new connection: catch up on what was
				// announced meanwhile.
				Connections current = RedisLink.this.connections;
				if (current != null) {
					resync(current, channel);
				}
			}
		});
		LettuceBasedProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(commands)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(BUCKET_IDLE_EXPIRY))
			.build();
		Connections current = new Connections(commands, pubSub, buckets);
		synchronized (this.lock) {
			if (this.status == Status.CLOSED) {
				current.close();
				throw new IllegalStateException("closed");
			}
			this.connections = current;
		}
		Set<String> channels = this.coolDowns.keySet();
		if (!channels.isEmpty()) {
			pubSub.async().subscribe(channels.toArray(String[]::new));
		}
		return current;
	}

	/**
	 * Listen for cool-downs announced under a shared key.
	 * @param sharedKey the shared key
	 * @param view the local view to keep fresh
	 */
	void listen(String sharedKey, RedisCoolDowns view) {
		String channel = channel(sharedKey);
		boolean first = this.coolDowns.computeIfAbsent(channel, (key) -> new CopyOnWriteArrayList<>()).isEmpty();
		this.coolDowns.get(channel).add(view);
		Connections current = this.connections;
		if (first && current != null) {
			Mono.fromCompletionStage(current.pubSub().async().subscribe(channel))
				.timeout(this.timeout)
				.subscribe(null, this::failed);
		}
	}

	/**
	 * Announce a cool-down to every instance sharing the key: a key whose TTL is the pause
	 * (only ever lengthened), for instances that look later, and a message, for those
	 * listening now.
	 * @param sharedKey the shared key
	 * @param host the host
	 * @param pause the pause
	 * @param timeout bound of the whole announcement
	 */
	void announcePause(String sharedKey, String host, Duration pause, Duration timeout) {
		Connections current = usable();
		if (current == null) {
			return;
		}
		long millis = Math.max(1, pause.toMillis());
		String key = coolDownPrefix(sharedKey) + host;
		RedisReactiveCommands<String, byte[]> redis = current.commands().reactive();
		redis.set(key, PAUSED, SetArgs.Builder.nx().px(millis))
			.then(redis.pexpire(key, millis, ExpireArgs.Builder.gt()))
			.then(redis.publish(channel(sharedKey), (millis + "|" + host).getBytes(StandardCharsets.UTF_8)))
			.timeout(timeout)
			.subscribe(null, this::failed);
	}

	private void onPause(String channel, String message) {
		int bar = message.indexOf('|');
		long millis;
		try {
			millis = (bar > 0) ? Long.parseLong(message.substring(0, bar)) : -1;
		}
		catch (NumberFormatException ex) {
			millis = -1;
		}
		if (millis <= 0) {
			logger.warn("Ignoring a malformed cool-down message on Redis channel " + channel);
			return;
		}
		apply(channel, message.substring(bar + 1), Duration.ofMillis(millis));
	}

	private void apply(String channel, String host, Duration pause) {
		List<RedisCoolDowns> views = this.coolDowns.get(channel);
		if (views != null) {
			views.forEach((view) -> view.apply(host, pause));
		}
	}

	private void resync(Connections current, String channel) {
		String sharedKey = sharedKey(channel);
		if (sharedKey == null) {
			return;
		}
		String prefix = coolDownPrefix(sharedKey);
		RedisReactiveCommands<String, byte[]> redis = current.commands().reactive();
		ScanStream.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(200))
			.flatMap((key) -> redis.pttl(key).map((ttl) -> Map.entry(key.substring(prefix.length()), ttl)))
			.filter((entry) -> entry.getValue() > 0)
			.timeout(this.timeout.multipliedBy(10))
			.subscribe((entry) -> apply(channel, entry.getKey(), Duration.ofMillis(entry.getValue())), this::failed);
	}

	/**
	 * JSON-friendly state, for the endpoint and health.
	 */
	Map<String, Object> describe() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("redis", this.status.name().toLowerCase());
		Instant since = this.downSince;
		if (since != null) {
			state.put("downSince", since.toString());
		}
		String error = this.lastError;
		if (error != null) {
			state.put("lastError", error);
		}
		state.put("outages", this.outages.get());
		return state;
	}

	@Override
	public void close() {
		Connections current;
		synchronized (this.lock) {
			this.status = Status.CLOSED;
			if (this.probe != null) {
				this.probe.dispose();
				this.probe = null;
			}
			current = this.connections;
			this.connections = null;
		}
		this.firstAttempt.complete(null);
		if (current != null) {
			current.close();
		}
	}

	static String channel(String sharedKey) {
		return "asynchttp:{" + sharedKey + "}:cool-downs";
	}

	static String coolDownPrefix(String sharedKey) {
		return "asynchttp:{" + sharedKey + "}:cool-down:";
	}

	static String bucketKey(String sharedKey) {
		return "asynchttp:{" + sharedKey + "}:rate";
	}

	private static @Nullable String sharedKey(String channel) {
		int open = channel.indexOf('{');
		int close = channel.lastIndexOf('}');
		return (open >= 0 && close > open) ? channel.substring(open + 1, close) : null;
	}

	/**
	 * A failure as shown in logs and the endpoint: its type and message, which for Lettuce
	 * name the address but never the password.
	 */
	static String describe(Throwable ex) {
		Throwable cause = (ex.getCause() != null && ex.getMessage() == null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	/**
	 * The open connections.
	 *
	 * @param commands commands, for Bucket4j and cool-down keys
	 * @param pubSub subscriptions to cool-down announcements
	 * @param buckets Bucket4j's proxy manager on {@code commands}
	 */
	record Connections(StatefulRedisConnection<String, byte[]> commands,
			StatefulRedisPubSubConnection<String, String> pubSub, LettuceBasedProxyManager<String> buckets) {

		/**
		 * Close both, waiting for it: the Lettuce client, shut down next, would otherwise
		 * find them still closing.
		 */
		void close() {
			this.pubSub.close();
			this.commands.close();
		}

	}

}
