package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one client and one workload in a fresh JVM with this JVM's class path, and reads its
 * result. The JVM's output goes to a log file next to the results.
 *
 * @author async-http
 * @since 0.1.0
 */
final class ProcessLauncher {

	private final Path directory;

	private final Duration timeout;

	/**
	 * Create a launcher.
	 * @param directory where results and logs go
	 * @param timeout longest time one JVM may run
	 */
	ProcessLauncher(Path directory, Duration timeout) {
		this.directory = directory;
		this.timeout = timeout;
	}

	/**
	 * Run one client and one workload in a fresh JVM.
	 * @param client the client
	 * @param workload the workload, unscaled
	 * @param scale the scale to apply
	 * @param baseUrl the upstream
	 * @return the result, or a failed one saying why and where the log is
	 */
	Result run(Clients client, Workload workload, double scale, URI baseUrl) {
		String name = workload.id() + "-" + client.id();
		Path resultFile = this.directory.resolve(name + ".properties");
		Path log = this.directory.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(workload.jvmArguments());
		// For profiling: BENCH_JVM_OPTIONS='-XX:StartFlightRecording=filename=/tmp/x.jfr' reaches every
		// benchmark JVM.
		String extra = System.getenv("BENCH_JVM_OPTIONS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkProcess.class.getName(),
				client.id(), workload.id(), baseUrl.toString(), Double.toString(scale), resultFile.toString()));
		try {
			Files.deleteIfExists(resultFile);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				return Result.failed(client.id(), workload.id(), "timed out after " + this.timeout + ", see " + log);
			}
			if (process.exitValue() != 0 || !Files.exists(resultFile)) {
				return Result.failed(client.id(), workload.id(),
						"JVM exited with " + process.exitValue() + ", see " + log);
			}
			return Result.read(resultFile);
		}
		catch (IOException ex) {
			return Result.failed(client.id(), workload.id(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Result.failed(client.id(), workload.id(), "interrupted");
		}
	}

}
