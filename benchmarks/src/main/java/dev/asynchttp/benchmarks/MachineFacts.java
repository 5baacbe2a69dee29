package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The facts about the machine that a table of timings needs next to it.
 *
 * @param processors available processors
 * @param cpuModel CPU model name, or {@code unknown}
 * @param memory total memory, as {@code /proc/meminfo} says, or {@code unknown}
 * @param java Java runtime name and version
 * @param os operating system and kernel
 * @param loadAverage the 1, 5 and 15 minute load averages when the run started, or
 * {@code unknown}
 * @author async-http
 * @since 0.1.0
 */
public record MachineFacts(int processors, String cpuModel, String memory, String java, String os,
		String loadAverage) {

	private static final String UNKNOWN = "unknown";

	/**
	 * The facts of this machine, now.
	 * @return the facts
	 */
	public static MachineFacts current() {
		return new MachineFacts(Runtime.getRuntime().availableProcessors(), field("/proc/cpuinfo", "model name"),
				memory(field("/proc/meminfo", "MemTotal")),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
						+ System.getProperty("os.arch"),
				readLoadAverage());
	}

	private static String field(String file, String key) {
		try (Stream<String> lines = Files.lines(Path.of(file))) {
			return lines.filter((line) -> line.startsWith(key))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse(UNKNOWN);
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

	private static String memory(String memTotal) {
		String[] parts = memTotal.split("\\s+");
		if (parts.length != 2 || !parts[1].equals("kB")) {
			return memTotal;
		}
		return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(parts[0]) / (1024.0 * 1024.0));
	}

	private static String readLoadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException | RuntimeException ex) {
			return UNKNOWN;
		}
	}

}
