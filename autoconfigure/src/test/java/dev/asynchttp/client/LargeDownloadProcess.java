package dev.asynchttp.client;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.TestBytes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.internal.PlatformDependent;

import org.springframework.http.HttpMethod;

/**
 * The body of {@link LargeDownloadTests}, run in a JVM of its own with a small heap: serves
 * a large deterministic body from a local Reactor Netty server, downloads it to a file
 * through an {@link AsyncApiClient}, checks the file's size and CRC32, and prints one line
 * {@code RESULT key=value ...} with throughput and the memory it took.
 */
public final class LargeDownloadProcess {

	private LargeDownloadProcess() {
	}

	/**
	 * Run one download.
	 * @param args the body size in bytes and the target file
	 */
	public static void main(String[] args) throws Exception {
		long size = Long.parseLong(args[0]);
		Path target = Path.of(args[1]);
		MemorySampler memory = new MemorySampler();
		memory.start();
		AtomicLong generated = new AtomicLong();
		try (ReactorTestServer server = ReactorTestServer.start((request, response) -> response
			.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(size))
			.send(TestBytes.body(response.alloc(), size, generated)));
				AsyncApiClients clients = new AsyncApiClients(Map.of("large", AsyncApiClientSettings.empty()),
						AsyncApiClientFactory.standalone(), Duration.ofSeconds(1))) {
			AsyncApiClient client = clients.get("large");
			long start = System.nanoTime();
			// The client's total deadline (60 s by default) covers a whole download; a large
			// one gets its own.
			Long written = client.request(HttpMethod.GET, server.url("/large"))
				.timeout(Duration.ofMinutes(2))
				.download(target)
				.block(Duration.ofMinutes(2));
			long nanos = System.nanoTime() - start;
			memory.stopSampling();
			long fileSize = Files.size(target);
			boolean checksumMatches = TestBytes.crc32(target) == TestBytes.crc32(size);
			double seconds = nanos / 1e9;
			System.out.println(String.format(Locale.ROOT,
					"RESULT bytes=%d fileSize=%d checksumMatches=%b seconds=%.2f mibPerSecond=%.1f"
							+ " maxHeapUsedMib=%.1f heapPoolPeaksMib=%.1f heapMaxMib=%.1f maxDirectUsedMib=%.1f"
							+ " maxNettyDirectUsedMib=%.1f inFlight=%d",
					written, fileSize, checksumMatches, seconds, size / 1048576.0 / seconds,
					mib(memory.maxHeapUsed.get()), mib(heapPoolPeaks()),
					mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()),
					mib(memory.maxDirectUsed.get()), mib(memory.maxNettyDirectUsed.get()), clients.inFlight("large")));
		}
	}

	private static double mib(long bytes) {
		return bytes / 1048576.0;
	}

	/**
	 * Sum of the peaks of every heap pool: an upper bound of the heap ever used at once.
	 */
	private static long heapPoolPeaks() {
		return ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.mapToLong((pool) -> pool.getPeakUsage().getUsed())
			.sum();
	}

	/**
	 * Samples used heap, JDK direct buffers and Netty's own direct memory every few
	 * milliseconds and keeps the highest values.
	 */
	private static final class MemorySampler extends Thread {

		private final AtomicLong maxHeapUsed = new AtomicLong();

		private final AtomicLong maxDirectUsed = new AtomicLong();

		private final AtomicLong maxNettyDirectUsed = new AtomicLong();

		private volatile boolean running = true;

		MemorySampler() {
			super("memory-sampler");
			setDaemon(true);
		}

		@Override
		public void run() {
			BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
				.stream()
				.filter((pool) -> pool.getName().equals("direct"))
				.findFirst()
				.orElseThrow();
			while (this.running) {
				this.maxHeapUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
						Math::max);
				this.maxDirectUsed.accumulateAndGet(direct.getMemoryUsed(), Math::max);
				this.maxNettyDirectUsed.accumulateAndGet(PlatformDependent.usedDirectMemory(), Math::max);
				try {
					TimeUnit.MILLISECONDS.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void stopSampling() {
			this.running = false;
		}

	}

}
