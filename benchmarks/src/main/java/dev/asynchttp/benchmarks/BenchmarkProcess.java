package dev.asynchttp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Entry point of one benchmark JVM: one client, one workload, the result written to a file.
 * Started by {@link ProcessLauncher}; arguments: client id, workload id, base URL, scale,
 * result file.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class BenchmarkProcess {

	private BenchmarkProcess() {
	}

	public static void main(String[] args) {
		if (args.length != 5) {
			throw new IllegalArgumentException(
					"Expected: <client> <workload> <base-url> <scale> <result-file>, got " + args.length + " arguments");
		}
		int status = 0;
		try {
			Clients client = Clients.of(args[0]);
			Workload workload = Workloads.get(args[1]).scaled(Double.parseDouble(args[3]));
			Result result = WorkloadExecutor.run(client, workload, URI.create(args[2]));
			result.write(Path.of(args[4]));
		}
		catch (IOException | RuntimeException ex) {
			ex.printStackTrace();
			status = 1;
		}
		// Some clients' event loops are non-daemon threads: end the JVM either way, so that
		// a failed run is reported at once instead of at the launcher's timeout.
		System.exit(status);
	}

}
