package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seconds-long smoke run of the benchmark that {@code ./mvnw verify} includes: every
 * client runs every workload with a few dozen requests against an in-process upstream,
 * and one workload runs the way {@code benchmarks/run.sh} runs it, in a fresh JVM. It checks
 * that the benchmark still works and produces real figures, never how fast anything is.
 */
class BenchmarkSmokeTests {

	/** Requests per workload: enough for a few 503s in the flaky one. */
	private static final int SMALL = 50;

	private static final int STREAMED_BYTES = 4 * 1024 * 1024;

	private static TestUpstream upstream;

	@BeforeAll
	static void startUpstream() {
		upstream = new TestUpstream(STREAMED_BYTES);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@Test
	void everyClientRunsEveryWorkloadAndTheTableShowsRealFigures() {
		List<Workload> workloads = Workloads.all().stream().map(BenchmarkSmokeTests::small).toList();
		List<Result> results = new ArrayList<>();
		for (Clients client : Clients.values()) {
			// One client for all workloads, opened with the first one's caps: a Spring context
			// start costs more than a small workload. The benchmark opens one per workload.
			try (ClientRunner runner = client.open(upstream.baseUrl(), workloads.get(0))) {
				for (Workload workload : workloads) {
					Result result = WorkloadExecutor.run(client.id(), runner, workload);
					assertFiguresAreReal(workload, result);
					results.add(result);
				}
			}
		}
		assertThat(results).hasSize(workloads.size() * Clients.values().length);
		assertThat(results).filteredOn((result) -> result.workload().equals("flaky"))
			.filteredOn((result) -> !result.client().startsWith("async-http"))
			.allSatisfy((other) -> assertThat(other.errors().get(ErrorKind.HTTP_503)).isPositive());
		assertThat(results).filteredOn((result) -> result.workload().equals("flaky"))
			.filteredOn((result) -> result.client().startsWith("async-http"))
			.allSatisfy((asyncHttp) -> assertThat(asyncHttp.counters().get("retries")).isPositive());
		String table = ResultTable.render(new ResultTable.RunInfo(Instant.now(), "smoke", "in-process upstream",
				MachineFacts.current()), workloads, results);
		assertThat(table).doesNotContain("failed:");
		Arrays.stream(Clients.values()).forEach((client) -> assertThat(table).contains("| " + client.label() + " |"));
		workloads.forEach((workload) -> assertThat(table).contains("| " + workload.describe() + " |"));
		assertThat(table).contains("| 1.00× |").contains("req/s").contains("MiB/s").contains(" processors (nproc)");
	}

	@Test
	void aWorkloadRunsInAFreshJvmAndItsTableIsWritten(@TempDir Path results) throws IOException {
		Workload warming = Workloads.get("warming");
		double scale = (double) SMALL / warming.requests();
		Benchmark.Options options = Benchmark.Options.parse(new String[] { "--base-url",
				upstream.baseUrl().toString(), "--scale", Double.toString(scale), "--workloads", warming.id(),
				"--clients", Clients.REACTOR_NETTY.id(), "--results", results.toString() });
		Path table = Benchmark.run(options);
		Path resultFile = table.resolveSibling("warming-" + Clients.REACTOR_NETTY.id() + ".properties");
		Result result = Result.read(resultFile);
		assertFiguresAreReal(warming.scaled(scale), result);
		assertThat(result.peakRssKib()).isPositive();
		assertThat(Files.readString(table)).contains("| raw Reactor Netty | ").contains("| 1.00× |");
		assertThat(results.resolve("latest.md")).hasSameTextualContentAs(table);
	}

	private static Workload small(Workload workload) {
		return workload.scaled(Math.min(1.0, (double) SMALL / workload.requests()));
	}

	private static void assertFiguresAreReal(Workload workload, Result result) {
		assertThat(result.failure()).as("failure of %s", result).isNull();
		assertThat(result.requests()).isEqualTo(workload.timedRequests());
		assertThat(result.successes() + result.errorCount()).as("outcomes of %s", result)
			.isEqualTo(result.requests());
		assertThat(result.successes()).as("successes of %s", result).isPositive();
		assertThat(result.wallNanos()).isPositive();
		assertThat(result.allocatedPerCall()).isPositive();
		long expectedBytes = (workload.kind() == Workload.Kind.STREAM) ? STREAMED_BYTES : TestUpstream.JSON.length;
		assertThat(result.bodyBytes()).as("body bytes of %s", result).isEqualTo(result.successes() * expectedBytes);
		if (!workload.id().equals("flaky") && !workload.id().equals("burst")) {
			assertThat(result.errorCount()).as("errors of %s", result).isZero();
		}
	}

}
