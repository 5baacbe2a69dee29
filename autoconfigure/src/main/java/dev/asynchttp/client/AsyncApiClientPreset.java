package dev.asynchttp.client;

import java.time.Duration;
import java.util.Locale;

import dev.asynchttp.client.AsyncApiClientSettings.Dns;
import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import dev.asynchttp.client.AsyncApiClientSettings.RateLimit;
import dev.asynchttp.client.AsyncApiClientSettings.Retry;

/**
 * Built-in starting points for a client, after the guide's three connector scenarios. A
 * preset sits between a layer's own values and the layer below: values set next to the
 * preset win. In configuration a preset is named in kebab case ({@code high-concurrency});
 * applications may define more under {@code async-http.presets.<name>}.
 *
 * @author async-http
 * @since 0.1.0
 */
public enum AsyncApiClientPreset {

	/**
	 * Many requests to many hosts: 1000 connections, 100 per host, DNS cached for 5
	 * minutes, idle connections swept every 10 seconds. The wait queue stays unbounded (the
	 * library default, bounded in time by {@code pool.acquire-timeout}): the preset raises
	 * capacity and should not fail a burst that the defaults would serve, and the queue is
	 * one for all hosts, so a bound would let the backlog of one slow host refuse calls to
	 * every other. Set {@code pool.max-pending} next to the preset to shed load instead.
	 */
	HIGH_CONCURRENCY(AsyncApiClientSettings.empty()
		.withPool(Pool.EMPTY.withMaxConnections(1000).withMaxConnectionsPerHost(100)
			.withEvictionInterval(Duration.ofSeconds(10)))
		.withDns(Dns.EMPTY.withCacheTtl(Duration.ofMinutes(5)))),

	/**
	 * Few long-lived connections to one API: 50 connections, idle ones kept 50 seconds,
	 * each reopened after 30 minutes. 50 seconds stays below the idle timeout of common
	 * load balancers and proxies (AWS ALB 60 s, nginx 75 s), so the server side never
	 * closes a connection just as it is reused; Reactor Netty checks the idle time when it
	 * hands a connection out, not only in the background sweep.
	 */
	PERSISTENT(AsyncApiClientSettings.empty()
		.withPool(Pool.EMPTY.withMaxConnections(50).withMaxConnectionsPerHost(50)
			.withMaxIdleTime(Duration.ofSeconds(50)).withMaxLifeTime(Duration.ofMinutes(30)).withKeepAlive(true))),

	/**
	 * An API with a published request quota: 1 request per second (3,600 an hour, below
	 * GitHub's 5,000 for an authenticated user), 10 connections, 2 per host, 30 second
	 * keep-alive. Retries start after 1 second instead of 100 ms, and a {@code Retry-After}
	 * of up to a minute (GitHub's secondary limits ask for one) is honoured when the call's
	 * deadline allows it. Set {@code rate-limit.permits-per-period} next to the preset to the
	 * API's own quota.
	 */
	RATE_LIMITED_API(AsyncApiClientSettings.empty()
		.withPool(Pool.EMPTY.withMaxConnections(10).withMaxConnectionsPerHost(2)
			.withMaxIdleTime(Duration.ofSeconds(30)))
		.withRateLimit(RateLimit.EMPTY.withPermitsPerPeriod(1).withPeriod(Duration.ofSeconds(1)))
		.withRetry(Retry.EMPTY.withBackoff(Retry.Backoff.EMPTY.withInitial(Duration.ofSeconds(1)))
			.withMaxRetryAfter(Duration.ofMinutes(1))));

	private final AsyncApiClientSettings settings;

	AsyncApiClientPreset(AsyncApiClientSettings settings) {
		this.settings = settings;
	}

	/**
	 * The values this preset sets; everything else is left unset.
	 * @return the preset's partial settings
	 */
	public AsyncApiClientSettings settings() {
		return this.settings;
	}

	/**
	 * The name of this preset in configuration, such as {@code rate-limited-api}.
	 * @return the kebab-case name
	 */
	public String configurationName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
