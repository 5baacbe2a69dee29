package dev.asynchttp.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date in any
 * of the three formats a recipient must accept (IMF-fixdate, obsolete RFC 850, asctime),
 * parsed by Spring's {@link HttpHeaders#getFirstZonedDateTime(String)}. Anything else
 * (negative or fractional numbers, numbers too large, unparseable dates, empty or repeated
 * headers) counts as absent, so the caller falls back to its normal backoff.
 */
final class RetryAfter {

	private static final long MAX_SECONDS = Duration.ofDays(365).toSeconds();

	private RetryAfter() {
	}

	static @Nullable Duration parse(HttpHeaders headers, Instant now) {
		List<String> values = headers.get(HttpHeaders.RETRY_AFTER);
		if (values == null || values.size() != 1) {
			return null;
		}
		String value = values.get(0).trim();
		if (value.isEmpty()) {
			return null;
		}
		if (value.chars().allMatch(Character::isDigit)) {
			if (value.length() > 12) {
				return null;
			}
			long seconds = Long.parseLong(value);
			return (seconds <= MAX_SECONDS) ? Duration.ofSeconds(seconds) : null;
		}
		Instant date = date(value);
		if (date == null) {
			return null;
		}
		Duration wait = Duration.between(now, date);
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private static @Nullable Instant date(String value) {
		HttpHeaders single = new HttpHeaders();
		// asctime, the one format without a comma, pads a one-digit day with a space
		// ("Sun Nov  6 08:49:37 1994"), where Spring's asctime pattern wants two digits.
		single.set(HttpHeaders.RETRY_AFTER, (value.indexOf(',') < 0) ? value.replace("  ", " 0") : value);
		try {
			ZonedDateTime date = single.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER);
			return (date != null) ? date.toInstant() : null;
		}
		catch (IllegalArgumentException ex) {
			// Not an HTTP-date: treated as no Retry-After, as RFC 9110 lets a recipient do.
			return null;
		}
	}

}
