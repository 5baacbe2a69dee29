package dev.asynchttp.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * URIs, URI templates and headers as async-http shows them in exception messages,
 * {@code toString}s, log lines, metric tags and the Actuator endpoint: user info removed,
 * every query value and the fragment masked ({@code /p?api_key=***&page=***}), and the
 * values of {@linkplain SensitiveHeaders sensitive headers} masked. Query values are masked
 * whatever their name, since any of them may be a key written into a template or passed as
 * a URI variable; names stay, so a reader still sees which parameters were sent.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class SafeText {

	/**
	 * What a query value or a fragment is shown as.
	 */
	public static final String QUERY_MASK = "***";

	private SafeText() {
	}

	/**
	 * A URI as it may be shown.
	 * @param uri the URI
	 * @return the URI without user info, with query values and fragment masked
	 */
	public static String uri(URI uri) {
		return uri(uri.toString());
	}

	/**
	 * A URI or URI template as it may be shown. Braces of template variables are respected:
	 * a {@code ?} or {@code #} inside {@code {...}} is part of the variable, not a delimiter.
	 * @param uri the URI or template, may be {@code null}
	 * @return the text without user info, with query values and fragment masked
	 */
	public static String uri(@Nullable String uri) {
		if (uri == null) {
			return "null";
		}
		if (uri.indexOf('?') < 0 && uri.indexOf('#') < 0 && uri.indexOf('@') < 0) {
			return uri;
		}
		StringBuilder shown = new StringBuilder(uri.length());
		int length = uri.length();
		int position = skipUserInfo(uri, shown);
		int braces = 0;
		boolean inQuery = false;
		boolean inValue = false;
		for (; position < length; position++) {
			char c = uri.charAt(position);
			if (c == '{') {
				braces++;
			}
			else if (c == '}' && braces > 0) {
				braces--;
			}
			else if (braces == 0 && c == '#') {
				shown.append('#');
				if (position + 1 < length) {
					shown.append(QUERY_MASK);
				}
				return shown.toString();
			}
			else if (braces == 0 && c == '?' && !inQuery) {
				inQuery = true;
				shown.append(c);
				continue;
			}
			else if (braces == 0 && inQuery && c == '&') {
				inValue = false;
				shown.append(c);
				continue;
			}
			else if (braces == 0 && inQuery && c == '=' && !inValue) {
				inValue = true;
				shown.append(c);
				if (hasValue(uri, position + 1)) {
					shown.append(QUERY_MASK);
				}
				continue;
			}
			if (!inValue) {
				shown.append(c);
			}
		}
		return shown.toString();
	}

	/**
	 * Copy the scheme and {@code //} of {@code uri} to {@code shown}, leaving out user info.
	 * @return where the rest of {@code uri} starts
	 */
	private static int skipUserInfo(String uri, StringBuilder shown) {
		int slashes = uri.indexOf("//");
		if (slashes < 0 || (slashes > 0 && uri.charAt(slashes - 1) != ':') || !isSchemeOrEmpty(uri, slashes - 1)) {
			return 0;
		}
		int authority = slashes + 2;
		int end = authority;
		while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
			end++;
		}
		int at = uri.lastIndexOf('@', end - 1);
		shown.append(uri, 0, authority);
		return (at >= authority) ? at + 1 : authority;
	}

	private static boolean isSchemeOrEmpty(String uri, int colon) {
		for (int i = 0; i < colon; i++) {
			char c = uri.charAt(i);
			if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
				return false;
			}
		}
		return true;
	}

	private static boolean hasValue(String uri, int start) {
		return start < uri.length() && uri.charAt(start) != '&' && uri.charAt(start) != '#';
	}

	/**
	 * Headers as they may be shown, in the form of {@link HttpHeaders#toString()}, with the
	 * values of sensitive headers replaced by {@link SensitiveHeaders#MASK}.
	 * @param headers the headers
	 * @param sensitive which headers are sensitive
	 * @return the headers as text
	 */
	public static String headers(HttpHeaders headers, SensitiveHeaders sensitive) {
		StringBuilder shown = new StringBuilder("[");
		headers.forEach((name, values) -> append(shown, name, values, sensitive));
		return shown.append(']').toString();
	}

	/**
	 * Like {@link #headers(HttpHeaders, SensitiveHeaders)}, for headers held in a map.
	 * @param headers the headers by name
	 * @param sensitive which headers are sensitive
	 * @return the headers as text
	 */
	public static String headers(Map<String, List<String>> headers, SensitiveHeaders sensitive) {
		StringBuilder shown = new StringBuilder("[");
		headers.forEach((name, values) -> append(shown, name, values, sensitive));
		return shown.append(']').toString();
	}

	private static void append(StringBuilder shown, String name, List<String> values, SensitiveHeaders sensitive) {
		if (shown.length() > 1) {
			shown.append(", ");
		}
		shown.append(name).append(':');
		boolean secret = sensitive.isSensitive(name);
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				shown.append(", ");
			}
			shown.append('"').append(secret ? SensitiveHeaders.MASK : values.get(i)).append('"');
		}
	}

}
