package dev.asynchttp.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A slow, flaky, bulky upstream served by the application itself, so that the demo runs
 * offline. Every endpoint is non-blocking: delays are timers, never sleeping threads.
 */
@RestController
@RequestMapping("/demo")
class DemoUpstreamController {

	static final long MAX_DELAY_MS = 60_000;

	static final long MAX_BYTES = 1L << 30;

	private static final int CHUNK_SIZE = 64 * 1024;

	/** One read-only chunk, wrapped (never copied) for every chunk of every response. */
	private static final byte[] CHUNK = chunk();

	/**
	 * Answer after {@code ms} milliseconds.
	 * @param ms the delay, 0 to {@value #MAX_DELAY_MS}
	 * @param id echoed back; a random id when absent
	 * @return {@code {"delayMs":ms,"id":id}}
	 */
	@GetMapping("/delay/{ms}")
	Mono<DelayReply> delay(@PathVariable long ms, @RequestParam(required = false) String id) {
		if (ms < 0 || ms > MAX_DELAY_MS) {
			throw badRequest("ms must be between 0 and " + MAX_DELAY_MS);
		}
		String replyId = (id != null) ? id : UUID.randomUUID().toString();
		return Mono.delay(Duration.ofMillis(ms)).map((tick) -> new DelayReply(ms, replyId));
	}

	/**
	 * Answer with the given status and a small JSON body.
	 * @param code the status, 200 to 599
	 * @return {@code {"status":code,"reason":...}}
	 */
	@GetMapping("/status/{code}")
	ResponseEntity<Map<String, Object>> status(@PathVariable int code) {
		if (code < 200 || code > 599) {
			throw badRequest("code must be between 200 and 599");
		}
		HttpStatusCode status = HttpStatusCode.valueOf(code);
		if (code == 204 || code == 304) {
			return ResponseEntity.status(status).build();
		}
		HttpStatus known = HttpStatus.resolve(code);
		return ResponseEntity.status(status)
			.body(Map.of("status", code, "reason", (known != null) ? known.getReasonPhrase() : ""));
	}

	/**
	 * Stream {@code n} bytes in chunks of at most 64 KiB, produced on demand: memory use does
	 * not depend on {@code n}.
	 * @param n the body size, 0 to 1 GiB
	 * @param response the response, for its buffer factory
	 * @return the body
	 */
	@GetMapping("/bytes/{n}")
	ResponseEntity<Flux<DataBuffer>> bytes(@PathVariable long n, ServerHttpResponse response) {
		if (n < 0 || n > MAX_BYTES) {
			throw badRequest("n must be between 0 and " + MAX_BYTES + " (1 GiB)");
		}
		DataBufferFactory buffers = response.bufferFactory();
		Flux<DataBuffer> body = Flux.generate(() -> n, (remaining, sink) -> {
			if (remaining == 0) {
				sink.complete();
				return 0L;
			}
			int size = (int) Math.min(CHUNK_SIZE, remaining);
			sink.next(buffers.wrap(ByteBuffer.wrap(CHUNK, 0, size).asReadOnlyBuffer()));
			return remaining - size;
		});
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.contentLength(n)
			.body(body);
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

	private static byte[] chunk() {
		byte[] pattern = "async-http demo bytes\n".getBytes(StandardCharsets.US_ASCII);
		byte[] chunk = new byte[CHUNK_SIZE];
		for (int i = 0; i < chunk.length; i++) {
			chunk[i] = pattern[i % pattern.length];
		}
		return chunk;
	}

	/**
	 * The body of {@code /demo/delay/{ms}}; the crawler decodes it with the same type.
	 *
	 * @param delayMs how long the answer was delayed
	 * @param id the request's id
	 */
	record DelayReply(long delayMs, String id) {

	}

}
