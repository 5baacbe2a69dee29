package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Hosts that answered 429 with {@code Retry-After}: until the pause ends, the client's
 * requests to that host wait (without blocking) instead of hammering a server that asked
 * them to wait.
 */
final class HostCoolDowns implements CoolDownRegistry {

	private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

	private final LongSupplier nanoClock;

	HostCoolDowns(LongSupplier nanoClock) {
		this.nanoClock = nanoClock;
	}

	static String key(URI uri) {
		return uri.getHost() + ":" + ClientRuntime.port(uri);
	}

	/**
	 * Whether no host is cooling down: the common case, answered without building a key.
	 */
	@Override
	public boolean isEmpty() {
		return this.pausedUntil.isEmpty();
	}

	@Override
	public void pause(String host, Duration pause) {
		long until = this.nanoClock.getAsLong() + pause.toNanos();
		this.pausedUntil.merge(host, until, Math::max);
	}

	@Override
	public Duration remaining(String host) {
		Long until = this.pausedUntil.get(host);
		if (until == null) {
			return Duration.ZERO;
		}
		long left = until - this.nanoClock.getAsLong();
		if (left <= 0) {
			this.pausedUntil.remove(host, until);
			return Duration.ZERO;
		}
		return Duration.ofNanos(left);
	}

}
