package dev.asynchttp.sample;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /crawl?n=2000&delayMs=50}: crawl the demo upstream and report how close the
 * crawl came to the floor set by the per-host connection cap.
 */
@RestController
class CrawlController {

	static final int MAX_N = 100_000;

	static final long MAX_DELAY_MS = 10_000;

	private final Crawler crawler;

	CrawlController(Crawler crawler) {
		this.crawler = crawler;
	}

	/**
	 * Run one crawl.
	 * @param n how many URLs, 1 to {@value #MAX_N}
	 * @param delayMs how long each URL takes to answer, 0 to {@value #MAX_DELAY_MS}
	 * @param failEvery (undocumented, for tests and demos) when positive, every
	 * {@code failEvery}-th URL answers 503
	 * @return the crawl result
	 */
	@GetMapping("/crawl")
	Mono<CrawlResult> crawl(@RequestParam(defaultValue = "100") int n,
			@RequestParam(defaultValue = "50") long delayMs, @RequestParam(defaultValue = "0") int failEvery) {
		if (n < 1 || n > MAX_N) {
			throw badRequest("n must be between 1 and " + MAX_N);
		}
		if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
			throw badRequest("delayMs must be between 0 and " + MAX_DELAY_MS);
		}
		if (failEvery < 0) {
			throw badRequest("failEvery must not be negative");
		}
		return this.crawler.crawl(n, delayMs, failEvery);
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
