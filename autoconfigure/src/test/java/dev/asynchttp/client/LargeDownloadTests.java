package dev.asynchttp.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB download in a JVM whose heap is 64 MiB (and whose direct memory is capped the
 * same): it can only complete if the body is never held in memory.
 */
@Timeout(120)
class LargeDownloadTests {

	private static final long GIB = 1024L * 1024 * 1024;

	private static final String HEAP = "64m";

	@TempDir
	Path directory;

	@Test
	void aOneGibibyteDownloadCompletesCorrectlyInASixtyFourMebibyteHeap() throws Exception {
		Path downloads = Files.createDirectory(this.directory.resolve("downloads"));
		Path target = downloads.resolve("large.bin");
		// Output goes to a file: a pipe nobody reads while waiting could block the process.
		Path log = this.directory.resolve("process.log");
		Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx" + HEAP, "-XX:MaxDirectMemorySize=" + HEAP, "-cp", System.getProperty("java.class.path"),
				LargeDownloadProcess.class.getName(), Long.toString(GIB), target.toString()))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean exited = process.waitFor(100, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		String output = Files.readString(log);
		assertThat(exited).as("download process ended in time; output:%n%s", output).isTrue();

		System.out.println("1 GiB download with -Xmx" + HEAP + ": " + output.strip());
		assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
		Map<String, String> result = result(output);
		assertThat(result).containsEntry("bytes", Long.toString(GIB))
			.containsEntry("fileSize", Long.toString(GIB))
			.containsEntry("checksumMatches", "true")
			.containsEntry("inFlight", "0");
		assertThat(Double.parseDouble(result.get("heapMaxMib"))).isLessThanOrEqualTo(64);
		assertThat(Files.size(target)).isEqualTo(GIB);
		try (Stream<Path> files = Files.list(downloads)) {
			assertThat(files).as("files left").containsExactly(target);
		}
	}

	private static Map<String, String> result(String output) throws IOException {
		String line = output.lines()
			.filter((candidate) -> candidate.startsWith("RESULT "))
			.findFirst()
			.orElseThrow(() -> new IOException("No RESULT line in:\n" + output));
		Map<String, String> result = new HashMap<>();
		for (String pair : line.substring("RESULT ".length()).split(" ")) {
			int equals = pair.indexOf('=');
			result.put(pair.substring(0, equals), pair.substring(equals + 1));
		}
		return result;
	}

}
