package dev.asynchttp.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * A gzip body that inflates to a given number of MiB of one repeated line, made on the fly
 * at about 1 KiB per inflated MiB (a 1 GiB bomb is about 1 MiB on the wire), without ever
 * compressing the whole thing. One MiB of the repeated content is compressed twice: once
 * from scratch, for the start, and once with the end of that MiB as preset dictionary, for
 * the rest. Both are flushed to a byte boundary, and the second only refers back into a
 * window that always holds the same bytes, so it can follow itself any number of times.
 */
public final class GzipBomb {

	public static final int MIB = 1024 * 1024;

	private static final byte[] HEADER = { 0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	/**
	 * An empty final block with fixed Huffman codes: ends the deflate stream.
	 */
	private static final byte[] LAST_BLOCK = { 0x03, 0x00 };

	private static final int WINDOW = 32 * 1024;

	private final byte[] block;

	private final byte[] first;

	private final byte[] next;

	private GzipBomb(byte[] line) {
		if (MIB % line.length != 0 || WINDOW % line.length != 0) {
			throw new IllegalArgumentException("line length must divide 32 KiB");
		}
		this.block = new byte[MIB];
		for (int i = 0; i < MIB; i += line.length) {
			System.arraycopy(line, 0, this.block, i, line.length);
		}
		this.first = deflate(this.block, null);
		this.next = deflate(this.block, Arrays.copyOfRange(this.block, MIB - WINDOW, MIB));
	}

	/**
	 * A bomb of zero bytes.
	 */
	public static GzipBomb zeros() {
		return new GzipBomb(new byte[1]);
	}

	/**
	 * A bomb of one NDJSON line, 8 bytes long, repeated.
	 */
	public static GzipBomb ndjson() {
		return new GzipBomb("{\"v\":0}\n".getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * The compressed body, one chunk per inflated MiB, made as it is requested.
	 * @param mib inflated size in MiB, at least 1
	 * @param inflatedSent counts the inflated bytes of the chunks handed out
	 * @return the gzip body
	 */
	public Flux<ByteBuf> body(long mib, AtomicLong inflatedSent) {
		Flux<ByteBuf> blocks = Flux.range(0, Math.toIntExact(mib)).map((i) -> {
			inflatedSent.addAndGet(MIB);
			return (i == 0) ? Unpooled.wrappedBuffer(HEADER, this.first) : Unpooled.wrappedBuffer(this.next);
		});
		return blocks.concatWith(Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(LAST_BLOCK, trailer(mib)))));
	}

	/**
	 * Size of the compressed body.
	 */
	public long compressedSize(long mib) {
		return HEADER.length + this.first.length + (mib - 1) * this.next.length + LAST_BLOCK.length + 8;
	}

	private byte[] trailer(long mib) {
		CRC32 crc = new CRC32();
		for (long i = 0; i < mib; i++) {
			crc.update(this.block);
		}
		long size = (mib * MIB) & 0xffffffffL;
		byte[] trailer = new byte[8];
		for (int i = 0; i < 4; i++) {
			trailer[i] = (byte) (crc.getValue() >>> (8 * i));
			trailer[4 + i] = (byte) (size >>> (8 * i));
		}
		return trailer;
	}

	private static byte[] deflate(byte[] input, byte @Nullable [] dictionary) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			if (dictionary != null) {
				deflater.setDictionary(dictionary);
			}
			deflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int written;
			while ((written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
				out.write(buffer, 0, written);
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

}
