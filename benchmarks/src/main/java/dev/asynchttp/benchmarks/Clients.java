package dev.asynchttp.benchmarks;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * The clients under test. A new client is one more constant with its {@link ClientRunner}.
 *
 * @author async-http
 * @since 0.1.0
 */
public enum Clients {

	/** The baseline: Reactor Netty on a tuned {@code ConnectionProvider}, with the workload's cap. */
	REACTOR_NETTY("reactor-netty", "raw Reactor Netty", ReactorNettyRunner::new),

	/** The auto-configured {@code WebClient.Builder} of a non-web Boot app, Boot's defaults. */
	BOOT_WEBCLIENT("boot-webclient", "Boot's default WebClient", BootWebClientRunner::new),

	/** async-http with library defaults and only the caps set, without Actuator. */
	ASYNC_HTTP("async-http", "async-http (defaults)", (baseUrl, workload) -> new AsyncHttpRunner(baseUrl, workload,
			false)),

	/** async-http auto-configured with Actuator and Micrometer: observations and metrics on. */
	ASYNC_HTTP_ACTUATOR("async-http-actuator", "async-http + Actuator/Micrometer",
			(baseUrl, workload) -> new AsyncHttpRunner(baseUrl, workload, true));

	private final String id;

	private final String label;

	private final Opener opener;

	Clients(String id, String label, Opener opener) {
		this.id = id;
		this.label = label;
		this.opener = opener;
	}

	/**
	 * Short name, used on the command line and in file names.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * What the table calls this client.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Open this client for a workload, with the workload's caps.
	 * @param baseUrl the upstream's base URL
	 * @param workload the workload
	 * @return the open client
	 */
	public ClientRunner open(URI baseUrl, Workload workload) {
		return this.opener.open(baseUrl, workload);
	}

	/**
	 * The client with the given id.
	 * @param id the id
	 * @return the client
	 * @throws IllegalArgumentException if there is none
	 */
	public static Clients of(String id) {
		return Arrays.stream(values())
			.filter((client) -> client.id.equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown client '" + id + "'; known: " + ids()));
	}

	static List<String> ids() {
		return Arrays.stream(values()).map(Clients::id).toList();
	}

	@FunctionalInterface
	interface Opener {

		ClientRunner open(URI baseUrl, Workload workload);

	}

}
