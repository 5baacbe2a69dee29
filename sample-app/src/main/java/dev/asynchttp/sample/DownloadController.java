package dev.asynchttp.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.asynchttp.client.AsyncApiClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /download?mb=100}: the guide's "stream large files". Downloads {@code mb} MiB of
 * the demo upstream's {@code /demo/bytes/{n}} through the {@code demo} client into a
 * temporary file, with constant memory whatever the size, reports how fast it went, then
 * deletes the file.
 */
@RestController
class DownloadController {

	static final int MAX_MB = 1024;

	private static final long MIB = 1024 * 1024;

	/**
	 * The {@code demo} client's {@code timeouts.total} (30 s) covers a whole download and
	 * would cut a slow one short, so a download gets a deadline of its own.
	 */
	private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

	private final AsyncApiClient demo;

	DownloadController(@Qualifier("demo") AsyncApiClient demo) {
		this.demo = demo;
	}

	/**
	 * Run one download.
	 * @param mb how many MiB, 1 to {@value #MAX_MB}
	 * @return bytes written, seconds taken and MiB per second
	 */
	@GetMapping("/download")
	Mono<DownloadResult> download(@RequestParam(defaultValue = "100") int mb) {
		if (mb < 1 || mb > MAX_MB) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "mb must be between 1 and " + MAX_MB);
		}
		long bytes = mb * MIB;
		return Mono.usingWhen(
				Mono.fromCallable(() -> Files.createTempFile("async-http-download-", ".bin"))
					.subscribeOn(Schedulers.boundedElastic()),
				(file) -> Mono.defer(() -> {
					long start = System.nanoTime();
					return this.demo.request(HttpMethod.GET, "/demo/bytes/{n}", bytes)
						.timeout(DOWNLOAD_TIMEOUT)
						.download(file)
						.map((written) -> DownloadResult.of(written, System.nanoTime() - start));
				}), DownloadController::delete, (file, ex) -> delete(file), DownloadController::delete);
	}

	private static Mono<Void> delete(Path file) {
		return Mono.fromCallable(() -> Files.deleteIfExists(file))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(IOException.class, (ex) -> Mono.just(false))
			.then();
	}

	/**
	 * Outcome of one download.
	 *
	 * @param bytes bytes written to the file
	 * @param seconds how long the download took
	 * @param mbPerSecond throughput in MiB (1,048,576 bytes) per second
	 */
	record DownloadResult(long bytes, double seconds, double mbPerSecond) {

		static DownloadResult of(long bytes, long nanos) {
			double seconds = Math.max(nanos, 1) / 1e9;
			return new DownloadResult(bytes, Math.round(seconds * 1000) / 1000.0,
					Math.round(bytes / (double) MIB / seconds * 10) / 10.0);
		}

	}

}
