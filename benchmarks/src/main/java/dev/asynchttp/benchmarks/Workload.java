package dev.asynchttp.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * One measured workload: what is requested, how many at once, and under which caps.
 *
 * @param id short name, used on the command line and in the table
 * @param title what the table calls it; {@code {n}} stands for the request count (of a round),
 * {@code {r}} for the rounds and {@code {w}} for the warm-up requests
 * @param path path requested on the upstream, relative to its base URL
 * @param requests requests in the timed phase, or in each of its rounds
 * @param rounds how many times the timed phase sends its requests, one round after the
 * other; the figures cover all rounds. A burst is short enough that one round measures the
 * garbage collector's and the JIT's timing as much as the client
 * @param warmUpRequests untimed requests sent the same way before it, so that a workload
 * meant to show the steady state is not measured while the JIT is still compiling the
 * client's code (a larger client warms up longer); {@code 0} for none. An at-once workload
 * sends them in rounds of {@code requests} at once, so that no warm-up burst is larger than
 * the timed one
 * @param concurrency requests in flight at once; {@link #AT_ONCE} sends them all at once
 * @param maxConnections the client's cap on requests in flight across hosts
 * @param maxConnectionsPerHost the client's cap on connections to one host
 * @param kind whether bodies are read in memory or streamed
 * @param metric the figure the table shows and compares with raw Reactor Netty
 * @param jvmArguments extra arguments for the benchmark JVM, such as a small heap
 * @param clientProperties extra {@code async-http.clients.bench.*} properties (relative to
 * that prefix) for the async-http clients, for workloads that need a feature switched on
 * @author async-http
 * @since 0.1.0
 */
public record Workload(String id, String title, String path, int requests, int rounds, int warmUpRequests,
		int concurrency,
		int maxConnections,
		int maxConnectionsPerHost, Kind kind, Metric metric, List<String> jvmArguments,
		Map<String, String> clientProperties) {

	/** Concurrency that sends every request of the timed phase at once. */
	public static final int AT_ONCE = -1;

	public Workload {
		Assert.hasText(id, "'id' must not be empty");
		Assert.isTrue(requests > 0, "'requests' must be positive");
		Assert.isTrue(rounds > 0, "'rounds' must be positive");
		Assert.isTrue(warmUpRequests >= 0, "'warmUpRequests' must not be negative");
		Assert.isTrue(concurrency > 0 || concurrency == AT_ONCE, "'concurrency' must be positive or AT_ONCE");
		jvmArguments = List.copyOf(jvmArguments);
		clientProperties = Map.copyOf(clientProperties);
	}

	/**
	 * What the table calls this workload, with its request count.
	 * @return the description
	 */
	public String describe() {
		return this.title.replace("{n}", String.format(Locale.ROOT, "%,d", this.requests))
			.replace("{r}", Integer.toString(this.rounds))
			.replace("{w}", String.format(Locale.ROOT, "%,d", this.warmUpRequests));
	}

	/**
	 * Requests of the whole timed phase, all rounds.
	 * @return {@code requests × rounds}
	 */
	public int timedRequests() {
		return this.requests * this.rounds;
	}

	/**
	 * Whether the timed phase sends every request at once.
	 * @return whether concurrency is {@link #AT_ONCE}
	 */
	public boolean atOnce() {
		return this.concurrency == AT_ONCE;
	}

	/**
	 * Requests in flight at once in the timed phase.
	 * @return the flatMap concurrency
	 */
	public int effectiveConcurrency() {
		return atOnce() ? this.requests : Math.min(this.concurrency, this.requests);
	}

	/**
	 * The same workload with fewer (or more) requests, for the quick mode and the smoke test.
	 * Caps stay as they are.
	 * @param scale factor applied to the request count
	 * @return the scaled workload
	 */
	public Workload scaled(double scale) {
		Assert.isTrue(scale > 0, "'scale' must be positive");
		int scaled = (int) Math.max(1, Math.round(this.requests * scale));
		int warmUp = (int) Math.round(this.warmUpRequests * Math.min(scale, 1.0));
		return new Workload(this.id, this.title, this.path, scaled, this.rounds, warmUp, this.concurrency,
				this.maxConnections,
				this.maxConnectionsPerHost, this.kind, this.metric, this.jvmArguments, this.clientProperties);
	}

	/**
	 * How a workload reads its bodies.
	 */
	public enum Kind {

		/** Each response body is read into memory. */
		IN_MEMORY,

		/** The body is streamed chunk by chunk and never held as a whole. */
		STREAM

	}

	/**
	 * The headline figure of a workload.
	 */
	public enum Metric {

		/** Successful responses per second of the timed phase (higher is better). */
		THROUGHPUT("req/s"),

		/** Wall time of the timed phase (lower is better). */
		WALL_TIME("s"),

		/** Body bytes per second, in MiB/s (higher is better). */
		BANDWIDTH("MiB/s");

		private final String unit;

		Metric(String unit) {
			this.unit = unit;
		}

		/**
		 * Unit shown in the table.
		 * @return the unit
		 */
		public String unit() {
			return this.unit;
		}

	}

}
