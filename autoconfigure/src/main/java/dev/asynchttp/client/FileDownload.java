package dev.asynchttp.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ResponseEntity;

/**
 * The file-download engine behind {@link AsyncApiRequest#download}: the body goes to a
 * temporary file next to the target, written with back-pressure in large blocks, and
 * becomes the target in one atomic rename once every byte is there.
 */
final class FileDownload {

	/**
	 * Size of one file write of a download: large enough to make the cost per write
	 * negligible, small enough not to be a humongous object for G1 even in a small heap.
	 */
	private static final int WRITE_SIZE = 256 * 1024;

	private FileDownload() {
	}

	/**
	 * Download one response body to {@code target}. A failed or cancelled download never
	 * leaves a file under the target's name, nor a temporary file.
	 * @param directory the target's directory
	 * @param target the absolute target path
	 * @param context the call, for error messages
	 * @param response subscribes to the response, once per subscription
	 * @return the number of bytes written, once the file is in place
	 */
	static Flux<Long> to(Path directory, Path target, RequestContext context,
			Supplier<Mono<ResponseEntity<Flux<DataBuffer>>>> response) {
		return Flux.usingWhen(createTemporaryFile(directory, target),
				(temporary) -> response.get().flatMap((entity) -> write(entity, temporary, target, context)),
				FileDownload::deleteIfExists, (temporary, ex) -> deleteIfExists(temporary),
				FileDownload::deleteIfExists);
	}

	private static Mono<Path> createTemporaryFile(Path directory, Path target) {
		// Created like any other file (umask permissions, unlike Files.createTempFile), so
		// that the downloaded file looks like one written in place.
		return Mono
			.fromCallable(() -> Files
				.createFile(directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".part")))
			.subscribeOn(Schedulers.boundedElastic());
	}

	private static Mono<Long> write(ResponseEntity<Flux<DataBuffer>> entity, Path temporary, Path target,
			RequestContext context) {
		long expected = entity.getHeaders().getContentLength();
		AtomicLong received = new AtomicLong();
		Flux<DataBuffer> body = coalesce(Objects.requireNonNull(entity.getBody())
			.doOnNext((buffer) -> received.addAndGet(buffer.readableByteCount())));
		// DataBufferUtils.write asks for the next buffer only once the previous one is on
		// disk, so a slow disk slows the socket down instead of filling memory. The channel
		// is ours (not write(Publisher, Path)'s) so that cancelling also cancels the body.
		return Flux
			.using(() -> AsynchronousFileChannel.open(temporary, StandardOpenOption.WRITE),
					(channel) -> DataBufferUtils.write(body, channel), FileDownload::closeQuietly)
			.doOnNext(DataBufferUtils::release)
			.then(Mono.fromCallable(() -> complete(temporary, target, expected, received.get(), context))
				.subscribeOn(Schedulers.boundedElastic()));
	}

	/**
	 * Copy the body into heap buffers of {@value #WRITE_SIZE} bytes. Reactor Netty hands a
	 * body over in chunks of 8 KiB and every file write costs two thread hand-offs, so
	 * writing chunk by chunk was four times slower than the network. Each network buffer is
	 * released as soon as it is copied: no pooled buffer ever waits in an operator that
	 * could drop it on cancel, so none needs a discard hook, and none can be released twice
	 * by hooks that callers further down may have set. A dropped heap buffer is just garbage.
	 */
	private static Flux<DataBuffer> coalesce(Flux<DataBuffer> body) {
		return Flux.defer(() -> {
			WriteBuffers buffers = new WriteBuffers();
			return body.<DataBuffer>handle((buffer, sink) -> {
				try {
					DataBuffer full = buffers.add(buffer);
					if (full != null) {
						sink.next(full);
					}
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			}).concatWith(Mono.fromSupplier(buffers::rest));
		});
	}

	private static Long complete(Path temporary, Path target, long expected, long received, RequestContext context)
			throws IOException {
		if (expected >= 0 && received != expected) {
			// Reactor Netty reports a connection closed early itself; this catches whatever
			// else could end a body short of its Content-Length.
			throw new AsyncHttpConnectException(
					"response body ended after " + received + " of " + expected + " bytes (Content-Length)", context,
					RequestState.OUTCOME_UNKNOWN, new EOFException());
		}
		try {
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return received;
	}

	private static Mono<Void> deleteIfExists(Path file) {
		return Mono.fromCallable(() -> Files.deleteIfExists(file))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(IOException.class, (ex) -> Mono.just(false))
			.then();
	}

	private static void closeQuietly(AsynchronousFileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Nothing left to do: the download has ended either way.
		}
	}

	/**
	 * The heap buffer a download is filling, handed out for writing once full.
	 */
	private static final class WriteBuffers {

		private @Nullable DataBuffer current;

		/**
		 * Copy a network buffer in.
		 * @return the buffer that was full before it, if any, to be written
		 */
		@Nullable DataBuffer add(DataBuffer buffer) {
			int size = buffer.readableByteCount();
			DataBuffer full = null;
			if (this.current != null && this.current.readableByteCount() + size > WRITE_SIZE) {
				full = this.current;
				this.current = null;
			}
			if (this.current == null) {
				this.current = DefaultDataBufferFactory.sharedInstance.allocateBuffer(Math.max(WRITE_SIZE, size));
			}
			this.current.write(buffer);
			return full;
		}

		/**
		 * The last, partly filled buffer, if any.
		 */
		@Nullable DataBuffer rest() {
			DataBuffer rest = this.current;
			this.current = null;
			return rest;
		}

	}

}
