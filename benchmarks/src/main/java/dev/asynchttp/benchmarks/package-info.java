/**
 * The benchmark: async-http against raw Reactor Netty and Boot's WebClient, each client in a
 * fresh JVM, against a local upstream. {@link dev.asynchttp.benchmarks.Benchmark} runs it,
 * {@link dev.asynchttp.benchmarks.Workloads} lists what it measures and
 * {@link dev.asynchttp.benchmarks.Clients} what it measures it with.
 * <p>
 * Code map, in the order a run goes:
 * <ol>
 * <li>{@link dev.asynchttp.benchmarks.Benchmark} takes every
 * {@link dev.asynchttp.benchmarks.Workload} and client, and
 * {@link dev.asynchttp.benchmarks.ProcessLauncher} starts
 * {@link dev.asynchttp.benchmarks.BenchmarkProcess} in a fresh JVM for each pair;</li>
 * <li>there a {@link dev.asynchttp.benchmarks.ClientRunner}
 * ({@link dev.asynchttp.benchmarks.AsyncHttpRunner},
 * {@link dev.asynchttp.benchmarks.ReactorNettyRunner},
 * {@link dev.asynchttp.benchmarks.BootWebClientRunner}, the Spring ones inside
 * {@link dev.asynchttp.benchmarks.BenchApplications}) opens the client and
 * {@link dev.asynchttp.benchmarks.WorkloadExecutor} sends the workload through
 * {@link dev.asynchttp.benchmarks.InFlightDriver}, reading bodies with
 * {@link dev.asynchttp.benchmarks.Bodies} and sorting failures by
 * {@link dev.asynchttp.benchmarks.ErrorKind};</li>
 * <li>each {@link dev.asynchttp.benchmarks.Result} (with {@link dev.asynchttp.benchmarks.JvmStats})
 * goes back by file, and {@link dev.asynchttp.benchmarks.ResultTable} prints them next to
 * {@link dev.asynchttp.benchmarks.MachineFacts}.</li>
 * </ol>
 * {@link dev.asynchttp.benchmarks.SharedRateLimitBenchmark} is a runner of its own, for
 * shared rate limits through Redis.
 */
@NullMarked
package dev.asynchttp.benchmarks;

import org.jspecify.annotations.NullMarked;
