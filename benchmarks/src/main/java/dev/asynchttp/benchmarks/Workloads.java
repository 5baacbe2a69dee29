package dev.asynchttp.benchmarks;

import java.util.List;
import java.util.Map;

import dev.asynchttp.benchmarks.Workload.Kind;
import dev.asynchttp.benchmarks.Workload.Metric;

/**
 * The workloads of issue 8, as data. A new workload is one more entry in {@link #all()}.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class Workloads {

	private static final List<Workload> ALL = List.of(
			new Workload("steady", "steady throughput: {n} GETs /json after {w} untimed, 64 in flight, pool 64",
					"/json", 300_000, 1, 100_000, 64, 64, 64, Kind.IN_MEMORY, Metric.THROUGHPUT, List.of(), Map.of()),
			new Workload("warming", "{n} GETs /json, 64 in flight (JIT still warming)", "/json", 100_000, 1, 0, 64, 64,
					64, Kind.IN_MEMORY, Metric.THROUGHPUT, List.of(), Map.of()),
			new Workload("burst",
					"burst: {n} GETs /json at once, {r} timed bursts after {w} untimed in bursts of {n}, 100 per host",
					"/json", 20_000, 3, 60_000, Workload.AT_ONCE,
					100, 100, Kind.IN_MEMORY, Metric.THROUGHPUT, List.of(), Map.of()),
			new Workload("crawl",
					"crawl: {n} × /delay/50 at once after an untimed crawl of {w}, 100 per host (ideal 1.00 s)",
					"/delay/50", 2_000, 1, 2_000, Workload.AT_ONCE, 100, 100, Kind.IN_MEMORY, Metric.WALL_TIME, List.of(), Map.of()),
			new Workload("flaky", "flaky: {n} GETs at once, 20 % 503 + Retry-After: 0, 100 per host", "/flaky",
					2_000, 1, 0, Workload.AT_ONCE, 100, 100, Kind.IN_MEMORY, Metric.THROUGHPUT, List.of(), Map.of()),
			new Workload("stream", "streaming: {n} × one 256 MiB body after {w} untimed, one at a time, at -Xmx64m",
					"/bytes/256MiB", 4, 1, 1, 1, 64, 64,
					Kind.STREAM, Metric.BANDWIDTH, List.of("-Xmx64m"), Map.of()));

	private Workloads() {
	}

	/**
	 * Every workload, in the order the table lists them.
	 * @return the workloads
	 */
	public static List<Workload> all() {
		return ALL;
	}

	/**
	 * The workload with the given id.
	 * @param id the id
	 * @return the workload
	 * @throws IllegalArgumentException if there is none
	 */
	public static Workload get(String id) {
		return ALL.stream()
			.filter((workload) -> workload.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown workload '" + id + "'; known: " + ALL.stream().map(Workload::id).toList()));
	}

}
