package dev.asynchttp.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listener that never accepts, with its accept queue filled by idle sockets. On
 * Linux a listener whose accept queue is full drops incoming SYNs, so a connect to it hangs
 * until the client's connect timeout fires: a deterministic, local-only way to produce a
 * connect timeout. {@link #isSaturated()} says whether that worked on this platform.
 */
public final class FullBacklogListener implements AutoCloseable {

	private static final int MAX_FILLERS = 16;

	private final ServerSocket serverSocket;

	private final List<Socket> fillers = new ArrayList<>();

	private final boolean saturated;

	public FullBacklogListener() throws IOException {
		this.serverSocket = new ServerSocket();
		this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
		boolean full = false;
		for (int i = 0; i < MAX_FILLERS && !full; i++) {
			Socket filler = new Socket();
			try {
				filler.connect(this.serverSocket.getLocalSocketAddress(), 250);
				this.fillers.add(filler);
			}
			catch (SocketTimeoutException ex) {
				filler.close();
				full = true;
			}
		}
		this.saturated = full;
	}

	/**
	 * Whether a connect to this listener now hangs.
	 * @return {@code true} once a filler connect timed out
	 */
	public boolean isSaturated() {
		return this.saturated;
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.serverSocket.getLocalPort());
	}

	@Override
	public void close() throws IOException {
		for (Socket filler : this.fillers) {
			filler.close();
		}
		this.serverSocket.close();
	}

}
