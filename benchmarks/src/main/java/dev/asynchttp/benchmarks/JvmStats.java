package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the JVM itself reports: bytes allocated by its threads, its CPU time, and its peak
 * resident set.
 *
 * @author async-http
 * @since 0.1.0
 */
final class JvmStats {

	private static final Path STATUS = Path.of("/proc/self/status");

	private JvmStats() {
	}

	/**
	 * Bytes allocated so far by all live threads (HotSpot's per-thread allocation counters).
	 * Threads that end between two readings take their share with them; the event loops that
	 * do the work live for the whole run.
	 * @return allocated bytes, or -1 if the JVM does not count them
	 */
	static long allocatedBytes() {
		if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
				|| !threads.isThreadAllocatedMemorySupported()) {
			return -1;
		}
		threads.setThreadAllocatedMemoryEnabled(true);
		return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
			.filter((bytes) -> bytes > 0)
			.sum();
	}

	/**
	 * CPU time used so far by the whole JVM, every thread included.
	 * @return nanoseconds, or -1 if the JVM does not tell
	 */
	static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/**
	 * Time the JIT compiler threads have spent compiling so far.
	 * @return milliseconds, or -1 if the JVM does not tell
	 */
	static long compilationMillis() {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		return (compiler != null && compiler.isCompilationTimeMonitoringSupported())
				? compiler.getTotalCompilationTime() : -1;
	}

	/**
	 * Peak resident set size of this process ({@code VmHWM} in {@code /proc/self/status}).
	 * @return the peak in KiB, or -1 where there is no {@code /proc}
	 */
	static long peakRssKib() {
		return procStatus("VmHWM:");
	}

	static long procStatus(String key) {
		try {
			List<String> lines = Files.readAllLines(STATUS);
			return lines.stream()
				.filter((line) -> line.startsWith(key))
				.map((line) -> line.substring(key.length()).trim().split("\\s+")[0])
				.mapToLong(Long::parseLong)
				.findFirst()
				.orElse(-1);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
