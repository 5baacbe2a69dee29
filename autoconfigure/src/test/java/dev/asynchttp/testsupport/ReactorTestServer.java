package dev.asynchttp.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import org.springframework.http.HttpHeaders;

/**
 * A Reactor Netty {@link HttpServer} on {@code 127.0.0.1} and an ephemeral port, over http
 * or https ({@link SelfSignedTls}), for tests that need many requests fast, bodies of any
 * size with back-pressure, or precise control of what is written. It counts requests, the
 * requests in progress (from arrival to the first byte of the answer, or to the end of the
 * handler when it never answers) and open connections. It answers either from a handler
 * (or {@link HttpServerRoutes}), or from a function of each {@link Seen} request, whose
 * whole body is read first and recorded; {@link #sampleApi()} is one with a few fixed routes.
 * For exact fault timing on the wire, use {@link CountingHttpServer}.
 */
public final class ReactorTestServer implements AutoCloseable {

	private final DisposableServer server;

	private final String scheme;

	private final Gauge requestsInProgress = new Gauge();

	private final Gauge openConnections = new Gauge();

	private final AtomicInteger requests = new AtomicInteger();

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	private ReactorTestServer(@Nullable SelfSignedTls tls,
			@Nullable BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler,
			@Nullable Function<Seen, Answer> answers) {
		BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> effective = (handler != null) ? handler
				: (request, response) -> answer(request, response, Objects.requireNonNull(answers));
		HttpServer http = HttpServer.create().host("127.0.0.1").port(0);
		if (tls != null) {
			http = http.secure((spec) -> spec.sslContext(tls.server()));
		}
		this.scheme = (tls != null) ? "https" : "http";
		this.server = http.doOnConnection((connection) -> {
			this.openConnections.increment();
			connection.onDispose(this.openConnections::decrement);
		}).handle((request, response) -> {
			this.requests.incrementAndGet();
			this.requestsInProgress.increment();
			Runnable answered = once(this.requestsInProgress::decrement);
			// A request stops counting when its answer starts, not when the handler ends:
			// the client may have the whole answer and send its next request before that.
			request.withConnection(
					(connection) -> connection.channel().pipeline().addFirst(new FirstWrite(answered)));
			return Mono.from(effective.apply(request, response)).doFinally((signal) -> answered.run());
		}).bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Start a server.
	 * @param handler answers every request; {@link HttpServerRoutes} are one
	 * @return the running server
	 */
	public static ReactorTestServer start(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		return start(null, handler);
	}

	/**
	 * Start a server, over https when {@code tls} is given.
	 * @param tls the certificate to present, or {@code null} for http
	 * @param handler answers every request; {@link HttpServerRoutes} are one
	 * @return the running server
	 */
	public static ReactorTestServer start(@Nullable SelfSignedTls tls,
			BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		return new ReactorTestServer(tls, handler, null);
	}

	/**
	 * Start a server that reads and records every request, body included, and answers it.
	 * @param answers the answer to each request
	 * @return the running server
	 */
	public static ReactorTestServer answering(Function<Seen, Answer> answers) {
		return answering(null, answers);
	}

	/**
	 * Start a server like {@link #answering(Function)}, over https when {@code tls} is given.
	 * @param tls the certificate to present, or {@code null} for http
	 * @param answers the answer to each request
	 * @return the running server
	 */
	public static ReactorTestServer answering(@Nullable SelfSignedTls tls, Function<Seen, Answer> answers) {
		return new ReactorTestServer(tls, null, answers);
	}

	/**
	 * Start a server with a few fixed routes:
	 * <ul>
	 * <li>{@code GET /items/{id}}: 200 with a small JSON body;</li>
	 * <li>{@code GET /slow/{ms}}: 200 after {@code ms} milliseconds;</li>
	 * <li>{@code GET /status/{code}}: that status, with {@code Retry-After: 0} for 429.</li>
	 * </ul>
	 * @return the running server
	 */
	public static ReactorTestServer sampleApi() {
		return start(HttpServerRoutes.newRoutes()
			.get("/items/{id}",
					(request, response) -> response.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"id\":\"" + request.param("id") + "\"}")))
			.get("/slow/{ms}",
					(request, response) -> response.sendString(
							Mono.delay(Duration.ofMillis(Long.parseLong(request.param("ms")))).thenReturn("slow")))
			.get("/status/{code}", (request, response) -> {
				int code = Integer.parseInt(request.param("code"));
				if (code == 429) {
					response.header("Retry-After", "0");
				}
				return response.status(HttpResponseStatus.valueOf(code)).sendString(Mono.just("status"));
			}));
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.port();
	}

	/**
	 * The base URL of the server.
	 * @return {@code http://127.0.0.1:<port>}, or {@code https://...}
	 */
	public String url() {
		return this.scheme + "://127.0.0.1:" + port();
	}

	public String url(String path) {
		return url() + path;
	}

	/**
	 * The address as Reactor Netty's {@code remote.address} tag shows it.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String remoteAddress() {
		return "127.0.0.1:" + port();
	}

	/**
	 * Requests that arrived since the start or the last {@link #clearRequests()}.
	 * @return the number of requests
	 */
	public int requests() {
		return this.requests.get();
	}

	/**
	 * Forget the requests that arrived so far: {@link #requests()} counts from zero again
	 * and {@link #seen()} is empty.
	 */
	public void clearRequests() {
		this.requests.set(0);
		this.seen.clear();
	}

	public Gauge requestsInProgress() {
		return this.requestsInProgress;
	}

	public Gauge openConnections() {
		return this.openConnections;
	}

	/**
	 * The requests seen by an {@link #answering(Function) answering} server, in arrival
	 * order.
	 * @return the requests
	 */
	public List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	/**
	 * The request targets (path and query) of {@link #seen()}.
	 * @return the targets
	 */
	public List<String> paths() {
		return this.seen.stream().map(Seen::uri).toList();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	public static Answer redirect(int status, String location) {
		return new Answer(status, Map.of(HttpHeaders.LOCATION, location), "moved");
	}

	public static Answer ok(String body) {
		return new Answer(200, Map.of(), body);
	}

	private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response,
			Function<Seen, Answer> answers) {
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			HttpHeaders headers = new HttpHeaders();
			request.requestHeaders().forEach((entry) -> headers.add(entry.getKey(), entry.getValue()));
			Seen seen = new Seen(request.method().name(), request.uri(), headers, body);
			this.seen.add(seen);
			Answer answer = answers.apply(seen);
			response.status(answer.status());
			answer.headers().forEach(response::header);
			return response.sendString(Mono.just(answer.body())).then();
		});
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
	 * One request as an answering server read it.
	 *
	 * @param method the method
	 * @param uri the request target, path and query
	 * @param headers the headers
	 * @param body the body, empty when there was none
	 */
	public record Seen(String method, String uri, HttpHeaders headers, String body) {

	}

	/**
	 * What an answering server sends back.
	 *
	 * @param status the status code
	 * @param headers the headers
	 * @param body the body
	 */
	public record Answer(int status, Map<String, String> headers, String body) {

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
