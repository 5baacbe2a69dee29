package dev.asynchttp.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on {@code 127.0.0.1} and an ephemeral port, built on a plain
 * {@link ServerSocket} with one thread per connection, that records what the client under
 * test really did on the wire: connections accepted, open at once and closed, requests in
 * progress at once, and every request line. What it does for a request is chosen per path
 * prefix with {@link #when(String, Behaviour)}; by default it answers {@code 200 ok} with a
 * {@code Content-Length} and keeps the connection alive.
 */
public final class CountingHttpServer implements AutoCloseable {

	/**
	 * Per connection thread: what to do once the current request's answer starts.
	 */
	private static final ThreadLocal<Runnable> ANSWER_STARTING = new ThreadLocal<>();

	private final ServerSocket serverSocket;

	private final ExecutorService threads;

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final List<String> requestLines = new CopyOnWriteArrayList<>();

	private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

	private final AtomicInteger resetRequests = new AtomicInteger();

	private final AtomicInteger acceptedConnections = new AtomicInteger();

	private final AtomicInteger closedConnections = new AtomicInteger();

	private final Gauge openConnections = new Gauge();

	private final Gauge requestsInProgress = new Gauge();

	private final Gauge sharedRequestsInProgress;

	private final CountDownLatch closing = new CountDownLatch(1);

	private volatile boolean running = true;

	private CountingHttpServer(Gauge sharedRequestsInProgress) throws IOException {
		this.sharedRequestsInProgress = sharedRequestsInProgress;
		this.serverSocket = new ServerSocket();
		this.serverSocket.setReuseAddress(true);
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		this.threads = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "counting-http-server-" + this.serverSocket.getLocalPort());
			thread.setDaemon(true);
			return thread;
		});
		this.threads.execute(this::acceptLoop);
	}

	/**
	 * Start a server.
	 * @return the running server
	 */
	public static CountingHttpServer start() throws IOException {
		return new CountingHttpServer(new Gauge());
	}

	/**
	 * Start a server that also counts its requests in progress in a gauge shared with other
	 * servers, to observe a limit that spans hosts.
	 * @param sharedRequestsInProgress the shared gauge
	 * @return the running server
	 */
	public static CountingHttpServer start(Gauge sharedRequestsInProgress) throws IOException {
		return new CountingHttpServer(sharedRequestsInProgress);
	}

	/**
	 * Choose what the server does for requests whose path starts with a prefix; the longest
	 * matching prefix wins.
	 * @param pathPrefix the path prefix
	 * @param behaviour what to do
	 * @return this server
	 */
	public CountingHttpServer when(String pathPrefix, Behaviour behaviour) {
		this.behaviours.put(pathPrefix, behaviour);
		return this;
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	public URI uri(String path) {
		return URI.create(url(path));
	}

	/**
	 * An absolute URL on this server; unlike {@link #uri(String)} the path may hold URI
	 * template variables.
	 * @param path the path
	 * @return the URL
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + port() + path;
	}

	public int acceptedConnections() {
		return this.acceptedConnections.get();
	}

	public int closedConnections() {
		return this.closedConnections.get();
	}

	public int openConnections() {
		return this.openConnections.current();
	}

	public int maxOpenConnections() {
		return this.openConnections.max();
	}

	public int requestsInProgress() {
		return this.requestsInProgress.current();
	}

	public int maxRequestsInProgress() {
		return this.requestsInProgress.max();
	}

	public int requestCount() {
		return this.requestLines.size();
	}

	public List<String> requestLines() {
		return List.copyOf(this.requestLines);
	}

	/**
	 * Every request seen, in arrival order, with its headers, the connection it came on and
	 * when it arrived.
	 * @return the requests seen
	 */
	public List<Seen> requests() {
		return List.copyOf(this.seen);
	}

	/**
	 * Requests seen whose path starts with a prefix, in arrival order.
	 * @param pathPrefix the path prefix
	 * @return the requests seen
	 */
	public List<Seen> requests(String pathPrefix) {
		return this.seen.stream().filter((request) -> request.path().startsWith(pathPrefix)).toList();
	}

	/**
	 * Values of the {@code X-Req-Id} header of every request seen, in arrival order,
	 * repeats included.
	 * @return the request ids
	 */
	public List<String> requestIds() {
		return this.seen.stream().map(Seen::requestId).toList();
	}

	/**
	 * Requests that a connection reset when their first byte arrived (see
	 * {@link Behaviour#okThenResetNextRequest()}); they are not in {@link #requests()}.
	 * @return the number of requests reset
	 */
	public int resetRequests() {
		return this.resetRequests.get();
	}

	/**
	 * Paths (request targets) of every request seen, in arrival order.
	 * @return the raw request targets, exactly as sent on the wire
	 */
	public List<String> requestTargets() {
		List<String> targets = new ArrayList<>();
		for (String line : this.requestLines) {
			String[] parts = line.split(" ");
			targets.add((parts.length > 1) ? parts[1] : "");
		}
		return targets;
	}

	@Override
	public void close() {
		this.running = false;
		this.closing.countDown();
		closeQuietly(this.serverSocket);
		this.sockets.forEach(CountingHttpServer::closeQuietly);
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void acceptLoop() {
		while (this.running) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				return;
			}
			int connection = this.acceptedConnections.incrementAndGet();
			this.openConnections.increment();
			this.sockets.add(socket);
			try {
				this.threads.execute(() -> serve(socket, connection));
			}
			catch (RuntimeException ex) {
				// Rejected while shutting down.
				connectionEnded(socket);
			}
		}
	}

	private void serve(Socket socket, int connection) {
		try {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			while (this.running) {
				String requestLine = readLine(in);
				if (requestLine == null) {
					return;
				}
				if (requestLine.isEmpty()) {
					continue;
				}
				Map<String, String> headers = readHeaders(in);
				if (headers == null) {
					return;
				}
				this.seen.add(new Seen(requestLine, headers, connection, System.nanoTime()));
				this.requestLines.add(requestLine);
				this.requestsInProgress.increment();
				this.sharedRequestsInProgress.increment();
				// A request stops counting as in progress when its answer starts: counting it
				// until the write returns would overlap with the client's next request, which
				// the client may send as soon as it has read the answer.
				ANSWER_STARTING.set(() -> {
					this.sharedRequestsInProgress.decrement();
					this.requestsInProgress.decrement();
				});
				Behaviour behaviour = behaviourFor(requestLine).next();
				try {
					if (!respond(behaviour, headers, in, out)
							|| "close".equalsIgnoreCase(headers.getOrDefault("connection", ""))) {
						return;
					}
				}
				finally {
					answerStarting();
				}
				if (behaviour.kind == Behaviour.Kind.RESET_NEXT_REQUEST) {
					resetOnFirstByte(socket, in);
					return;
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// The client or close() ended the connection.
		}
		finally {
			connectionEnded(socket);
		}
	}

	/**
	 * Wait for the first byte of the next request on a connection, then reset the
	 * connection (RST, not FIN): the stale keep-alive connection race made deterministic.
	 */
	private void resetOnFirstByte(Socket socket, InputStream in) throws IOException {
		if (in.read() != -1) {
			this.resetRequests.incrementAndGet();
			socket.setSoLinger(true, 0);
			socket.close();
		}
	}

	private void connectionEnded(Socket socket) {
		closeQuietly(socket);
		if (this.sockets.remove(socket)) {
			this.openConnections.decrement();
			this.closedConnections.incrementAndGet();
		}
	}

	/**
	 * Act out a behaviour.
	 * @return whether the connection may serve another request
	 */
	private boolean respond(Behaviour behaviour, Map<String, String> headers, InputStream in, OutputStream out)
			throws IOException, InterruptedException {
		switch (behaviour.kind) {
			case NEVER_READ_BODY -> {
				// Leave the body in the socket buffers, so the client's writes back up.
				this.closing.await();
				return false;
			}
			case HANG_UP -> {
				readBody(headers, in);
				// Drop the connection without a response.
				return false;
			}
			case STALL -> {
				readBody(headers, in);
				// Never answer; wait until the client (or close()) ends the connection.
				while (in.read() != -1) {
					// discard
				}
				return false;
			}
			case DRIP -> {
				readBody(headers, in);
				writeHead(out, 200, behaviour.bodyLength);
				for (int i = 0; i < behaviour.bodyLength; i++) {
					Thread.sleep(behaviour.interval.toMillis());
					out.write('x');
					out.flush();
				}
				return true;
			}
			case TRUNCATED -> {
				readBody(headers, in);
				// Promise a longer body than is sent, then close.
				writeHead(out, 200, behaviour.bodyLength);
				out.write("x".repeat(behaviour.bodyLength / 2).getBytes(StandardCharsets.US_ASCII));
				out.flush();
				return false;
			}
			case RAW -> {
				readBody(headers, in);
				out.write(behaviour.raw);
				out.flush();
				if (!behaviour.keepOpen) {
					return false;
				}
				// Leave it to the client to give up on the connection.
				while (in.read() != -1) {
					// discard
				}
				return false;
			}
			default -> {
				readBody(headers, in);
				if (!behaviour.interval.isZero()) {
					Thread.sleep(behaviour.interval.toMillis());
				}
				byte[] body = ((behaviour.status < 400) ? "ok" : "error " + behaviour.status)
					.getBytes(StandardCharsets.US_ASCII);
				writeHead(out, behaviour.status, body.length, behaviour.headerLines);
				out.write(body);
				out.flush();
				return true;
			}
		}
	}

	private Behaviour behaviourFor(String requestLine) {
		String[] parts = requestLine.split(" ");
		String target = (parts.length > 1) ? parts[1] : "/";
		int query = target.indexOf('?');
		String path = (query >= 0) ? target.substring(0, query) : target;
		Behaviour chosen = Behaviour.ok();
		int longest = -1;
		for (Map.Entry<String, Behaviour> entry : this.behaviours.entrySet()) {
			if (path.startsWith(entry.getKey()) && entry.getKey().length() > longest) {
				chosen = entry.getValue();
				longest = entry.getKey().length();
			}
		}
		return chosen;
	}

	private static void writeHead(OutputStream out, int status, int contentLength) throws IOException {
		writeHead(out, status, contentLength, List.of());
	}

	private static void answerStarting() {
		Runnable answerStarting = ANSWER_STARTING.get();
		ANSWER_STARTING.remove();
		if (answerStarting != null) {
			answerStarting.run();
		}
	}

	private static void writeHead(OutputStream out, int status, int contentLength, List<String> headerLines)
			throws IOException {
		answerStarting();
		StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n"
				+ "Content-Type: text/plain\r\n" + "Content-Length: " + contentLength + "\r\n"
				+ "Connection: keep-alive\r\n");
		headerLines.forEach((line) -> head.append(line).append("\r\n"));
		head.append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 404 -> "Not Found";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 503 -> "Service Unavailable";
			default -> "Status";
		};
	}

	private static void readBody(Map<String, String> headers, InputStream in) throws IOException {
		String length = headers.get("content-length");
		if (length != null) {
			in.skipNBytes(Long.parseLong(length.trim()));
			return;
		}
		if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "").trim())) {
			while (true) {
				String sizeLine = readLine(in);
				if (sizeLine == null) {
					throw new EOFException();
				}
				int extension = sizeLine.indexOf(';');
				long size = Long.parseLong(((extension >= 0) ? sizeLine.substring(0, extension) : sizeLine).trim(),
						16);
				if (size == 0) {
					// Trailers up to the empty line.
					if (readHeaders(in) == null) {
						throw new EOFException();
					}
					return;
				}
				in.skipNBytes(size);
				readLine(in);
			}
		}
	}

	private static Map<String, String> readHeaders(InputStream in) throws IOException {
		Map<String, String> headers = new LinkedHashMap<>();
		while (true) {
			String line = readLine(in);
			if (line == null) {
				return null;
			}
			if (line.isEmpty()) {
				return headers;
			}
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
	}

	/**
	 * Read one line without its CRLF.
	 * @return the line, or {@code null} at end of stream before any byte
	 */
	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				break;
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		if (b == -1 && line.size() == 0) {
			return null;
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (SocketException ex) {
			// already closed
		}
		catch (Exception ex) {
			// ignore
		}
	}

	/**
	 * One request as the server saw it.
	 *
	 * @param requestLine the request line
	 * @param headers the headers, names in lower case
	 * @param connection number of the connection it came on, from 1 in accept order
	 * @param arrivalNanos {@link System#nanoTime()} when its head was read
	 */
	public record Seen(String requestLine, Map<String, String> headers, int connection, long arrivalNanos) {

		public String path() {
			String[] parts = this.requestLine.split(" ");
			String target = (parts.length > 1) ? parts[1] : "/";
			int query = target.indexOf('?');
			return (query >= 0) ? target.substring(0, query) : target;
		}

		public String method() {
			return this.requestLine.split(" ")[0];
		}

		public String requestId() {
			return this.headers.get("x-req-id");
		}

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/**
	 * What the server does with a request.
	 */
	public static final class Behaviour {

		enum Kind {

			RESPOND, STALL, DRIP, NEVER_READ_BODY, HANG_UP, RESET_NEXT_REQUEST, TRUNCATED, RAW, SEQUENCE

		}

		private final Kind kind;

		private final int status;

		private final Duration interval;

		private final int bodyLength;

		private final List<String> headerLines;

		private final byte[] raw;

		private final boolean keepOpen;

		private final List<Behaviour> steps;

		private final AtomicInteger step = new AtomicInteger();

		private Behaviour(Kind kind, int status, Duration interval, int bodyLength) {
			this(kind, status, interval, bodyLength, List.of(), new byte[0], false, List.of());
		}

		private Behaviour(Kind kind, int status, Duration interval, int bodyLength, List<String> headerLines,
				byte[] raw, boolean keepOpen, List<Behaviour> steps) {
			this.kind = kind;
			this.status = status;
			this.interval = interval;
			this.bodyLength = bodyLength;
			this.headerLines = headerLines;
			this.raw = raw;
			this.keepOpen = keepOpen;
			this.steps = steps;
		}

		/**
		 * The behaviour for the next request: itself, or the next step of a sequence.
		 */
		public Behaviour next() {
			if (this.kind != Kind.SEQUENCE) {
				return this;
			}
			int index = Math.min(this.step.getAndIncrement(), this.steps.size() - 1);
			return this.steps.get(index).next();
		}

		/**
		 * Answer {@code 200 ok} at once.
		 */
		public static Behaviour ok() {
			return new Behaviour(Kind.RESPOND, 200, Duration.ZERO, 0);
		}

		/**
		 * Answer with a status at once.
		 */
		public static Behaviour status(int status) {
			return new Behaviour(Kind.RESPOND, status, Duration.ZERO, 0);
		}

		/**
		 * Answer {@code 200 ok} after a delay.
		 */
		public static Behaviour delay(Duration delay) {
			return new Behaviour(Kind.RESPOND, 200, delay, 0);
		}

		/**
		 * Read the request, never answer, and keep the connection open until the client
		 * closes it.
		 */
		public static Behaviour stall() {
			return new Behaviour(Kind.STALL, 0, Duration.ZERO, 0);
		}

		/**
		 * Send the status line and headers, then the body one byte per interval.
		 */
		public static Behaviour drip(Duration interval, int bodyLength) {
			return new Behaviour(Kind.DRIP, 200, interval, bodyLength);
		}

		/**
		 * Read the request, then close the connection without answering.
		 */
		public static Behaviour hangUp() {
			return new Behaviour(Kind.HANG_UP, 0, Duration.ZERO, 0);
		}

		/**
		 * Read the request head but never its body, and never answer.
		 */
		public static Behaviour neverReadBody() {
			return new Behaviour(Kind.NEVER_READ_BODY, 0, Duration.ZERO, 0);
		}

		/**
		 * Answer with a status and extra header lines such as {@code "Retry-After: 1"}; a
		 * header name may repeat.
		 */
		public static Behaviour status(int status, String... headerLines) {
			return new Behaviour(Kind.RESPOND, status, Duration.ZERO, 0, List.of(headerLines), new byte[0], false,
					List.of());
		}

		/**
		 * One behaviour per request, in order; the last one repeats.
		 */
		public static Behaviour sequence(Behaviour... steps) {
			return new Behaviour(Kind.SEQUENCE, 0, Duration.ZERO, 0, List.of(), new byte[0], false,
					List.of(steps));
		}

		/**
		 * Answer {@code 200 ok} with keep-alive, then reset the connection (RST) when the
		 * first byte of the next request on it arrives.
		 */
		public static Behaviour okThenResetNextRequest() {
			return new Behaviour(Kind.RESET_NEXT_REQUEST, 200, Duration.ZERO, 0);
		}

		/**
		 * Promise a body of {@code contentLength} bytes, send half of it, then close.
		 */
		public static Behaviour truncated(int contentLength) {
			return new Behaviour(Kind.TRUNCATED, 200, Duration.ZERO, contentLength);
		}

		/**
		 * Write these bytes as the whole response; then close the connection, or, with
		 * {@code keepOpen}, leave it open until the client closes it.
		 */
		public static Behaviour raw(byte[] response, boolean keepOpen) {
			return new Behaviour(Kind.RAW, 0, Duration.ZERO, 0, List.of(), response.clone(), keepOpen, List.of());
		}

	}

}
