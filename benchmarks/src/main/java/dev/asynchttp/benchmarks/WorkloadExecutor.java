package dev.asynchttp.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

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
		if (workload.warmUpRequests() > 0) {
			// The same calls, untimed and uncounted; their failures are the timed phase's business.
			// An at-once workload warms up in rounds of its own size: a burst never grows.
			int round = workload.atOnce() ? workload.requests() : workload.warmUpRequests();
			for (int left = workload.warmUpRequests(); left > 0; left -= round) {
				int requests = Math.min(round, left);
				int concurrency = workload.atOnce() ? requests : Math.min(workload.concurrency(), requests);
				InFlightDriver.run(requests, concurrency,
						(i) -> call.apply(workload.path()).then().onErrorResume((error) -> Mono.empty()),
						TIMED_PHASE_TIMEOUT);
			}
		}
		Tally tally = new Tally();
		long allocatedBefore = JvmStats.allocatedBytes();
		long cpuBefore = JvmStats.processCpuNanos();
		long start = System.nanoTime();
		for (int round = 0; round < workload.rounds(); round++) {
			InFlightDriver.run(workload.requests(), workload.effectiveConcurrency(),
					(i) -> call.apply(workload.path()).doOnNext(tally::success).onErrorResume((error) -> {
						tally.failure(error);
						return Mono.empty();
					}), TIMED_PHASE_TIMEOUT);
		}
		long wallNanos = System.nanoTime() - start;
		long allocatedAfter = JvmStats.allocatedBytes();
		long cpuAfter = JvmStats.processCpuNanos();
		long allocated = (allocatedBefore < 0 || allocatedAfter < 0) ? -1 : allocatedAfter - allocatedBefore;
		return new Result(clientId, workload.id(), workload.timedRequests(), tally.successes.sum(), tally.errors(),
				runner.counters(), wallNanos, tally.bodyBytes.sum(), allocated,
				(cpuBefore < 0 || cpuAfter < 0) ? -1 : cpuAfter - cpuBefore, JvmStats.peakRssKib(),
				tally.firstError.get(), null);
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
