package dev.asynchttp.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date.
 * Anything else (negative or fractional numbers, numbers too large, empty or repeated
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
		try {
			Instant date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(now, date);
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
