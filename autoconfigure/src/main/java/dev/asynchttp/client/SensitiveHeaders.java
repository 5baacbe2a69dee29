package dev.asynchttp.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one definition of which headers hold secrets. It decides what a cross-origin
 * redirect strips and what the Actuator endpoint, the request log and error messages
 * mask. Names match case-insensitively; a name may hold {@code *} wildcards
 * ({@code *token*} matches {@code X-Refresh-Token}).
 *
 * @author async-http
 * @since 0.1.0
 */
public final class SensitiveHeaders {

	/**
	 * What a masked value is shown as.
	 */
	public static final String MASK = "******";

	/**
	 * Headers that are always sensitive, whatever the configuration says.
	 */
	public static final List<String> ALWAYS = List.of("Authorization", "Proxy-Authorization", "Cookie",
			"Set-Cookie");

	/**
	 * Usual API-key, token and credential names, always sensitive and added to
	 * {@code sensitive-headers}. Beyond the list: {@code *api-key*},
	 * {@code *apikey*}, {@code *subscription-key*} (Azure API Management) and
	 * {@code *credential*}, which the Actuator endpoint masked before there was one
	 * definition.
	 */
	public static final List<String> DEFAULTS = List.of("X-Api-Key", "Api-Key", "X-Auth-Token", "X-Access-Token",
			"*token*", "*secret*", "*password*", "*session*", "*signature*", "*api-key*", "*apikey*",
			"*subscription-key*", "*credential*");

	private static final SensitiveHeaders BUILT_IN = new SensitiveHeaders(List.of()).and(ALWAYS).and(DEFAULTS);

	private final List<String> rules;

	private final Set<String> names;

	private final List<Pattern> patterns;

	private SensitiveHeaders(List<String> rules) {
		this.rules = rules;
		Set<String> exact = new LinkedHashSet<>();
		List<Pattern> wildcards = new ArrayList<>();
		for (String rule : rules) {
			if (rule.indexOf('*') >= 0) {
				wildcards.add(Pattern.compile(wildcardRegex(rule)));
			}
			else {
				exact.add(rule);
			}
		}
		this.names = Set.copyOf(exact);
		this.patterns = List.copyOf(wildcards);
	}

	/**
	 * The built-in rules: {@link #ALWAYS} and {@link #DEFAULTS}.
	 * @return the built-in rules
	 */
	public static SensitiveHeaders builtIn() {
		return BUILT_IN;
	}

	/**
	 * These rules and more.
	 * @param more more header names, possibly with {@code *} wildcards
	 * @return the combined rules
	 */
	public SensitiveHeaders and(Collection<String> more) {
		Set<String> combined = new LinkedHashSet<>(this.rules);
		for (String rule : more) {
			String lower = rule.trim().toLowerCase(Locale.ROOT);
			if (!lower.isEmpty()) {
				combined.add(lower);
			}
		}
		return (combined.size() == this.rules.size()) ? this : new SensitiveHeaders(List.copyOf(combined));
	}

	/**
	 * Whether a header's value is secret.
	 * @param name the header name
	 * @return whether its value must never be shown or sent to another origin
	 */
	public boolean isSensitive(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (this.names.contains(lower)) {
			return true;
		}
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(lower).matches()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A header value as it may be shown.
	 * @param name the header name
	 * @param value the value
	 * @return {@link #MASK} for a sensitive header, else the value
	 */
	public String mask(String name, String value) {
		return isSensitive(name) ? MASK : value;
	}

	private static String wildcardRegex(String rule) {
		List<String> parts = new ArrayList<>();
		for (String part : rule.split("\\*", -1)) {
			parts.add(Pattern.quote(part));
		}
		return String.join(".*", parts);
	}

	@Override
	public String toString() {
		return "SensitiveHeaders" + this.rules;
	}

}
