package dev.asynchttp.autoconfigure.redis;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty server on {@code 127.0.0.1} and an ephemeral port that counts what
 * reaches it: {@code GET /ok} answers 200; {@code GET /busy} answers its first request
 * with 429 and {@code Retry-After: 2}, later ones with 200.
 */
final class CountingUpstream implements AutoCloseable {

	private final AtomicInteger hits = new AtomicInteger();

	private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean busyAnswered = new AtomicBoolean();

	private final DisposableServer server;

	CountingUpstream() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/ok", (request, response) -> {
				record();
				return response.sendString(Mono.just("ok"));
			}).get("/busy", (request, response) -> {
				record();
				if (this.busyAnswered.compareAndSet(false, true)) {
					return response.status(HttpResponseStatus.TOO_MANY_REQUESTS)
						.header("Retry-After", "2")
						.sendString(Mono.just("slow down"));
				}
				return response.sendString(Mono.just("ok"));
			}))
			.bindNow();
	}

	private void record() {
		this.hits.incrementAndGet();
		this.arrivals.add(System.nanoTime());
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	int hits() {
		return this.hits.get();
	}

	void reset() {
		this.hits.set(0);
		this.arrivals.clear();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
