package dev.asynchttp.benchmarks;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * One client under test, opened for one workload. Every call reads the whole body; an HTTP
 * status of 400 or above is an error, so that every client counts the same outcomes.
 *
 * @author async-http
 * @since 0.1.0
 */
public interface ClientRunner extends AutoCloseable {

	/**
	 * GET a path and read the body into memory.
	 * @param path the path, relative to the upstream's base URL
	 * @return the body length
	 */
	Mono<Long> get(String path);

	/**
	 * GET a path and stream the body, chunk by chunk, never holding it whole.
	 * @param path the path, relative to the upstream's base URL
	 * @return the number of body bytes read
	 */
	Mono<Long> stream(String path);

	/**
	 * Counters the client exposes about what it did on its own, such as retries, by name.
	 * @return the counters so far; empty if the client exposes none
	 */
	default Map<String, Long> counters() {
		return Map.of();
	}

	/**
	 * Release the client's connections and threads.
	 */
	@Override
	void close();

}
