package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The whole host's CPU time so far, from the {@code cpu} line of {@code /proc/stat}: on a
 * virtual machine, the time the hypervisor gave to other guests ("steal") shows how far a
 * run's figures were set by neighbours rather than by the code under test.
 *
 * @param steal ticks stolen by the hypervisor
 * @param total ticks of every kind up to and including steal (guest time is already counted in
 * user time)
 * @author async-http
 * @since 0.1.0
 */
record HostCpu(long steal, long total) {

	private static final Path STAT = Path.of("/proc/stat");

	/** Index of the steal field after the {@code cpu} label: user nice system idle iowait irq softirq steal. */
	private static final int STEAL = 7;

	/**
	 * Read the host's counters now.
	 * @return the counters, or {@code null} where there is no {@code /proc/stat}
	 */
	static @Nullable HostCpu now() {
		try {
			List<String> lines = Files.readAllLines(STAT);
			return lines.isEmpty() ? null : parse(lines.get(0));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Parse the aggregate {@code cpu} line of {@code /proc/stat}.
	 * @param line the line
	 * @return the counters
	 * @throws IllegalArgumentException if it is not such a line
	 */
	static HostCpu parse(String line) {
		String[] fields = line.trim().split("\\s+");
		if (fields.length < STEAL + 2 || !fields[0].equals("cpu")) {
			throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
		}
		long total = 0;
		for (int i = 1; i <= STEAL + 1; i++) {
			total += Long.parseLong(fields[i]);
		}
		return new HostCpu(Long.parseLong(fields[STEAL + 1]), total);
	}

	/**
	 * The share of the host's CPU time stolen between two readings.
	 * @param before the earlier reading, or {@code null}
	 * @param after the later reading, or {@code null}
	 * @return percent, or -1 when either reading is missing or no time passed
	 */
	static double stealPercent(@Nullable HostCpu before, @Nullable HostCpu after) {
		if (before == null || after == null || after.total <= before.total) {
			return -1;
		}
		return 100.0 * (after.steal - before.steal) / (after.total - before.total);
	}

}
