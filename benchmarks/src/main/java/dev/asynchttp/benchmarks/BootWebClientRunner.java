package dev.asynchttp.benchmarks;

import java.net.URI;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Boot's default: the auto-configured {@code WebClient.Builder} of a non-web application,
 * on Reactor Netty's global pool with its own defaults (Boot has no pool properties, so the
 * workload's caps cannot be applied).
 *
 * @author async-http
 * @since 0.1.0
 */
final class BootWebClientRunner implements ClientRunner {

	private final ConfigurableApplicationContext context;

	private final WebClient webClient;

	BootWebClientRunner(URI baseUrl, Workload workload) {
		this.context = BenchApplications.start(BenchApplications.WebClientOnly.class, Map.of());
		this.webClient = this.context.getBean(WebClient.Builder.class).baseUrl(baseUrl.toString()).build();
	}

	@Override
	public Mono<Long> get(String path) {
		return Bodies.length(this.webClient.get().uri(path).retrieve().bodyToMono(byte[].class));
	}

	@Override
	public Mono<Long> stream(String path) {
		return Bodies.countAndRelease(this.webClient.get().uri(path).retrieve().bodyToFlux(DataBuffer.class));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
