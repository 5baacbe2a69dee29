package dev.asynchttp.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The benchmark's nginx endpoints, in process on {@code 127.0.0.1} and an ephemeral port, so
 * that the smoke test needs no nginx: {@code /json} (1 KiB), {@code /delay/<ms>},
 * {@code /bytes/<name>} and {@code /flaky} (every fifth request a 503 with
 * {@code Retry-After: 0}, deterministic where nginx splits on the request id). Every
 * {@code /bytes/} file is {@code bytesSize} long whatever its name, so the 256 MiB
 * streaming workload streams a few MiB here.
 */
final class TestUpstream implements AutoCloseable {

	static final byte[] JSON = json();

	private static final int CHUNK = 64 * 1024;

	private final DisposableServer server;

	private final AtomicLong flakyRequests = new AtomicLong();

	TestUpstream(int bytesSize) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/json", (request, response) -> json(response))
				.get("/delay/{ms}",
						(request, response) -> Mono.delay(Duration.ofMillis(Long.parseLong(request.param("ms"))))
							.then(json(response)))
				.get("/bytes/{name}", (request, response) -> bytes(response, bytesSize))
				.get("/flaky", (request, response) -> (this.flakyRequests.incrementAndGet() % 5 == 0)
						? response.status(503)
							.header("Retry-After", "0")
							.sendString(Mono.just("{\"error\":\"unavailable\"}"))
							.then()
						: json(response)))
			.bindNow(Duration.ofSeconds(10));
	}

	URI baseUrl() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	private static Mono<Void> json(HttpServerResponse response) {
		return response.header("Content-Type", "application/json")
			.header("Content-Length", Integer.toString(JSON.length))
			.sendByteArray(Mono.just(JSON))
			.then();
	}

	private static Mono<Void> bytes(HttpServerResponse response, int size) {
		Flux<ByteBuf> chunks = Flux.range(0, (size + CHUNK - 1) / CHUNK)
			.map((i) -> Unpooled.wrappedBuffer(new byte[Math.min(CHUNK, size - i * CHUNK)]));
		return response.header("Content-Type", "application/octet-stream")
			.header("Content-Length", Integer.toString(size))
			.send(chunks)
			.then();
	}

	private static byte[] json() {
		String head = "{\"status\":\"ok\",\"source\":\"test-upstream\",\"pad\":\"";
		String tail = "\"}";
		return (head + "x".repeat(1024 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(10));
	}

}
