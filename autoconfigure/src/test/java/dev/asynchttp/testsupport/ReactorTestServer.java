package dev.asynchttp.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A Reactor Netty {@link HttpServer} on {@code 127.0.0.1} and an ephemeral port, for tests
 * that need many requests fast, bodies of any size with back-pressure, or precise control of
 * what is written. It counts requests in progress (from arrival to the first byte of the
 * answer, or to the end of the handler when it never answers) and open connections.
 */
public final class ReactorTestServer implements AutoCloseable {

	private final DisposableServer server;

	private final Gauge requestsInProgress = new Gauge();

	private final Gauge openConnections = new Gauge();

	private final AtomicInteger requests = new AtomicInteger();

	private ReactorTestServer(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnConnection((connection) -> {
				this.openConnections.increment();
				connection.onDispose(this.openConnections::decrement);
			})
			.handle((request, response) -> {
				this.requests.incrementAndGet();
				this.requestsInProgress.increment();
				Runnable answered = once(this.requestsInProgress::decrement);
				// A request stops counting when its answer starts, not when the handler ends:
				// the client may have the whole answer and send its next request before that.
				request.withConnection(
						(connection) -> connection.channel().pipeline().addFirst(new FirstWrite(answered)));
				return Mono.from(handler.apply(request, response)).doFinally((signal) -> answered.run());
			})
			.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Start a server.
	 * @param handler answers every request
	 * @return the running server
	 */
	public static ReactorTestServer start(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		return new ReactorTestServer(handler);
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.server.port() + path;
	}

	public int requests() {
		return this.requests.get();
	}

	public Gauge requestsInProgress() {
		return this.requestsInProgress;
	}

	public Gauge openConnections() {
		return this.openConnections;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	private static Runnable once(Runnable action) {
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				action.run();
			}
		};
	}

	/**
	 * Runs an action at the first write on the connection, then leaves the pipeline.
	 */
	private static final class FirstWrite extends ChannelOutboundHandlerAdapter {

		private final Runnable action;

		FirstWrite(Runnable action) {
			this.action = action;
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			this.action.run();
			ctx.pipeline().remove(this);
			super.write(ctx, msg, promise);
		}

	}

}
