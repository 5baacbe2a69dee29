package dev.asynchttp.client;

import java.time.Duration;

/**
 * Starting points for a client, after the guide's three connector scenarios. A preset sits
 * between a layer's own values and the layer below: values set next to the preset win.
 *
 * @author async-http
 * @since 0.1.0
 */
public enum AsyncApiClientPreset {

	/**
	 * Many requests to many hosts: 1000 connections, 100 per host, DNS cached for 5
	 * minutes, idle connections swept every 10 seconds.
	 */
	HIGH_CONCURRENCY(AsyncApiClientSettings.empty()
		.withPool(new AsyncApiClientSettings.Pool(1000, 100, 5000, null, null, null, Duration.ofSeconds(10), null,
				null))
		.withDns(new AsyncApiClientSettings.Dns(Duration.ofMinutes(5), null))),

	/**
	 * Few long-lived connections to one API: 50 connections kept alive for 5 minutes.
	 */
	PERSISTENT(AsyncApiClientSettings.empty()
		.withPool(new AsyncApiClientSettings.Pool(50, 50, null, null, Duration.ofMinutes(5), Duration.ofMinutes(30),
				null, true, null))),

	/**
	 * A strictly limited API: 10 connections, 2 per host, 30 second keep-alive.
	 */
	RATE_LIMITED_API(AsyncApiClientSettings.empty()
		.withPool(new AsyncApiClientSettings.Pool(10, 2, null, null, Duration.ofSeconds(30), null, null, null,
				null)));

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

}
