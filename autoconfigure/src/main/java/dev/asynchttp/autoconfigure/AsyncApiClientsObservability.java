package dev.asynchttp.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * The metrics and health settings of every client, resolved and checked once from the
 * {@code async-http.*} properties; the metrics, health and endpoint auto-configurations
 * all read this bean.
 *
 * @param configured the settings of each configured client, in configuration order
 * @param others the settings of a client without properties of its own (one of an
 * application-defined {@code AsyncApiClients}): {@code async-http.defaults}, then the
 * built-in defaults
 * @author async-http
 * @since 0.1.0
 */
public record AsyncApiClientsObservability(Map<String, AsyncApiClientObservability> configured,
		AsyncApiClientObservability others) {

	public AsyncApiClientsObservability {
		Assert.notNull(others, "'others' must not be null");
		configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
	}

	/**
	 * Resolve and check the settings of every client configured in {@code properties}.
	 * @param properties the {@code async-http.*} properties
	 * @return the settings
	 * @throws InvalidAsyncHttpPropertyException if a value is invalid
	 */
	public static AsyncApiClientsObservability of(AsyncHttpProperties properties) {
		return new AsyncApiClientsObservability(AsyncApiClientObservability.of(properties),
				AsyncApiClientObservability.ofDefaults(properties));
	}

	/**
	 * The settings of a client.
	 * @param clientName the client name
	 * @return its settings if it is configured, else {@link #others()}
	 */
	public AsyncApiClientObservability get(String clientName) {
		return this.configured.getOrDefault(clientName, this.others);
	}

}
