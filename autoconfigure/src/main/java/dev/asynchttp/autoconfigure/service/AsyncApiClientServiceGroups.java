package dev.asynchttp.autoconfigure.service;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.asynchttp.autoconfigure.InvalidAsyncHttpPropertyException;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import dev.asynchttp.client.service.AsyncApiClientAdapter;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer.Groups;

/**
 * Backs every HTTP service group whose name is an async-http client name with that client,
 * whatever the group's client type, by replacing the exchange adapter its proxy factory
 * would get. Other groups are not touched. A {@code spring.http.serviceclient.<name>.*}
 * property of such a group would be ignored, so it fails startup instead.
 *
 * @author async-http
 */
final class AsyncApiClientServiceGroups {

	private static final String SERVICE_CLIENT_PREFIX = "spring.http.serviceclient.";

	/**
	 * Boot's per-group properties and the async-http properties that take their place,
	 * relative to the group and the client.
	 */
	private static final Map<String, String> REPLACEMENTS = Map.ofEntries(Map.entry("base-url", "base-url"),
			Map.entry("default-header", "default-headers"), Map.entry("connect-timeout", "timeouts.connect"),
			Map.entry("read-timeout", "timeouts.read"), Map.entry("redirects", "redirects.follow"),
			Map.entry("ssl.bundle", "ssl.bundle"), Map.entry("ssl", "ssl.bundle"),
			Map.entry("apiversion.default", "api-version.default"),
			Map.entry("apiversion.insert.header", "api-version.insert.header"),
			Map.entry("apiversion.insert.query-parameter", "api-version.insert.query-parameter"),
			Map.entry("apiversion.insert.path-segment", "api-version.insert.path-segment"),
			Map.entry("apiversion.insert.media-type-parameter", "api-version.insert.media-type-parameter"));

	private final AsyncApiClients clients;

	private final Environment environment;

	AsyncApiClientServiceGroups(AsyncApiClients clients, Environment environment) {
		this.clients = clients;
		this.environment = environment;
	}

	/**
	 * Back the matching groups of one client type.
	 * @param groups the groups of one client type
	 */
	void configure(Groups<?> groups) {
		groups.filter(this::isAsyncHttpClient).forEachProxyFactory((group, proxyFactory) -> {
			AsyncApiClient client = this.clients.get(group.name());
			failOnServiceClientProperties(group);
			// The decorator replaces whatever adapter the group's client builder yields.
			// Registered before the decorators of later configurers, which wrap this one.
			AsyncApiClientAdapter adapter = AsyncApiClientAdapter.of(client);
			proxyFactory.exchangeAdapterDecorator((groupAdapter) -> adapter);
		});
	}

	private boolean isAsyncHttpClient(HttpServiceGroup group) {
		return this.clients.names().contains(group.name());
	}

	private void failOnServiceClientProperties(HttpServiceGroup group) {
		String name = group.name();
		ConfigurationPropertyName prefix = ConfigurationPropertyName.adapt(SERVICE_CLIENT_PREFIX + name, '.');
		Set<ConfigurationPropertyName> found = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(prefix::isAncestorOf).forEach(found::add);
			}
		}
		if (found.isEmpty()) {
			return;
		}
		ConfigurationPropertyName property = found.iterator().next();
		String relative = property.subName(prefix.getNumberOfElements()).toString();
		String replacement = replacement(name, relative);
		throw new InvalidAsyncHttpPropertyException(property.toString(),
				"HTTP service group '" + name + "' is backed by the async-http client '" + name + "', whose "
						+ replacement + " applies instead, so this setting would be silently ignored",
				"Move the value to " + replacement + " and remove " + property + ".");
	}

	private static String replacement(String client, String relative) {
		String clientPrefix = "async-http.clients." + client + ".";
		String best = null;
		for (Map.Entry<String, String> entry : REPLACEMENTS.entrySet()) {
			String key = entry.getKey();
			if ((relative.equals(key) || relative.startsWith(key + "."))
					&& (best == null || key.length() > best.length())) {
				best = key;
			}
		}
		if (best == null) {
			return clientPrefix + "*";
		}
		String rest = relative.substring(best.length());
		return clientPrefix + REPLACEMENTS.get(best) + rest;
	}

}
