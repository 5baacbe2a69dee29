package dev.asynchttp.client;

import java.util.Map;

/**
 * Shares rate limits and cool-downs between the instances of a service, for clients with
 * {@code rate-limit.shared: true}. Each method wraps the client's local implementation,
 * which the shared one falls back to (see {@code rate-limit.shared-fallback}).
 * Implementations must never block the caller and must bound every remote operation.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface SharedLimits {

	/**
	 * The shared rate limiter of a client.
	 * @param clientName the client name
	 * @param settings the client's effective rate limit settings, with
	 * {@code permitsPerPeriod} set
	 * @param local the client's local limiter, for fallback
	 * @return the limiter the client uses
	 */
	RequestRateLimiter rateLimiter(String clientName, AsyncApiClientSettings.RateLimit settings,
			RequestRateLimiter local);

	/**
	 * The shared cool-downs of a client.
	 * @param clientName the client name
	 * @param settings the client's effective rate limit settings
	 * @param local the client's local cool-downs, which also serve as the local view
	 * @return the cool-downs the client uses
	 */
	CoolDownRegistry coolDowns(String clientName, AsyncApiClientSettings.RateLimit settings, CoolDownRegistry local);

	/**
	 * The live state of a client's sharing, for the Actuator endpoint and health.
	 * @param clientName the client name
	 * @return JSON-friendly state, empty when the client shares nothing
	 */
	Map<String, Object> state(String clientName);

}
