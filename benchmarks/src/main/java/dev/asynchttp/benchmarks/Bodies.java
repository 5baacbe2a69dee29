package dev.asynchttp.benchmarks;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Counting streamed bodies without holding them.
 *
 * @author async-http
 * @since 0.1.0
 */
final class Bodies {

	private Bodies() {
	}

	/**
	 * Count and release every buffer of a body.
	 * @param body the body's buffers
	 * @return the number of bytes
	 */
	static Mono<Long> countAndRelease(Flux<DataBuffer> body) {
		return body.map((buffer) -> {
			try {
				return (long) buffer.readableByteCount();
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).reduce(0L, Long::sum);
	}

	/**
	 * The length of a body read into memory; an empty body is 0.
	 * @param body the body
	 * @return its length
	 */
	static Mono<Long> length(Mono<byte[]> body) {
		return body.map((bytes) -> (long) bytes.length).defaultIfEmpty(0L);
	}

}
