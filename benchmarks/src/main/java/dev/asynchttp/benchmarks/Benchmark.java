package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmark: every selected workload with every selected client, each in a fresh
 * JVM, one after the other against the same upstream; prints one Markdown table and writes
 * it to the results directory. {@code benchmarks/run.sh} starts the upstream and this.
 * <p>
 * Options: {@code --base-url URL} (required), {@code --quick} (a tenth of the requests of
 * the workloads with a fixed concurrency; those that send everything at once stay whole, since
 * a smaller burst would no longer overflow a wait queue), {@code --scale F} (every workload), {@code --workloads a,b}, {@code --clients a,b},
 * {@code --results DIR} (default {@code benchmarks/target/benchmark-results}),
 * {@code --upstream TEXT}, {@code --command TEXT} (both for the table's header),
 * {@code --rounds N} (each client runs each workload N times, in a rotating order; the
 * table shows medians, default 1).
 *
 * @author async-http
 * @since 0.1.0
 */
public final class Benchmark {

	private static final Duration JVM_TIMEOUT = Duration.ofMinutes(20);

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private Benchmark() {
	}

	public static void main(String[] args) throws IOException {
		Options options = Options.parse(args);
		Path table = run(options);
		System.out.println();
		System.out.println(Files.readString(table));
		System.out.println("Written to " + table);
	}

	/**
	 * Run every selected workload with every selected client.
	 * @param options what to run
	 * @return the Markdown file holding the table
	 * @throws IOException if the results cannot be written
	 */
	static Path run(Options options) throws IOException {
		Instant started = Instant.now();
		MachineFacts machine = MachineFacts.current();
		Path directory = options.results().resolve(FILE_TIME.format(started));
		Files.createDirectories(directory);
		ProcessLauncher launcher = new ProcessLauncher(directory, JVM_TIMEOUT);
		List<Result> results = new ArrayList<>();
		for (Workload workload : options.workloads()) {
			for (int round = 0; round < options.rounds(); round++) {
				for (Clients client : rotated(options.clients(), round)) {
					System.out.printf(Locale.ROOT, "%s with %s%s ...%n", workload.id(), client.id(),
							(options.rounds() > 1) ? ", round " + (round + 1) + " of " + options.rounds() : "");
					Result result = launcher.run(client, workload, options.scaleOf(workload), options.baseUrl());
					System.out.printf(Locale.ROOT, "  %s%n", summary(workload, result));
					results.add(result);
				}
			}
		}
		List<Workload> scaled = options.workloads().stream().map((w) -> w.scaled(options.scaleOf(w))).toList();
		String markdown = ResultTable.render(
				new ResultTable.RunInfo(started, options.command(), options.upstream(), machine), scaled, results);
		Path table = directory.resolve("results.md");
		Files.writeString(table, markdown, StandardCharsets.UTF_8);
		Files.writeString(options.results().resolve("latest.md"), markdown, StandardCharsets.UTF_8);
		return table;
	}

	/**
	 * The clients in the order of one round: each round starts one client later, so that no
	 * client always runs first after the upstream started, or always last.
	 */
	static List<Clients> rotated(List<Clients> clients, int round) {
		List<Clients> order = new ArrayList<>(clients);
		Collections.rotate(order, -(round % Math.max(1, order.size())));
		return order;
	}

	private static String summary(Workload workload, Result result) {
		if (result.failure() != null) {
			return "failed: " + result.failure();
		}
		return String.format(Locale.ROOT, "%.2f %s, %d ok, %d errors, %.2f s", result.headline(workload.metric()),
				workload.metric().unit(), result.successes(), result.errorCount(), result.wallSeconds());
	}

	/**
	 * What to run.
	 *
	 * @param baseUrl the upstream
	 * @param scale factor on every workload's request count
	 * @param quick whether only workloads with a fixed concurrency are scaled, by a tenth
	 * @param workloads the workloads, unscaled
	 * @param clients the clients
	 * @param results where results go
	 * @param upstream what the upstream is, for the header
	 * @param command the command, for the header
	 * @param rounds how many times each client runs each workload
	 */
	record Options(URI baseUrl, double scale, boolean quick, List<Workload> workloads, List<Clients> clients, Path results,
			String upstream, String command, int rounds) {

		private static final double QUICK = 0.1;

		static Options parse(String[] args) {
			URI baseUrl = null;
			double scale = 1.0;
			boolean quick = false;
			List<Workload> workloads = Workloads.all();
			List<Clients> clients = Arrays.asList(Clients.values());
			Path results = Path.of("benchmarks", "target", "benchmark-results");
			String upstream = null;
			String command = "benchmarks/run.sh";
			int rounds = 1;
			for (int i = 0; i < args.length; i++) {
				String option = args[i];
				switch (option) {
					case "--quick" -> quick = true;
					case "--base-url" -> baseUrl = URI.create(value(args, ++i, option));
					case "--scale" -> scale = Double.parseDouble(value(args, ++i, option));
					case "--workloads" -> workloads = Arrays.stream(value(args, ++i, option).split(","))
						.map(Workloads::get)
						.toList();
					case "--clients" -> clients = Arrays.stream(value(args, ++i, option).split(","))
						.map(Clients::of)
						.toList();
					case "--results" -> results = Path.of(value(args, ++i, option));
					case "--upstream" -> upstream = value(args, ++i, option);
					case "--command" -> command = value(args, ++i, option);
					case "--rounds" -> rounds = rounds(value(args, ++i, option));
					default -> throw new IllegalArgumentException("Unknown option '" + option + "'; options: "
							+ "--base-url URL --quick --scale F --workloads " + String.join(",",
									Workloads.all().stream().map(Workload::id).toList())
							+ " --clients " + String.join(",", Clients.ids())
							+ " --results DIR --upstream TEXT --command TEXT --rounds N");
				}
			}
			if (baseUrl == null) {
				throw new IllegalArgumentException("--base-url is required, for example --base-url "
						+ "http://127.0.0.1:18080 (benchmarks/run.sh starts nginx there)");
			}
			return new Options(baseUrl, scale, quick, workloads, clients, results,
					(upstream != null) ? upstream : baseUrl.toString(), command, rounds);
		}

		private static int rounds(String value) {
			try {
				int rounds = Integer.parseInt(value);
				if (rounds >= 1) {
					return rounds;
				}
			}
			catch (NumberFormatException ex) {
				// Reported below, with what is expected.
			}
			throw new IllegalArgumentException("--rounds needs a whole number of at least 1, not '" + value + "'");
		}

		double scaleOf(Workload workload) {
			return (this.quick && !workload.atOnce()) ? this.scale * QUICK : this.scale;
		}

		private static String value(String[] args, int index, String option) {
			if (index >= args.length) {
				throw new IllegalArgumentException(option + " needs a value");
			}
			return args[index];
		}

	}

}
