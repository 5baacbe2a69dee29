package dev.asynchttp.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
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
			.append("| client's own counts | warm-up | wall | host steal | CPU/call | alloc/call | peak RSS |\n");
		out.append("|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
		int rounds = 1;
		for (Workload workload : workloads) {
			List<List<Result>> byClient = byClient(results, workload);
			List<Result> baselineRounds = byClient.stream()
				.filter((runs) -> runs.get(0).client().equals(BASELINE))
				.findFirst()
				.orElse(List.of());
			boolean first = true;
			for (List<Result> runs : byClient) {
				rounds = Math.max(rounds, runs.size());
				Result result = median(workload, runs);
				out.append("| ").append(first ? workload.describe() : "").append(" | ")
					.append(Clients.of(result.client()).label()).append(" | ");
				first = false;
				if (result.failure() != null) {
					out.append("failed: ").append(result.failure()).append(" | | | | | | | | | | |\n");
					continue;
				}
				out.append(headline(workload, result)).append(" | ")
					.append(ratio(workload, runs, baselineRounds)).append(" | ")
					.append(count(result.successes())).append(" | ").append(errors(result)).append(" | ")
					.append(counters(result.counters())).append(" | ")
					.append(count(result.warmUpRequests())).append(" | ")
					.append(String.format(Locale.ROOT, "%.2f s", result.wallSeconds())).append(" | ")
					.append(steal(result, runs)).append(" | ")
					.append(micros(result.cpuMicrosPerCall())).append(" | ")
					.append(bytes(result.allocatedPerCall())).append(" | ")
					.append((result.peakRssKib() < 0) ? "—"
							: String.format(Locale.ROOT, "%,d MiB", result.peakRssKib() / 1024))
					.append(" |\n");
			}
		}
		if (rounds > 1) {
			out.append("\nEach client ran each workload ").append(rounds)
				.append(" times, in rounds (each round starting one client later). A row shows the client's median")
				.append(" run; \"vs raw\" is the median of its ratios to raw Reactor Netty's run of the same round,")
				.append(" with the lowest and highest of them in brackets.\n");
		}
		out.append("\n\"vs raw\" divides by raw Reactor Netty's figure in the same run: for wall times lower is ")
			.append("better, for the others higher. \"CPU/call\" is the CPU time of the whole JVM (JIT and garbage ")
			.append("collector included) during the timed phase divided by the requests sent, and \"alloc/call\" the ")
			.append("bytes allocated by all threads in it divided the same way; both move far less from run to run ")
			.append("than throughput, which also depends on how the operating system shares the cores with nginx. ")
			.append("\"host steal\" is the share of the whole machine's CPU time that the hypervisor gave to other ")
			.append("guests during the timed phase (`/proc/stat`), for the row's run and, over several rounds, the ")
			.append("range of the client's runs: where it is more than a few percent, neighbours rather than the ")
			.append("clients set that run's speed.\n");
		String firstErrors = results.stream()
			.filter((result) -> result.firstError() != null)
			.map((result) -> "- " + result.workload() + ", " + result.client() + ": `"
					+ abbreviate(result.firstError()) + "`")
			// Rounds of one client usually fail the same way: each line once.
			.distinct()
			.collect(Collectors.joining("\n"));
		if (!firstErrors.isEmpty()) {
			out.append("\nFirst error of each run that had errors (a repeated one once):\n\n").append(firstErrors).append('\n');
		}
		return out.toString();
	}

	private static String headline(Workload workload, Result result) {
		double value = result.headline(workload.metric());
		String format = (workload.metric() == Workload.Metric.THROUGHPUT) ? "%,.0f %s" : "%,.2f %s";
		return String.format(Locale.ROOT, format, value, workload.metric().unit());
	}

	/**
	 * A workload's runs grouped by client, in the clients' order, each group in the order run
	 * (its rounds).
	 */
	private static List<List<Result>> byClient(List<Result> results, Workload workload) {
		Map<String, List<Result>> runs = new LinkedHashMap<>();
		for (Clients client : Clients.values()) {
			runs.put(client.id(), new ArrayList<>());
		}
		results.stream()
			.filter((result) -> result.workload().equals(workload.id()))
			.forEach((result) -> runs.computeIfAbsent(result.client(), (id) -> new ArrayList<>()).add(result));
		return runs.values().stream().filter((list) -> !list.isEmpty()).toList();
	}

	/** The first failed run if any failed, else the run with the median figure. */
	private static Result median(Workload workload, List<Result> runs) {
		Optional<Result> failed = runs.stream().filter((result) -> result.failure() != null).findFirst();
		if (failed.isPresent()) {
			return failed.get();
		}
		List<Result> sorted = runs.stream()
			.sorted(Comparator.comparingDouble((Result result) -> result.headline(workload.metric())))
			.toList();
		return sorted.get((sorted.size() - 1) / 2);
	}

	/**
	 * The ratio to raw Reactor Netty's run of the same round; over several rounds, the median
	 * ratio and the range.
	 */
	private static String ratio(Workload workload, List<Result> runs, List<Result> raw) {
		List<Double> ratios = new ArrayList<>();
		for (int round = 0; round < Math.min(runs.size(), raw.size()); round++) {
			Result result = runs.get(round);
			Result base = raw.get(round);
			double baseline = base.headline(workload.metric());
			if (result.failure() == null && base.failure() == null && baseline > 0) {
				ratios.add(result.headline(workload.metric()) / baseline);
			}
		}
		if (ratios.isEmpty()) {
			return "—";
		}
		Collections.sort(ratios);
		int middle = ratios.size() / 2;
		double median = (ratios.size() % 2 == 1) ? ratios.get(middle)
				: (ratios.get(middle - 1) + ratios.get(middle)) / 2;
		if (ratios.size() == 1) {
			return String.format(Locale.ROOT, "%.2f×", median);
		}
		return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", median, ratios.get(0),
				ratios.get(ratios.size() - 1));
	}

	/** The steal of the row's run, with the range over the client's rounds when there are several. */
	private static String steal(Result result, List<Result> runs) {
		if (result.hostStealPercent() < 0) {
			return "—";
		}
		String own = String.format(Locale.ROOT, "%.0f %%", result.hostStealPercent());
		DoubleSummaryStatistics known = runs.stream()
			.mapToDouble(Result::hostStealPercent)
			.filter((steal) -> steal >= 0)
			.summaryStatistics();
		return (known.getCount() < 2) ? own
				: own + String.format(Locale.ROOT, " (%.0f–%.0f)", known.getMin(), known.getMax());
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
