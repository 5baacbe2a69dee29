package dev.asynchttp.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One Markdown table for one run: a row per workload and client, with each client's figure
 * and its ratio to raw Reactor Netty's figure from the same run.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class ResultTable {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String BASELINE = Clients.REACTOR_NETTY.id();

	private ResultTable() {
	}

	/**
	 * Render a run.
	 * @param run what was run, where and how
	 * @param workloads the workloads, as run (scaled)
	 * @param results every result of the run
	 * @return the Markdown
	 */
	public static String render(RunInfo run, List<Workload> workloads, List<Result> results) {
		MachineFacts machine = run.machine();
		StringBuilder out = new StringBuilder();
		out.append("### Benchmark run of ").append(TIME.format(run.started())).append("\n\n");
		out.append("- command: `").append(run.command()).append("`\n");
		out.append("- machine: ").append(machine.processors()).append(" processors (nproc), ")
			.append(machine.cpuModel()).append(", ").append(machine.memory()).append(" memory, load average ")
			.append(machine.loadAverage()).append(" at the start\n");
		out.append("- Java: ").append(machine.java()).append("; OS: ").append(machine.os()).append('\n');
		out.append("- upstream: ").append(run.upstream()).append('\n');
		out.append("- every client in a fresh JVM per workload, one untimed warm-up request (and the ")
			.append("untimed calls a workload's title names, sent the same way, and more rounds of them while the ")
			.append("JIT compiler is still busy, up to ").append(WorkloadExecutor.MAX_WARM_UP_FACTOR)
			.append(" times as many: the \"warm-up\" column), then ")
			.append("the workload's calls, each subscribed on its own with at most the workload's concurrency in flight,")
			.append(" reading every body\n\n");
		out.append("| workload | client | result | vs raw | ok | errors: overload / 503 / timeout / other ")
			.append("| client's own counts | warm-up | wall | CPU/call | alloc/call | peak RSS |\n");
		out.append("|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
		for (Workload workload : workloads) {
			List<Result> rows = results.stream().filter((result) -> result.workload().equals(workload.id())).toList();
			Optional<Result> baseline = rows.stream()
				.filter((result) -> result.client().equals(BASELINE) && result.failure() == null)
				.findFirst();
			boolean first = true;
			for (Result result : rows) {
				out.append("| ").append(first ? workload.describe() : "").append(" | ")
					.append(Clients.of(result.client()).label()).append(" | ");
				first = false;
				if (result.failure() != null) {
					out.append("failed: ").append(result.failure()).append(" | | | | | | | | | |\n");
					continue;
				}
				out.append(headline(workload, result)).append(" | ")
					.append(baseline.map((raw) -> ratio(workload, result, raw)).orElse("—")).append(" | ")
					.append(count(result.successes())).append(" | ").append(errors(result)).append(" | ")
					.append(counters(result.counters())).append(" | ")
					.append(count(result.warmUpRequests())).append(" | ")
					.append(String.format(Locale.ROOT, "%.2f s", result.wallSeconds())).append(" | ")
					.append(micros(result.cpuMicrosPerCall())).append(" | ")
					.append(bytes(result.allocatedPerCall())).append(" | ")
					.append((result.peakRssKib() < 0) ? "—"
							: String.format(Locale.ROOT, "%,d MiB", result.peakRssKib() / 1024))
					.append(" |\n");
			}
		}
		out.append("\n\"vs raw\" divides by raw Reactor Netty's figure in the same run: for wall times lower is ")
			.append("better, for the others higher. \"CPU/call\" is the CPU time of the whole JVM (JIT and garbage ")
			.append("collector included) during the timed phase divided by the requests sent, and \"alloc/call\" the ")
			.append("bytes allocated by all threads in it divided the same way; both move far less from run to run ")
			.append("than throughput, which also depends on how the operating system shares the cores with nginx.\n");
		String firstErrors = results.stream()
			.filter((result) -> result.firstError() != null)
			.map((result) -> "- " + result.workload() + ", " + result.client() + ": `"
					+ abbreviate(result.firstError()) + "`")
			.collect(Collectors.joining("\n"));
		if (!firstErrors.isEmpty()) {
			out.append("\nFirst error of each run that had errors:\n\n").append(firstErrors).append('\n');
		}
		return out.toString();
	}

	private static String headline(Workload workload, Result result) {
		double value = result.headline(workload.metric());
		String format = (workload.metric() == Workload.Metric.THROUGHPUT) ? "%,.0f %s" : "%,.2f %s";
		return String.format(Locale.ROOT, format, value, workload.metric().unit());
	}

	private static String ratio(Workload workload, Result result, Result raw) {
		double base = raw.headline(workload.metric());
		return (base > 0) ? String.format(Locale.ROOT, "%.2f×", result.headline(workload.metric()) / base) : "—";
	}

	private static String errors(Result result) {
		return result.errors()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((entry) -> count(entry.getValue()))
			.collect(Collectors.joining(" / "));
	}

	private static String counters(Map<String, Long> counters) {
		if (counters.isEmpty()) {
			return "—";
		}
		return counters.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map((entry) -> entry.getKey() + " " + count(entry.getValue()))
			.collect(Collectors.joining(", "));
	}

	private static String count(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	private static String micros(double value) {
		if (value < 0) {
			return "—";
		}
		return (value >= 10_000) ? String.format(Locale.ROOT, "%,.0f ms", value / 1000)
				: String.format(Locale.ROOT, "%,.1f µs", value);
	}

	private static String bytes(long value) {
		return (value < 0) ? "—" : String.format(Locale.ROOT, "%,d B", value);
	}

	private static String abbreviate(String text) {
		String line = text.replace('\n', ' ').replace('|', '/').replace('`', '\'');
		return (line.length() > 160) ? line.substring(0, 157) + "..." : line;
	}

	/**
	 * What was run, where and how.
	 *
	 * @param started when the run started
	 * @param command the command, as the reader should type it
	 * @param upstream what the upstream was
	 * @param machine the machine
	 */
	public record RunInfo(Instant started, String command, String upstream, MachineFacts machine) {

	}

}
