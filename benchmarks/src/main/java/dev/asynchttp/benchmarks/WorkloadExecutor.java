package dev.asynchttp.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;

import reactor.core.publisher.Mono;

/**
 * Runs one workload with one client, the same way for every client: one untimed warm-up
 * request and the workload's untimed warm-up calls, then {@code n} calls with at most
 * {@code concurrency} in flight ({@link InFlightDriver}), every body read, every outcome
 * counted.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class WorkloadExecutor {

	/** Warm-up path: cheap, always 200. */
	static final String WARM_UP_PATH = "/json";

	private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration TIMED_PHASE_TIMEOUT = Duration.ofMinutes(15);

	/** Most untimed calls, as a multiple of the workload's warm-up requests. */
	static final int MAX_WARM_UP_FACTOR = 4;

	/** Size of the rounds that check whether the JIT is quiet, as a fraction of the warm-up. */
	private static final int QUIET_ROUNDS_PER_MINIMUM = 5;

	/** The JIT is quiet when it compiled for at most this share of a round's wall time. */
	private static final int QUIET_COMPILATION_PERCENT = 5;

	private WorkloadExecutor() {
	}

	/**
	 * Open the client, run the workload, close the client.
	 * @param client the client
	 * @param workload the workload
	 * @param baseUrl the upstream's base URL
	 * @return what was measured
	 */
	public static Result run(Clients client, Workload workload, URI baseUrl) {
		try (ClientRunner runner = client.open(baseUrl, workload)) {
			return run(client.id(), runner, workload);
		}
	}

	static Result run(String clientId, ClientRunner runner, Workload workload) {
		Function<String, Mono<Long>> call = (workload.kind() == Workload.Kind.STREAM) ? runner::stream
				: runner::get;
		runner.get(WARM_UP_PATH).block(WARM_UP_TIMEOUT);
		long warmUps = warmUp(call, workload);
		Tally tally = new Tally();
		IntFunction<Mono<?>> timed = counted(call, workload.path(), tally);
		long allocatedBefore = JvmStats.allocatedBytes();
		long cpuBefore = JvmStats.processCpuNanos();
		HostCpu hostBefore = HostCpu.now();
		long start = System.nanoTime();
		for (int round = 0; round < workload.rounds(); round++) {
			InFlightDriver.run(workload.requests(), workload.effectiveConcurrency(), timed, TIMED_PHASE_TIMEOUT);
		}
		long wallNanos = System.nanoTime() - start;
		long allocatedAfter = JvmStats.allocatedBytes();
		long cpuAfter = JvmStats.processCpuNanos();
		HostCpu hostAfter = HostCpu.now();
		long allocated = (allocatedBefore < 0 || allocatedAfter < 0) ? -1 : allocatedAfter - allocatedBefore;
		return new Result(clientId, workload.id(), workload.timedRequests(), tally.successes.sum(), tally.errors(),
				runner.counters(), warmUps, wallNanos, tally.bodyBytes.sum(), allocated,
				(cpuBefore < 0 || cpuAfter < 0) ? -1 : cpuAfter - cpuBefore, JvmStats.peakRssKib(),
				HostCpu.stealPercent(hostBefore, hostAfter), tally.firstError.get(), null);
	}

	/**
	 * Send the workload's untimed calls, at least {@code warmUpRequests}, then more rounds
	 * while the JIT compiler is still busy, up to {@value #MAX_WARM_UP_FACTOR} times as many.
	 * A bigger application (Actuator's) leaves the compiler busier for longer after its
	 * start: measured without this, its compiler thread still took most of a core well into
	 * the timed phase, compiling the very call path being timed. The same calls go through
	 * the same operators as in the timed phase, counted into a tally that is dropped: a
	 * warm-up of another shape leaves the JIT to deoptimise and compile again once the
	 * timed phase starts. An at-once workload warms up in rounds of its own size: a burst
	 * never grows.
	 * @return the untimed calls sent
	 */
	private static long warmUp(Function<String, Mono<Long>> call, Workload workload) {
		if (workload.warmUpRequests() == 0) {
			return 0;
		}
		IntFunction<Mono<?>> warmUp = counted(call, workload.path(), new Tally());
		int round = workload.atOnce() ? workload.requests()
				: Math.max(1, workload.warmUpRequests() / QUIET_ROUNDS_PER_MINIMUM);
		long sent = 0;
		long limit = (long) workload.warmUpRequests() * MAX_WARM_UP_FACTOR;
		boolean quiet = false;
		while (sent < workload.warmUpRequests() || (!quiet && sent < limit)) {
			int requests = (int) Math.min(round, limit - sent);
			int concurrency = workload.atOnce() ? requests : Math.min(workload.concurrency(), requests);
			long compiledBefore = JvmStats.compilationMillis();
			long start = System.nanoTime();
			InFlightDriver.run(requests, concurrency, warmUp, TIMED_PHASE_TIMEOUT);
			long wallMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
			long compiled = JvmStats.compilationMillis() - compiledBefore;
			quiet = compiledBefore < 0 || compiled * 100 <= wallMillis * QUIET_COMPILATION_PERCENT;
			sent += requests;
		}
		return sent;
	}

	private static IntFunction<Mono<?>> counted(Function<String, Mono<Long>> call, String path, Tally tally) {
		return (i) -> call.apply(path).doOnNext(tally::success).onErrorResume((error) -> {
			tally.failure(error);
			return Mono.empty();
		});
	}

	private static final class Tally {

		private final LongAdder successes = new LongAdder();

		private final LongAdder bodyBytes = new LongAdder();

		private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);

		private final AtomicReference<String> firstError = new AtomicReference<>();

		Tally() {
			for (ErrorKind kind : ErrorKind.values()) {
				this.errors.put(kind, new LongAdder());
			}
		}

		void success(long bytes) {
			this.successes.increment();
			this.bodyBytes.add(bytes);
		}

		void failure(Throwable error) {
			this.errors.get(ErrorKind.of(error)).increment();
			this.firstError.compareAndSet(null, error.getClass().getName() + ": " + error.getMessage());
		}

		Map<ErrorKind, Long> errors() {
			Map<ErrorKind, Long> counts = new EnumMap<>(ErrorKind.class);
			this.errors.forEach((kind, count) -> counts.put(kind, count.sum()));
			return counts;
		}

	}

}
