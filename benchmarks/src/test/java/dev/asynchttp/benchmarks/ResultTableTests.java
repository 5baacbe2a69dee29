package dev.asynchttp.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How a run of several rounds is summarised: medians, and ratios taken round by round.
 */
class ResultTableTests {

	private static final Workload STEADY = Workloads.get("steady");

	@Test
	void severalRoundsShowEachClientsMedianRunAndItsMedianRatioToRawInTheSameRound() {
		List<Result> results = new ArrayList<>();
		// Three rounds; the second is slow for both clients, as a busy host makes it.
		long[][] wallMillis = { { 1000, 1100 }, { 2000, 2000 }, { 1000, 1250 } };
		for (long[] round : wallMillis) {
			results.add(run(Clients.REACTOR_NETTY, round[0]));
			results.add(run(Clients.ASYNC_HTTP, round[1]));
		}

		String table = render(results);

		// Ratios by round: 1000/1100, 2000/2000, 1000/1250 of raw's throughput.
		assertThat(table).contains("| 0.91× (0.80–1.00) |");
		// async-http's median run by throughput (909, 500, 800 req/s) is the 1,250 ms one.
		assertThat(row(table, Clients.ASYNC_HTTP)).contains("| 1.25 s |");
		assertThat(table).contains("ran each workload 3 times");
	}

	@Test
	void oneRoundShowsThePlainRatio() {
		String table = render(List.of(run(Clients.REACTOR_NETTY, 1000), run(Clients.ASYNC_HTTP, 1250)));

		assertThat(table).contains("| 1.00× |").contains("| 0.80× |").doesNotContain("ran each workload");
	}

	@Test
	void roundsRotateTheClientsAndMustBeAtLeastOne() {
		List<Clients> clients = List.of(Clients.REACTOR_NETTY, Clients.BOOT_WEBCLIENT, Clients.ASYNC_HTTP);
		assertThat(Benchmark.rotated(clients, 0)).containsExactlyElementsOf(clients);
		assertThat(Benchmark.rotated(clients, 1)).containsExactly(Clients.BOOT_WEBCLIENT, Clients.ASYNC_HTTP,
				Clients.REACTOR_NETTY);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Benchmark.Options.parse(new String[] { "--base-url", "http://127.0.0.1:1", "--rounds",
					"0" }))
			.withMessageContaining("--rounds");
	}

	@Test
	void anErrorRepeatedInEveryRoundIsListedOnce() {
		List<Result> results = new ArrayList<>();
		for (int round = 0; round < 3; round++) {
			results.add(run(Clients.REACTOR_NETTY, 1000));
			results.add(failing(Clients.ASYNC_HTTP, "HTTP 503"));
		}
		results.add(failing(Clients.ASYNC_HTTP, "HTTP 502"));

		String table = render(results);

		assertThat(table.lines().filter((line) -> line.startsWith("- steady, async-http: "))).hasSize(2);
		assertThat(table).contains("- steady, async-http: `HTTP 503`").contains("- steady, async-http: `HTTP 502`");
	}

	@Test
	void hostStealShowsForTheMedianRunWithTheRangeOfTheClientsRounds() {
		List<Result> results = new ArrayList<>();
		double[] steal = { 2, 31, 5 };
		for (int round = 0; round < 3; round++) {
			results.add(run(Clients.REACTOR_NETTY, 1000, 0));
			results.add(run(Clients.ASYNC_HTTP, 1000 + 100 * round, steal[round]));
		}

		String table = render(results);

		assertThat(table).contains("| host steal |");
		// The median run by throughput is the 1,100 ms one, of the second round.
		assertThat(row(table, Clients.ASYNC_HTTP)).contains("| 1.10 s | 31 % (2–31) |");
		assertThat(row(table, Clients.REACTOR_NETTY)).contains("| 0 % (0–0) |");
	}

	@Test
	void unknownHostStealShowsAsADash() {
		String table = render(List.of(run(Clients.REACTOR_NETTY, 1000), run(Clients.ASYNC_HTTP, 1250)));

		assertThat(row(table, Clients.ASYNC_HTTP)).contains("| 1.25 s | — |");
	}

	private static Result failing(Clients client, String firstError) {
		return new Result(client.id(), STEADY.id(), 1000, 999, Map.of(ErrorKind.OTHER, 1L), Map.of(), 0,
				1_000_000_000L, 0, -1, -1, -1, -1, firstError, null);
	}

	private static Result run(Clients client, long wallMillis) {
		return run(client, wallMillis, -1);
	}

	private static Result run(Clients client, long wallMillis, double stealPercent) {
		return new Result(client.id(), STEADY.id(), 1000, 1000, Map.of(), Map.of(), 0, wallMillis * 1_000_000, 0,
				-1, -1, -1, stealPercent, null, null);
	}

	private static String render(List<Result> results) {
		return ResultTable.render(new ResultTable.RunInfo(Instant.now(), "test", "none", MachineFacts.current()),
				List.of(STEADY), results);
	}

	private static String row(String table, Clients client) {
		return table.lines().filter((line) -> line.contains("| " + client.label() + " |")).findFirst().orElseThrow();
	}

}
