package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * What one client did in one workload, measured over the timed phase only.
 *
 * @param client the client id
 * @param workload the workload id
 * @param requests requests sent in the timed phase
 * @param successes responses whose body was read completely
 * @param errors failed calls by kind
 * @param counters what the client counted on its own (retries, ...), by name
 * @param warmUpRequests untimed calls sent before the timed phase
 * @param wallNanos wall time of the timed phase
 * @param bodyBytes body bytes read in the timed phase
 * @param allocatedBytes bytes allocated by all threads during the timed phase, or -1
 * @param cpuNanos CPU time of the whole JVM (every thread, the JIT's and the garbage
 * collector's included) during the timed phase, or -1
 * @param peakRssKib peak resident set of the JVM at the end, or -1
 * @param hostStealPercent share of the host's CPU time that the hypervisor gave to other
 * guests during the timed phase ({@link HostCpu}), or -1
 * @param firstError the first error seen, for the reader (class and message), if any
 * @param failure why the run produced no figures, if it did not
 * @author async-http
 * @since 0.1.0
 */
public record Result(String client, String workload, int requests, long successes, Map<ErrorKind, Long> errors,
		Map<String, Long> counters, long warmUpRequests, long wallNanos, long bodyBytes, long allocatedBytes,
		long cpuNanos, long peakRssKib, double hostStealPercent,
		@Nullable String firstError, @Nullable String failure) {

	public Result {
		EnumMap<ErrorKind, Long> all = new EnumMap<>(ErrorKind.class);
		for (ErrorKind kind : ErrorKind.values()) {
			all.put(kind, errors.getOrDefault(kind, 0L));
		}
		errors = Map.copyOf(all);
		counters = Map.copyOf(counters);
	}

	/**
	 * A run that produced no figures.
	 * @param client the client id
	 * @param workload the workload id
	 * @param failure why
	 * @return the result
	 */
	public static Result failed(String client, String workload, String failure) {
		return new Result(client, workload, 0, 0, Map.of(), Map.of(), 0, 0, 0, -1, -1, -1, -1, null, failure);
	}

	/**
	 * All failed calls.
	 * @return the number of errors
	 */
	public long errorCount() {
		return this.errors.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Wall time of the timed phase.
	 * @return seconds
	 */
	public double wallSeconds() {
		return this.wallNanos / 1e9;
	}

	/**
	 * Successful responses per second.
	 * @return the throughput
	 */
	public double throughput() {
		return (this.wallNanos > 0) ? this.successes / wallSeconds() : 0;
	}

	/**
	 * Body bytes per second.
	 * @return MiB/s
	 */
	public double mibPerSecond() {
		return (this.wallNanos > 0) ? this.bodyBytes / (1024.0 * 1024.0) / wallSeconds() : 0;
	}

	/**
	 * Bytes allocated per request sent.
	 * @return bytes per call, or -1 if unknown
	 */
	public long allocatedPerCall() {
		return (this.allocatedBytes < 0 || this.requests == 0) ? -1 : this.allocatedBytes / this.requests;
	}

	/**
	 * CPU time per request sent, of the whole JVM: unlike throughput it hardly depends on
	 * how the operating system scheduled the client against the upstream.
	 * @return microseconds per call, or -1 if unknown
	 */
	public double cpuMicrosPerCall() {
		return (this.cpuNanos < 0 || this.requests == 0) ? -1 : this.cpuNanos / 1000.0 / this.requests;
	}

	/**
	 * The workload's headline figure.
	 * @param metric the workload's metric
	 * @return the figure, in the metric's unit
	 */
	public double headline(Workload.Metric metric) {
		return switch (metric) {
			case THROUGHPUT -> throughput();
			case WALL_TIME -> wallSeconds();
			case BANDWIDTH -> mibPerSecond();
		};
	}

	/**
	 * Write this result as a properties file.
	 * @param file the file
	 * @throws IOException if it cannot be written
	 */
	public void write(Path file) throws IOException {
		Properties properties = new Properties();
		properties.setProperty("client", this.client);
		properties.setProperty("workload", this.workload);
		properties.setProperty("requests", Integer.toString(this.requests));
		properties.setProperty("successes", Long.toString(this.successes));
		this.errors.forEach((kind, count) -> properties.setProperty("errors." + kind.name(), Long.toString(count)));
		this.counters.forEach((name, count) -> properties.setProperty("counters." + name, Long.toString(count)));
		properties.setProperty("wallNanos", Long.toString(this.wallNanos));
		properties.setProperty("bodyBytes", Long.toString(this.bodyBytes));
		properties.setProperty("allocatedBytes", Long.toString(this.allocatedBytes));
		properties.setProperty("cpuNanos", Long.toString(this.cpuNanos));
		properties.setProperty("peakRssKib", Long.toString(this.peakRssKib));
		properties.setProperty("hostStealPercent", Double.toString(this.hostStealPercent));
		properties.setProperty("warmUpRequests", Long.toString(this.warmUpRequests));
		if (this.firstError != null) {
			properties.setProperty("firstError", this.firstError);
		}
		if (this.failure != null) {
			properties.setProperty("failure", this.failure);
		}
		try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			properties.store(writer, null);
		}
	}

	/**
	 * Read a result written by {@link #write(Path)}.
	 * @param file the file
	 * @return the result
	 * @throws IOException if it cannot be read
	 */
	public static Result read(Path file) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
		Map<String, Long> counters = new LinkedHashMap<>();
		for (String name : properties.stringPropertyNames()) {
			if (name.startsWith("errors.")) {
				errors.put(ErrorKind.valueOf(name.substring("errors.".length())), number(properties, name));
			}
			else if (name.startsWith("counters.")) {
				counters.put(name.substring("counters.".length()), number(properties, name));
			}
		}
		return new Result(properties.getProperty("client"), properties.getProperty("workload"),
				Math.toIntExact(number(properties, "requests")), number(properties, "successes"), errors, counters,
				number(properties, "warmUpRequests"), number(properties, "wallNanos"), number(properties, "bodyBytes"), number(properties, "allocatedBytes"),
				Long.parseLong(properties.getProperty("cpuNanos", "-1")), number(properties, "peakRssKib"),
				Double.parseDouble(properties.getProperty("hostStealPercent", "-1")), properties.getProperty("firstError"),
				properties.getProperty("failure"));
	}

	private static long number(Properties properties, String name) {
		return Long.parseLong(properties.getProperty(name, "0"));
	}

}
