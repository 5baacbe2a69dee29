package dev.asynchttp.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryAfter#parse}: delay-seconds, HTTP-dates in the three RFC 9110 formats, and
 * everything malformed counting as absent.
 */
class RetryAfterTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	@Test
	void delaySecondsAreReadAsADuration() {
		assertThat(RetryAfter.parse(headers("120"), NOW)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse(headers("1"), NOW)).isEqualTo(Duration.ofSeconds(1));
		assertThat(RetryAfter.parse(headers("3600"), NOW)).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void zeroSecondsMeansNoWait() {
		assertThat(RetryAfter.parse(headers("0"), NOW)).isEqualTo(Duration.ZERO);
	}

	@Test
	void surroundingWhitespaceIsIgnored() {
		assertThat(RetryAfter.parse(headers("  5 "), NOW)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void httpDateInTheFutureIsTheTimeLeftUntilIt() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(3).atZone(ZoneOffset.UTC));

		assertThat(RetryAfter.parse(headers(date), NOW)).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void httpDateInTheRfcExampleFormIsRead() {
		Instant now = Instant.parse("2015-10-21T07:27:00Z");

		assertThat(RetryAfter.parse(headers("Wed, 21 Oct 2015 07:28:00 GMT"), now)).isEqualTo(Duration.ofMinutes(1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Sun, 01 Mar 2026 12:00:05 GMT", "Sunday, 01-Mar-26 12:00:05 GMT",
			"Sun Mar  1 12:00:05 2026" })
	void httpDateInEachOfTheThreeRfc9110FormatsIsRead(String date) {
		assertThat(RetryAfter.parse(headers(date), NOW)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void asctimeDateWithATwoDigitDayIsRead() {
		assertThat(RetryAfter.parse(headers("Sat Mar 14 12:00:00 2026"), NOW)).isEqualTo(Duration.ofDays(13));
	}

	@Test
	void httpDateInThePastMeansNoWait() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(30).atZone(ZoneOffset.UTC));

		assertThat(RetryAfter.parse(headers(date), NOW)).isEqualTo(Duration.ZERO);
	}

	@Test
	void httpDateNowMeansNoWait() {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atZone(ZoneOffset.UTC));

		assertThat(RetryAfter.parse(headers(date), NOW)).isEqualTo(Duration.ZERO);
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "-5", "1.5", "+5", "5s", "0x10", "99999999999999999999",
			"9223372036854775808", "999999999999", "", "   ", "Wed, 32 Oct 2015 07:28:00 GMT",
			"2026-03-01T12:00:05Z", "Sun,  01 Mar 2026 12:00:05 GMT", "Mon, 01 Mar 2026 12:00:05 GMT" })
	void malformedValuesCountAsAbsent(String value) {
		assertThat(RetryAfter.parse(headers(value), NOW)).isNull();
	}

	@Test
	void delayOfMoreThanAYearCountsAsAbsent() {
		long overAYear = Duration.ofDays(366).toSeconds();

		assertThat(RetryAfter.parse(headers(Long.toString(overAYear)), NOW)).isNull();
		assertThat(RetryAfter.parse(headers(Long.toString(Duration.ofDays(365).toSeconds())), NOW))
			.isEqualTo(Duration.ofDays(365));
	}

	@Test
	void twoHeadersCountAsAbsent() {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.RETRY_AFTER, "1");
		headers.add(HttpHeaders.RETRY_AFTER, "2");

		assertThat(RetryAfter.parse(headers, NOW)).isNull();
	}

	@Test
	void noHeaderIsAbsent() {
		assertThat(RetryAfter.parse(new HttpHeaders(), NOW)).isNull();
	}

	private static HttpHeaders headers(String retryAfter) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.RETRY_AFTER, retryAfter);
		return headers;
	}

}
