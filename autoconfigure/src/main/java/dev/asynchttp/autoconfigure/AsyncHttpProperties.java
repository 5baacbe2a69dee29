package dev.asynchttp.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of async-http clients: a {@code defaults} block inherited by every named
 * client under {@code clients}, and the application's own {@code presets}.
 *
 * @author async-http
 * @since 0.1.0
 */
@ConfigurationProperties("async-http")
public class AsyncHttpProperties {

	/**
	 * Whether to create async-http clients.
	 */
	private boolean enabled = true;

	/**
	 * How long calls in flight may still run when the application shuts down, before their
	 * connections are closed.
	 */
	private Duration shutdownGracePeriod = Duration.ofSeconds(10);

	/**
	 * Settings every client inherits unless it sets its own.
	 */
	@NestedConfigurationProperty
	private final AsyncApiClientProperties defaults = new AsyncApiClientProperties();

	/**
	 * Clients by name: one block per API, each injectable as an AsyncApiClient bean with that
	 * name.
	 */
	private final Map<String, AsyncApiClientProperties> clients = new LinkedHashMap<>();

	/**
	 * Presets of the application by name, with the same properties as a client (but no
	 * preset, metrics or health of their own); a client or defaults names one with preset.
	 */
	private final Map<String, AsyncApiClientProperties> presets = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getShutdownGracePeriod() {
		return this.shutdownGracePeriod;
	}

	public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
		this.shutdownGracePeriod = shutdownGracePeriod;
	}

	public AsyncApiClientProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, AsyncApiClientProperties> getClients() {
		return this.clients;
	}

	public Map<String, AsyncApiClientProperties> getPresets() {
		return this.presets;
	}

}
