package dev.asynchttp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.asynchttp.client.AsyncApiClientDefaults;
import dev.asynchttp.client.AsyncApiClientPreset;
import dev.asynchttp.client.AsyncApiClientSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the generated {@code META-INF/spring-configuration-metadata.json} (what IDEs
 * show) documents every {@code async-http.defaults.*} property and states the defaults the
 * library really applies, {@link AsyncApiClientSettings#defaults()}. The only
 * {@code async-http.defaults.*} properties that are not library settings are the
 * auto-configuration's own {@code metrics.*} and {@code health.*}: they are listed
 * explicitly by {@link #AUTO_CONFIGURATION_ONLY} and their defaults checked against
 * {@link AsyncApiClientObservability#defaults()}. The README's property tables state the same
 * defaults.
 */
class AsyncHttpConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String DEFAULTS = "async-http.defaults.";

	/**
	 * Settings components whose property name is not their kebab-case name.
	 */
	private static final Map<String, String> RENAMED = Map.of("ssl-bundle", "ssl.bundle",
			"api-version.default-version", "default", "api-version.header", "insert.header",
			"api-version.query-parameter", "insert.query-parameter", "api-version.path-segment",
			"insert.path-segment", "api-version.media-type-parameter", "insert.media-type-parameter",
			"ssl-insecure-trust-all", "ssl.insecure-trust-all", "request-logging", "logging.requests");

	/**
	 * {@code async-http.defaults.*} properties that configure the auto-configuration around
	 * a client (Micrometer meters, the Actuator health check) rather than the client
	 * library, so they have no {@link AsyncApiClientSettings} component. Their built-in
	 * defaults live in {@link AsyncApiClientObservability#defaults()}.
	 */
	private static final List<String> AUTO_CONFIGURATION_ONLY = List.of("metrics.enabled", "metrics.per-host",
			"metrics.max-uri-tags", "metrics.max-host-tags", "health.path", "health.timeout");

	/**
	 * A row of a README property table: the property relative to the client, and its
	 * default.
	 */
	private static final Pattern README_ROW = Pattern.compile("\\| `([a-z][a-z0-9.-]*)` \\|([^|]*)\\|.*");

	/**
	 * Library settings with a default but no README row: {@code ssl.insecure-trust-all} is
	 * bound but not yet applied by the factory, so the README does not offer it.
	 */
	private static final List<String> NOT_IN_README = List.of("ssl.insecure-trust-all");

	private final ConversionService conversionService = ApplicationConversionService.getSharedInstance();

	private Map<String, JsonNode> properties;

	private JsonNode metadata;

	@BeforeEach
	void loadMetadata() throws IOException {
		List<JsonNode> ours = new ArrayList<>();
		List<URL> resources = Collections.list(getClass().getClassLoader().getResources(METADATA));
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				JsonNode candidate = JsonMapper.shared().readTree(in);
				if (candidate.path("groups").values().stream()
					.anyMatch((group) -> "async-http".equals(group.path("name").asString()))) {
					ours.add(candidate);
				}
			}
		}
		assertThat(ours).as("async-http metadata among %s", resources).hasSize(1);
		this.metadata = ours.get(0);
		this.properties = new LinkedHashMap<>();
		for (JsonNode property : this.metadata.path("properties").values()) {
			this.properties.put(property.path("name").asString(), property);
		}
	}

	@Test
	void everyAsyncHttpPropertyHasADescription() {
		assertThat(this.properties).isNotEmpty();
		this.properties.forEach((name, property) -> {
			if (name.startsWith("async-http.")) {
				assertThat(property.path("description").asString("")).as("description of %s", name).isNotBlank();
			}
		});
	}

	@Test
	void everyLibrarySettingHasADefaultsProperty() {
		Map<String, Object> leaves = leaves(AsyncApiClientSettings.defaults());
		TreeSet<String> expected = new TreeSet<>();
		leaves.keySet().forEach((leaf) -> expected.add(DEFAULTS + leaf));
		expected.add(DEFAULTS + "preset");
		AUTO_CONFIGURATION_ONLY.forEach((property) -> expected.add(DEFAULTS + property));
		TreeSet<String> documented = new TreeSet<>();
		this.properties.keySet().stream().filter((name) -> name.startsWith(DEFAULTS)).forEach(documented::add);
		assertThat(documented).containsExactlyElementsOf(expected);
	}

	@Test
	void autoConfigurationOnlyPropertiesAreExactlyTheObservabilitySettings() {
		assertThat(leaves(AsyncApiClientObservability.defaults()).keySet())
			.containsExactlyInAnyOrderElementsOf(AUTO_CONFIGURATION_ONLY);
	}

	@Test
	void documentedDefaultValuesMatchTheLibraryDefaults() {
		Map<String, Object> defaults = new LinkedHashMap<>(leaves(AsyncApiClientSettings.defaults()));
		defaults.putAll(leaves(AsyncApiClientObservability.defaults()));
		defaults.forEach((leaf, value) -> {
			String name = DEFAULTS + leaf;
			JsonNode property = this.properties.get(name);
			assertThat(property).as("metadata of %s", name).isNotNull();
			JsonNode defaultValue = property.path("defaultValue");
			if (value == null || (value instanceof Map<?, ?> map && map.isEmpty())
					|| (value instanceof java.util.Collection<?> collection && collection.isEmpty())) {
				assertThat(defaultValue.isMissingNode() || defaultValue.isNull())
					.as("%s has no library default but documents %s", name, defaultValue)
					.isTrue();
			}
			else {
				assertThat(defaultValue.isMissingNode()).as("%s documents no default; library default is %s", name,
						value)
					.isFalse();
				if (value instanceof java.util.Collection<?> collection) {
					List<String> documentedValues = new ArrayList<>();
					defaultValue.values().forEach((element) -> documentedValues.add(element.asString()));
					assertThat(documentedValues).as("documented default of %s", name)
						.containsExactlyInAnyOrderElementsOf(collection.stream().map(String::valueOf).toList());
					return;
				}
				Object documented = this.conversionService.convert(defaultValue.asString(), value.getClass());
				assertThat(documented).as("documented default of %s ('%s')", name, defaultValue.asString())
					.isEqualTo(value);
			}
		});
	}

	@Test
	void wellKnownDefaultsAreDocumented() {
		assertThat(this.properties.get(DEFAULTS + "pool.max-connections").path("defaultValue").asInt())
			.isEqualTo(AsyncApiClientDefaults.POOL_MAX_CONNECTIONS);
		assertThat(this.properties.get(DEFAULTS + "pool.max-connections-per-host").path("defaultValue").asInt())
			.isEqualTo(AsyncApiClientDefaults.POOL_MAX_CONNECTIONS_PER_HOST);
		assertThat(this.properties.get(DEFAULTS + "timeouts.total").path("defaultValue").asString()).isEqualTo("60s");
		assertThat(this.properties.get(DEFAULTS + "max-in-memory-size").path("defaultValue").asString())
			.isEqualTo("2MB");
		assertThat(this.properties.get("async-http.enabled").path("defaultValue").asBoolean()).isTrue();
		assertThat(this.properties.get("async-http.shutdown-grace-period").path("defaultValue").asString())
			.isEqualTo("10s");
	}

	@Test
	void readmePropertyTablesStateTheLibraryDefaults() throws IOException {
		Path readme = Path.of("..", "README.md");
		assertThat(readme).exists();
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(readme)) {
			Matcher row = README_ROW.matcher(line);
			if (row.matches()) {
				rows.computeIfAbsent(row.group(1), (name) -> new ArrayList<>()).add(row.group(2).trim());
			}
		}
		Map<String, Object> defaults = new LinkedHashMap<>(leaves(AsyncApiClientSettings.defaults()));
		defaults.putAll(leaves(AsyncApiClientObservability.defaults()));
		defaults.forEach((leaf, value) -> {
			boolean hasDefault = value != null && !(value instanceof Map<?, ?> map && map.isEmpty())
					&& !(value instanceof java.util.Collection<?> collection && collection.isEmpty());
			List<String> cells = rows.getOrDefault(leaf, List.of());
			if (hasDefault && !NOT_IN_README.contains(leaf)) {
				assertThat(cells).as("README row of %s (library default %s)", leaf, value).isNotEmpty();
			}
			for (String cell : cells) {
				if (!hasDefault) {
					assertThat(cell).as("README default of %s, which has none", leaf).doesNotStartWith("`");
					continue;
				}
				assertThat(cell).as("README default of %s", leaf).startsWith("`").endsWith("`");
				String text = cell.substring(1, cell.length() - 1);
				if (value instanceof java.util.Collection<?> collection) {
					assertThat(Arrays.stream(text.split(",")).map(String::trim).toList())
						.as("README default of %s", leaf)
						.containsExactlyInAnyOrderElementsOf(collection.stream().map(String::valueOf).toList());
				}
				else {
					assertThat(this.conversionService.convert(text, value.getClass()))
						.as("README default of %s ('%s')", leaf, text)
						.isEqualTo(value);
				}
			}
		});
	}

	@Test
	void everyPresetIsHintedWithADescription() {
		JsonNode hint = this.metadata.path("hints").values().stream()
			.filter((candidate) -> (DEFAULTS + "preset").equals(candidate.path("name").asString()))
			.findFirst()
			.orElseThrow();
		List<String> hinted = new ArrayList<>();
		for (JsonNode value : hint.path("values").values()) {
			hinted.add(value.path("value").asString());
			assertThat(value.path("description").asString("")).as("hint of %s", value).isNotBlank();
		}
		assertThat(hinted).containsExactlyInAnyOrderElementsOf(Arrays.stream(AsyncApiClientPreset.values())
			.map((preset) -> preset.name().toLowerCase().replace('_', '-'))
			.toList());
	}

	/**
	 * Every leaf of the settings record tree, by property name relative to
	 * {@code async-http.defaults.}.
	 */
	private static Map<String, Object> leaves(Record settings) {
		Map<String, Object> leaves = new LinkedHashMap<>();
		collect("", settings, leaves);
		return leaves;
	}

	private static void collect(String prefix, Record record, Map<String, Object> leaves) {
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			Object value;
			try {
				value = component.getAccessor().invoke(record);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
			String name = kebab(component.getName());
			String path = prefix + RENAMED.getOrDefault(prefix + name, RENAMED.getOrDefault(name, name));
			if (value instanceof Record nested) {
				collect(path + ".", nested, leaves);
			}
			else {
				leaves.put(path, value);
			}
		}
	}

	private static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
	}

}
