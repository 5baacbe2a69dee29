package dev.asynchttp.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import reactor.core.publisher.Flux;

/**
 * Deterministic bodies of any size, generated chunk by chunk on demand: a fixed
 * pseudo-random 64 KiB pattern whose first 8 bytes are replaced by the chunk's index, so
 * that a lost, repeated or reordered chunk changes the checksum. The expected CRC32 of a
 * body is computed the same way, without ever holding the body.
 */
public final class TestBytes {

	public static final int CHUNK_SIZE = 64 * 1024;

	private static final byte[] PATTERN = pattern();

	private TestBytes() {
	}

	/**
	 * A body of {@code size} bytes, each chunk made only when it is requested.
	 * @param allocator allocates the chunks
	 * @param size the body size
	 * @param generated counts the bytes generated so far
	 * @return the body
	 */
	public static Flux<ByteBuf> body(ByteBufAllocator allocator, long size, AtomicLong generated) {
		return Flux.generate(() -> 0L, (offset, sink) -> {
			if (offset >= size) {
				sink.complete();
				return offset;
			}
			int length = (int) Math.min(CHUNK_SIZE, size - offset);
			ByteBuf chunk = allocator.buffer(length);
			chunk.writeBytes(PATTERN, 0, length);
			if (length >= Long.BYTES) {
				chunk.setLong(0, offset / CHUNK_SIZE);
			}
			generated.addAndGet(length);
			sink.next(chunk);
			return offset + length;
		});
	}

	/**
	 * The CRC32 of the body of {@link #body} with this size.
	 * @param size the body size
	 * @return the expected checksum
	 */
	public static long crc32(long size) {
		CRC32 crc = new CRC32();
		byte[] chunk = PATTERN.clone();
		ByteBuffer stamp = ByteBuffer.wrap(chunk);
		for (long offset = 0; offset < size; offset += CHUNK_SIZE) {
			int length = (int) Math.min(CHUNK_SIZE, size - offset);
			if (length >= Long.BYTES) {
				stamp.putLong(0, offset / CHUNK_SIZE);
			}
			else {
				System.arraycopy(PATTERN, 0, chunk, 0, Long.BYTES);
			}
			crc.update(chunk, 0, length);
		}
		return crc.getValue();
	}

	/**
	 * The CRC32 of a file, read in 1 MiB steps.
	 * @param file the file
	 * @return its checksum
	 */
	public static long crc32(Path file) throws IOException {
		CRC32 crc = new CRC32();
		ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			while (channel.read(buffer) != -1) {
				buffer.flip();
				crc.update(buffer);
				buffer.clear();
			}
		}
		return crc.getValue();
	}

	private static byte[] pattern() {
		byte[] pattern = new byte[CHUNK_SIZE];
		new Random(20260101L).nextBytes(pattern);
		return pattern;
	}

}
