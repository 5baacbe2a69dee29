package dev.asynchttp.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Picks a free port once per test class and pins {@code server.port} to it. The sample's
 * {@code demo} client points at {@code http://localhost:${server.port}}, which a random port
 * ({@code 0}) would leave pointing nowhere, so the port must be known before the context starts.
 */
final class FixedFreePort {

	private FixedFreePort() {
	}

	static int pick() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void register(DynamicPropertyRegistry registry, int port) {
		registry.add("server.port", () -> port);
	}

}
