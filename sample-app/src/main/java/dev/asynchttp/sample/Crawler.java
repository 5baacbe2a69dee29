package dev.asynchttp.sample;

import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.FetchOptions;
import dev.asynchttp.client.FetchRequest;
import dev.asynchttp.client.FetchResult;
import dev.asynchttp.sample.DemoUpstreamController.DelayReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The guide's crawler: many GETs at once through one tuned client, where one failing URL
 * never fails the crawl (asyncio {@code gather(..., return_exceptions=True)}).
 */
@Service
public class Crawler {

	private static final Logger logger = LoggerFactory.getLogger(Crawler.class);

	private final AsyncApiClient demo;

	public Crawler(@Qualifier("demo") AsyncApiClient demo) {
		this.demo = demo;
	}

	/**
	 * Crawl {@code n} distinct URLs of the demo upstream, each answering after
	 * {@code delayMs}.
	 * @param n how many URLs
	 * @param delayMs the delay of each URL
	 * @param failEvery when positive, every {@code failEvery}-th URL answers 503 instead
	 * @return the result, once every URL succeeded or failed; never an error
	 */
	public Mono<CrawlResult> crawl(int n, long delayMs, int failEvery) {
		AsyncApiClientSettings.Pool pool = this.demo.settings().pool();
		int maxConnections = Objects.requireNonNull(pool.maxConnections());
		int maxConnectionsPerHost = Objects.requireNonNull(pool.maxConnectionsPerHost());
		return Mono.defer(() -> {
			long start = System.nanoTime();
			// fetchAll is the guide's semaphore and gather in one: at most max-connections URLs
			// at once, and the next URL is generated only when one finishes, so a crawl of
			// 100,000 URLs never holds them all.
			Flux<FetchRequest> urls = Flux.range(0, n).map((i) -> url(i, delayMs, failEvery));
			return this.demo.fetchAll(urls, DelayReply.class, FetchOptions.defaults())
				.mapNotNull(FetchResult::error)
				.doOnNext((ex) -> logger.debug("Crawl URL failed: {}", ex.getMessage()))
				.collect(TreeMap<String, Long>::new, (errors, ex) -> errors.merge(errorName(ex), 1L, Long::sum))
				.map((errors) -> CrawlResult.of(n, delayMs, errors,
						TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), maxConnections,
						maxConnectionsPerHost));
		});
	}

	private static FetchRequest url(int i, long delayMs, int failEvery) {
		if (failEvery > 0 && (i + 1) % failEvery == 0) {
			return FetchRequest.get("/demo/status/{code}", 503).withQueryParam("id", i);
		}
		// Query parameters keep each URL distinct while the URI template, and so the
		// http.client.requests metric's uri tag, stays the same.
		return FetchRequest.get("/demo/delay/{ms}", delayMs).withQueryParam("id", i);
	}

	/**
	 * The exception's simple name, qualified by its enclosing classes, so that Spring's
	 * {@code WebClientResponseException.ServiceUnavailable} keeps its family name.
	 */
	static String errorName(Throwable ex) {
		Class<?> type = ex.getClass();
		if (type.isAnonymousClass() || type.getSimpleName().isEmpty()) {
			return type.getName();
		}
		StringBuilder name = new StringBuilder(type.getSimpleName());
		for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
			name.insert(0, outer.getSimpleName() + ".");
		}
		return name.toString();
	}

}
