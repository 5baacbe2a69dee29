package dev.asynchttp.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Outcome of one crawl.
 *
 * @param n URLs crawled
 * @param succeeded URLs that answered 2xx with a readable body
 * @param failed URLs that failed; they never fail the crawl
 * @param errors failures counted by exception class (simple name, qualified by the enclosing
 * class for nested ones, such as {@code WebClientResponseException.ServiceUnavailable})
 * @param wallTimeMs how long the whole crawl took
 * @param idealTimeMs the floor set by the per-host cap, as every URL is on one host:
 * {@code ceil(n / maxConnectionsPerHost) * delayMs}
 * @param maxConnections the client's {@code pool.max-connections}, also the crawl's
 * concurrency
 * @param maxConnectionsPerHost the client's {@code pool.max-connections-per-host}
 * @param ratio {@code wallTimeMs / idealTimeMs}, or {@code null} when the ideal time is 0
 */
public record CrawlResult(int n, int succeeded, int failed, Map<String, Long> errors, long wallTimeMs,
		long idealTimeMs, int maxConnections, int maxConnectionsPerHost, @Nullable Double ratio) {

	static CrawlResult of(int n, long delayMs, Map<String, Long> errors, long wallTimeMs, int maxConnections,
			int maxConnectionsPerHost) {
		int failed = Math.toIntExact(errors.values().stream().mapToLong(Long::longValue).sum());
		long idealTimeMs = ((n + maxConnectionsPerHost - 1) / maxConnectionsPerHost) * delayMs;
		Double ratio = (idealTimeMs > 0) ? Math.round(100.0 * wallTimeMs / idealTimeMs) / 100.0 : null;
		return new CrawlResult(n, n - failed, failed, Map.copyOf(errors), wallTimeMs, idealTimeMs, maxConnections,
				maxConnectionsPerHost, ratio);
	}

}
