package dev.asynchttp.autoconfigure;

import java.time.Duration;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty {@link HttpServer} on {@code 127.0.0.1} and an ephemeral port, for tests
 * that send real requests:
 * <ul>
 * <li>{@code GET /items/{id}}: 200 with a small JSON body;</li>
 * <li>{@code GET /slow/{ms}}: 200 after {@code ms} milliseconds;</li>
 * <li>{@code GET /status/{code}}: that status, with {@code Retry-After: 0} for 429.</li>
 * </ul>
 */
public final class LocalHttpServer implements AutoCloseable {

	private final DisposableServer server;

	private LocalHttpServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/items/{id}",
						(request, response) -> response.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"id\":\"" + request.param("id") + "\"}")))
				.get("/slow/{ms}", (request, response) -> response.sendString(
						Mono.delay(Duration.ofMillis(Long.parseLong(request.param("ms")))).thenReturn("slow")))
				.get("/status/{code}", (request, response) -> {
					int code = Integer.parseInt(request.param("code"));
					if (code == 429) {
						response.header("Retry-After", "0");
					}
					return response.status(HttpResponseStatus.valueOf(code)).sendString(Mono.just("status"));
				}))
			.bindNow();
	}

	/**
	 * Start a server.
	 * @return the running server
	 */
	public static LocalHttpServer start() {
		return new LocalHttpServer();
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
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * The address as Reactor Netty's {@code remote.address} tag shows it.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String remoteAddress() {
		return "127.0.0.1:" + port();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
