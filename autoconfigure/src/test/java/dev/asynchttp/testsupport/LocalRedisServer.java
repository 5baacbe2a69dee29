package dev.asynchttp.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} process on {@code 127.0.0.1} and a free port, without
 * persistence, for tests that need Redis where Docker is not available. It can be stopped
 * and started again on the same port, to simulate an outage.
 * <p>
 * Without a {@code redis-server} binary the test is skipped on a developer's machine, but
 * fails when {@code CI=true}: CI must run these tests ({@code .ci/run} installs the Debian
 * package {@code redis-server}).
 */
public final class LocalRedisServer implements AutoCloseable {

	private static final List<String> CANDIDATES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server",
			"/usr/sbin/redis-server", "/opt/homebrew/bin/redis-server");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private final String binary;

	private final int port;

	private final Path directory;

	private Process process;

	private LocalRedisServer(String binary, int port) throws IOException {
		this.binary = binary;
		this.port = port;
		this.directory = Files.createTempDirectory("async-http-redis");
	}

	/**
	 * Start a server, or skip (fail on CI) when {@code redis-server} is not installed.
	 * @return the running server
	 */
	public static LocalRedisServer start() {
		String binary = findBinary();
		if (binary == null) {
			String message = "redis-server is not installed (apt-get install redis-server); the shared rate limit"
					+ " tests need a real Redis";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				Assertions.fail(message + ", and CI=true: CI must run them, not skip them");
			}
			Assumptions.abort(message);
		}
		try {
			LocalRedisServer server = new LocalRedisServer(binary, freePort());
			server.startProcess();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String findBinary() {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				File candidate = new File(dir, "redis-server");
				if (candidate.canExecute()) {
					return candidate.getAbsolutePath();
				}
			}
		}
		return CANDIDATES.stream().filter((candidate) -> new File(candidate).canExecute()).findFirst().orElse(null);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
	}

	public int port() {
		return this.port;
	}

	/**
	 * The Spring Boot properties that point the Redis auto-configuration here.
	 * @return the property values
	 */
	public String[] properties() {
		return new String[] { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port,
				"spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=1s" };
	}

	/**
	 * Start the process again on the same port, after {@link #stop()}.
	 */
	public void restart() {
		try {
			startProcess();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void startProcess() throws IOException {
		ProcessBuilder builder = new ProcessBuilder(this.binary, "--port", String.valueOf(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
				this.directory.toString(), "--protected-mode", "yes")
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile());
		this.process = builder.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + this.process.exitValue() + ": "
						+ Files.readString(this.directory.resolve("redis.log")));
			}
			if (answersPing()) {
				return;
			}
			sleep(20);
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("redis-server did not answer on port " + this.port + " within "
				+ START_TIMEOUT);
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			socket.setSoTimeout(500);
			socket.getOutputStream().write("PING\r\n".getBytes());
			byte[] answer = new byte[7];
			int read = socket.getInputStream().read(answer);
			return read > 0 && new String(answer, 0, read).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Stop the process (an outage); connections to it break at once.
	 */
	public void stop() {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		current.destroyForcibly();
		try {
			if (!current.waitFor(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-server did not stop");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
