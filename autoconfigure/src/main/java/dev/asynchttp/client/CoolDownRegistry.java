package dev.asynchttp.client;

import java.time.Duration;

/**
 * Hosts paused after a 429 with {@code Retry-After}, by {@code host:port}. The retry policy
 * records pauses; the exchange filter asks, on every call, how long the host still pauses,
 * so {@link #remaining} must answer from memory. {@link SharedLimits} may supply one that
 * tells other instances.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface CoolDownRegistry {

	/**
	 * Pause calls to a host.
	 * @param host the {@code host:port}
	 * @param pause how long; a shorter pause never shortens a longer one in force
	 */
	void pause(String host, Duration pause);

	/**
	 * How long calls to a host must still wait.
	 * @param host the {@code host:port}
	 * @return the time left, {@link Duration#ZERO} when the host is not paused
	 */
	Duration remaining(String host);

	/**
	 * Whether no host is paused at all: checked first on every call, so that calls build no
	 * host key while no cool-down is active. May answer {@code false} for a pause that has
	 * just ended.
	 * @return {@code true} when no host is paused
	 */
	boolean isEmpty();

}
