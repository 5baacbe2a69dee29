package dev.asynchttp.benchmarks;

import java.net.URI;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Raw Reactor Netty: its own {@link ConnectionProvider} with the workload's per-host cap, an
 * unbounded wait queue and 30 s idle time, and nothing else in the call path.
 *
 * @author async-http
 * @since 0.1.0
 */
final class ReactorNettyRunner implements ClientRunner {

	private static final byte[] EMPTY = new byte[0];

	private final ConnectionProvider provider;

	private final HttpClient client;

	private final URI baseUrl;

	ReactorNettyRunner(URI baseUrl, Workload workload) {
		this.provider = ConnectionProvider.builder("bench")
			.maxConnections(workload.maxConnectionsPerHost())
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
		this.baseUrl = baseUrl;
		this.client = HttpClient.create(this.provider);
	}

	@Override
	public Mono<Long> get(String path) {
		return this.client.get()
			.uri(this.baseUrl.resolve(path))
			.responseSingle((response, body) -> body.asByteArray()
				.defaultIfEmpty(EMPTY)
				.flatMap((bytes) -> checked(response.status().code(), bytes.length)));
	}

	@Override
	public Mono<Long> stream(String path) {
		// responseContent() releases each buffer once the subscriber has seen it.
		return this.client.get()
			.uri(this.baseUrl.resolve(path))
			.response((response, content) -> content.map(ByteBuf::readableBytes)
				.reduce(0L, Long::sum)
				.flatMap((bytes) -> checked(response.status().code(), bytes)))
			.single();
	}

	private static Mono<Long> checked(int status, long bytes) {
		return (status >= 400) ? Mono.error(new UpstreamStatusException(status)) : Mono.just(bytes);
	}

	@Override
	public void close() {
		this.provider.disposeLater().block(Duration.ofSeconds(10));
	}

}
