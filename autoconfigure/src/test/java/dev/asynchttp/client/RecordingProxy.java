package dev.asynchttp.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A small proxy on {@code 127.0.0.1} and an ephemeral port, over raw sockets, that records
 * what it was asked for: an HTTP proxy answering {@code CONNECT} (what Netty's
 * {@code HttpProxyHandler} sends for every target) or a SOCKS5 proxy (RFC 1928, with the
 * user name and password method of RFC 1929). Once the tunnel is open it copies bytes both
 * ways and counts those it forwarded to the target. With {@code credentials} set it refuses
 * clients that do not present them (407, or a failed SOCKS authentication).
 */
final class RecordingProxy implements AutoCloseable {

	enum Kind {

		HTTP, SOCKS5

	}

	private final Kind kind;

	private final @Nullable String credentials;

	private final ServerSocket serverSocket;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<String> targets = new CopyOnWriteArrayList<>();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private final AtomicLong forwardedBytes = new AtomicLong();

	private RecordingProxy(Kind kind, @Nullable String credentials) throws IOException {
		this.kind = kind;
		this.credentials = credentials;
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "recording-proxy-" + kind);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy.
	 * @param kind which protocol it speaks
	 * @param credentials {@code user:password} it requires, or {@code null} for none
	 * @return the running proxy
	 */
	static RecordingProxy start(Kind kind, @Nullable String credentials) throws IOException {
		return new RecordingProxy(kind, credentials);
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * Every target a client asked to be connected to, as {@code host:port}.
	 */
	List<String> targets() {
		return List.copyOf(this.targets);
	}

	/**
	 * What each client presented: the {@code Proxy-Authorization} header of an HTTP proxy
	 * ({@code ""} when there was none), or {@code user:password} of a SOCKS5 one.
	 */
	List<String> authorizations() {
		return List.copyOf(this.authorizations);
	}

	long forwardedBytes() {
		return this.forwardedBytes.get();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket client = this.serverSocket.accept();
				this.sockets.add(client);
				Thread handler = new Thread(() -> handle(client), "recording-proxy-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return; // closed
			}
		}
	}

	private void handle(Socket client) {
		try (client) {
			client.setSoTimeout(20_000);
			DataInputStream in = new DataInputStream(client.getInputStream());
			OutputStream out = client.getOutputStream();
			String target = (this.kind == Kind.HTTP) ? httpConnect(in, out) : socks5Connect(in, out);
			if (target == null) {
				return;
			}
			int colon = target.lastIndexOf(':');
			try (Socket upstream = connect(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))) {
				this.sockets.add(upstream);
				out.write((this.kind == Kind.HTTP) ? "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(
						StandardCharsets.ISO_8859_1) : new byte[] { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 });
				out.flush();
				Thread back = new Thread(() -> copy(upstream, client, null), "recording-proxy-back");
				back.setDaemon(true);
				back.start();
				copy(client, upstream, this.forwardedBytes);
				back.join(20_000);
			}
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			// The client or the target went away: the tunnel ends, as a real proxy's would.
		}
	}

	private @Nullable String httpConnect(InputStream in, OutputStream out) throws IOException {
		String head = readHead(in);
		String[] lines = head.split("\r\n");
		String[] requestLine = lines[0].split(" ");
		String authorization = "";
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Proxy-Authorization")) {
				authorization = lines[i].substring(colon + 1).trim();
			}
		}
		this.authorizations.add(authorization);
		if (!"CONNECT".equals(requestLine[0])) {
			out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.ISO_8859_1));
			return null;
		}
		this.targets.add(requestLine[1]);
		if (this.credentials != null && !authorization.equals("Basic "
				+ Base64.getEncoder().encodeToString(this.credentials.getBytes(StandardCharsets.UTF_8)))) {
			out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
					+ "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return null;
		}
		return requestLine[1];
	}

	private @Nullable String socks5Connect(DataInputStream in, OutputStream out) throws IOException {
		if (in.readUnsignedByte() != 5) {
			return null;
		}
		byte[] methods = in.readNBytes(in.readUnsignedByte());
		boolean offersPassword = new String(methods, StandardCharsets.ISO_8859_1).indexOf(2) >= 0;
		if (this.credentials != null || offersPassword) {
			if (!offersPassword) {
				out.write(new byte[] { 5, (byte) 0xFF });
				return null;
			}
			out.write(new byte[] { 5, 2 });
			in.readUnsignedByte(); // sub-negotiation version 1
			String user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
			String password = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
			this.authorizations.add(user + ":" + password);
			boolean accepted = this.credentials == null || this.credentials.equals(user + ":" + password);
			out.write(new byte[] { 1, (byte) (accepted ? 0 : 1) });
			if (!accepted) {
				return null;
			}
		}
		else {
			out.write(new byte[] { 5, 0 });
		}
		in.readUnsignedByte(); // version
		in.readUnsignedByte(); // command: CONNECT
		in.readUnsignedByte(); // reserved
		String host = switch (in.readUnsignedByte()) {
			case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
			case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
			case 4 -> "[" + InetAddress.getByAddress(in.readNBytes(16)).getHostAddress() + "]";
			default -> throw new IOException("unknown address type");
		};
		String target = host + ":" + in.readUnsignedShort();
		this.targets.add(target);
		return target;
	}

	private static Socket connect(String host, int port) throws IOException {
		IOException last = null;
		String name = (host.startsWith("[")) ? host.substring(1, host.length() - 1) : host;
		for (InetAddress address : InetAddress.getAllByName(name)) {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(address, port), 5_000);
				return socket;
			}
			catch (IOException ex) {
				socket.close();
				last = ex;
			}
		}
		throw (last != null) ? last : new IOException("no address for " + host);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4 && head.size() < 16_384) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed before the end of the request head");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static void copy(Socket from, Socket to, @Nullable AtomicLong counter) {
		byte[] buffer = new byte[8192];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			for (int n; (n = in.read(buffer)) >= 0;) {
				// Counted before they are written: once the target has answered, the count
				// is already visible to a test that reads it after the call ended.
				if (counter != null) {
					counter.addAndGet(n);
				}
				out.write(buffer, 0, n);
				out.flush();
			}
			to.shutdownOutput();
		}
		catch (IOException ex) {
			// One side closed or reset: the other side's copy ends too once its socket closes.
		}
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
