/**
 * The benchmark: async-http against raw Reactor Netty and Boot's WebClient, each client in a
 * fresh JVM, against a local upstream. {@link dev.asynchttp.benchmarks.Benchmark} runs it,
 * {@link dev.asynchttp.benchmarks.Workloads} lists what it measures and
 * {@link dev.asynchttp.benchmarks.Clients} what it measures it with.
 */
@NullMarked
package dev.asynchttp.benchmarks;

import org.jspecify.annotations.NullMarked;
