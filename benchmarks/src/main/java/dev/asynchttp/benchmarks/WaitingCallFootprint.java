package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import reactor.core.Disposable;

/**
 * What a call waiting for a connection holds on the heap, per client: each client in a
 * fresh JVM sends its calls to a local server that accepts connections and never answers,
 * so that the first 100 hold the connections (the burst workload's per-host cap) and the
 * rest wait. The live heap (a class histogram after a full collection) is read with
 * {@value #BASE} calls and again with {@value #BASE} + {@value #EXTRA}; the difference per
 * extra call is what one waiting call costs, the caller's own subscriber included.
 * <p>
 * Run after building the benchmark ({@code ./mvnw -q -pl benchmarks -am package -DskipTests}):
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" dev.asynchttp.benchmarks.WaitingCallFootprint}.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class WaitingCallFootprint {

	static final int BASE = 1_000;

	static final int EXTRA = 10_000;

	private static final Pattern TOTAL = Pattern.compile("Total\\s+\\d+\\s+(\\d+)");

	private WaitingCallFootprint() {
	}

	/**
	 * Without arguments, measure every client that waits in a pool of its own (raw Reactor
	 * Netty, async-http with and without Actuator), each in a fresh JVM; with a client id,
	 * measure that client here and print its bytes per waiting call.
	 * @param args nothing, or a client id
	 * @throws Exception if a measurement fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length == 1) {
			System.out.println("bytes-per-waiting-call " + measure(Clients.of(args[0])));
			System.exit(0);
		}
		System.out.println("| client | heap per waiting call |");
		System.out.println("|---|---:|");
		for (Clients client : List.of(Clients.REACTOR_NETTY, Clients.ASYNC_HTTP, Clients.ASYNC_HTTP_ACTUATOR)) {
			System.out.printf("| %s | %,d B |%n", client.label(), inFreshJvm(client));
		}
	}

	private static long inFreshJvm(Clients client) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				WaitingCallFootprint.class.getName(), client.id())
			.redirectErrorStream(true)
			.start();
		String output;
		try (InputStream in = process.getInputStream()) {
			output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException(client.id() + " failed:\n" + output);
		}
		Matcher result = Pattern.compile("bytes-per-waiting-call (\\d+)").matcher(output);
		if (!result.find()) {
			throw new IllegalStateException(client.id() + " printed no result:\n" + output);
		}
		return Long.parseLong(result.group(1));
	}

	private static long measure(Clients client) throws Exception {
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				try {
					while (true) {
						held.add(server.accept());
					}
				}
				catch (IOException closed) {
					// The server closed at the end of the measurement.
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			URI baseUrl = URI.create("http://127.0.0.1:" + server.getLocalPort());
			try (ClientRunner runner = client.open(baseUrl, Workloads.get("burst"))) {
				List<Disposable> calls = new ArrayList<>();
				send(runner, BASE, calls);
				long base = liveBytes();
				send(runner, EXTRA, calls);
				long more = liveBytes();
				int connections = held.size();
				if (connections != Workloads.get("burst").maxConnectionsPerHost()) {
					throw new IllegalStateException("expected the calls to hold "
							+ Workloads.get("burst").maxConnectionsPerHost() + " connections, saw " + connections);
				}
				calls.forEach(Disposable::dispose);
				return (more - base) / EXTRA;
			}
		}
	}

	private static void send(ClientRunner runner, int count, List<Disposable> calls) throws InterruptedException {
		for (int i = 0; i < count; i++) {
			calls.add(runner.get("/json").subscribe((length) -> {
			}, (failure) -> {
			}));
		}
		// Long enough for the first calls to connect; far shorter than any acquire timeout.
		Thread.sleep(2_000);
	}

	/** Live heap bytes after a full collection, from the JVM's class histogram. */
	private static long liveBytes() throws Exception {
		Object histogram = ManagementFactory.getPlatformMBeanServer()
			.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
					new Object[] { new String[0] }, new String[] { String[].class.getName() });
		Matcher total = TOTAL.matcher(String.valueOf(histogram));
		if (!total.find()) {
			throw new IllegalStateException("No total in the class histogram");
		}
		return Long.parseLong(total.group(1));
	}

}
