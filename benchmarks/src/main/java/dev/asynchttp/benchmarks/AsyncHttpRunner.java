package dev.asynchttp.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;

/**
 * async-http as an application gets it: the auto-configured client {@code bench}, configured
 * only through {@code async-http.clients.bench.*} properties (the caps of the workload and
 * nothing else, so every other setting is the library default), with or without Actuator.
 *
 * @author async-http
 * @since 0.1.0
 */
final class AsyncHttpRunner implements ClientRunner {

	static final String CLIENT = "bench";

	private static final String PREFIX = "async-http.clients." + CLIENT + ".";

	/** A long body needs a deadline of its own: the default total deadline is 60 s. */
	private static final Duration STREAM_DEADLINE = Duration.ofMinutes(10);

	private final ConfigurableApplicationContext context;

	private final AsyncApiClient client;

	private final CountingObserver observer;

	AsyncHttpRunner(URI baseUrl, Workload workload, boolean actuator) {
		this.context = BenchApplications.start(
				actuator ? BenchApplications.WithActuator.class : BenchApplications.WithoutActuator.class,
				properties(baseUrl, workload));
		this.client = this.context.getBean(AsyncApiClients.class).get(CLIENT);
		this.observer = this.context.getBean(CountingObserver.class);
	}

	static Map<String, Object> properties(URI baseUrl, Workload workload) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(PREFIX + "base-url", baseUrl.toString());
		properties.put(PREFIX + "pool.max-connections", workload.maxConnections());
		properties.put(PREFIX + "pool.max-connections-per-host", workload.maxConnectionsPerHost());
		workload.clientProperties().forEach((name, value) -> properties.put(PREFIX + name, value));
		return properties;
	}

	@Override
	public Mono<Long> get(String path) {
		return Bodies.length(this.client.get(path, byte[].class));
	}

	@Override
	public Mono<Long> stream(String path) {
		return this.client.request(HttpMethod.GET, path)
			.timeout(STREAM_DEADLINE)
			.streamMapped(DataBuffer::readableByteCount)
			.reduce(0L, (total, bytes) -> total + bytes);
	}

	@Override
	public Map<String, Long> counters() {
		return this.observer.counters();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
