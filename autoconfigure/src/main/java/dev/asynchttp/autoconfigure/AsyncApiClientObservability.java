package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Metrics and health settings of one client: what the auto-configuration does around a
 * client, as opposed to the client's own {@code AsyncApiClientSettings}. Each value is the
 * client's {@code async-http.clients.<name>.metrics|health.*} property, else the
 * {@code async-http.defaults} one, else the built-in default from {@link #defaults()};
 * presets do not set them. Resolved and checked in {@code AsyncApiClientSettingsMapper}.
 *
 * @param metrics the client's metrics settings
 * @param health the client's health check settings
 * @author async-http
 * @since 0.1.0
 */
public record AsyncApiClientObservability(Metrics metrics, Health health) {

	/**
	 * Default of {@code metrics.enabled}.
	 */
	public static final boolean DEFAULT_METRICS_ENABLED = true;

	/**
	 * Default of {@code metrics.per-host}.
	 */
	public static final boolean DEFAULT_METRICS_PER_HOST = true;

	/**
	 * Default of {@code metrics.max-uri-tags}.
	 */
	public static final int DEFAULT_METRICS_MAX_URI_TAGS = 100;

	/**
	 * Default of {@code metrics.max-host-tags}.
	 */
	public static final int DEFAULT_METRICS_MAX_HOST_TAGS = 100;

	/**
	 * Default of {@code health.timeout}; {@code health.path} has no default.
	 */
	public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(2);

	private static final AsyncApiClientObservability DEFAULTS = new AsyncApiClientObservability(
			new Metrics(DEFAULT_METRICS_ENABLED, DEFAULT_METRICS_PER_HOST, DEFAULT_METRICS_MAX_URI_TAGS,
					DEFAULT_METRICS_MAX_HOST_TAGS),
			new Health(null, DEFAULT_HEALTH_TIMEOUT));

	public AsyncApiClientObservability {
		Assert.notNull(metrics, "'metrics' must not be null");
		Assert.notNull(health, "'health' must not be null");
	}

	/**
	 * The built-in defaults: metrics on, per host, at most 100 {@code uri} tag values and
	 * 100 hosts with their own pool meters per client; no health check, 2 seconds when there is one.
	 * @return the defaults
	 */
	public static AsyncApiClientObservability defaults() {
		return DEFAULTS;
	}

	/**
	 * Resolve and check the settings of every client configured in {@code properties}.
	 * @param properties the {@code async-http.*} properties
	 * @return the settings by client name, in configuration order
	 * @throws InvalidAsyncHttpPropertyException if a value is invalid
	 */
	public static Map<String, AsyncApiClientObservability> of(AsyncHttpProperties properties) {
		return AsyncApiClientSettingsMapper.observability(properties);
	}

	/**
	 * The settings of a client without properties of its own (one of an
	 * application-defined {@code AsyncApiClients}): {@code async-http.defaults}, then the
	 * built-in defaults.
	 * @param properties the {@code async-http.*} properties
	 * @return the settings
	 * @throws InvalidAsyncHttpPropertyException if a value is invalid
	 */
	public static AsyncApiClientObservability ofDefaults(AsyncHttpProperties properties) {
		return AsyncApiClientSettingsMapper.observabilityOfDefaults(properties);
	}

	/**
	 * Metrics settings.
	 *
	 * @param enabled whether the client's meters are recorded
	 * @param perHost whether pool meters and cool-downs carry each remote address, or sum
	 * all hosts into one series tagged {@code all}
	 * @param maxUriTags most distinct {@code uri} tag values of {@code http.client.requests}
	 * for the client; further values are recorded as {@code OVERFLOW}
	 * @param maxHostTags most hosts of the client whose pool meters carry their own
	 * {@code remote.address} at once; pools of further hosts are summed into one series
	 * tagged {@code OVERFLOW}
	 */
	public record Metrics(boolean enabled, boolean perHost, int maxUriTags, int maxHostTags) {

	}

	/**
	 * Health check settings.
	 *
	 * @param path path, relative to the base URL, of a GET whose failure marks the client
	 * down, or {@code null} for no health check
	 * @param timeout longest time the health check may take
	 */
	public record Health(@Nullable String path, Duration timeout) {

		public Health {
			Assert.notNull(timeout, "'timeout' must not be null");
		}

	}

}
