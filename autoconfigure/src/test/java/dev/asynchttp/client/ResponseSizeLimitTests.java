package dev.asynchttp.client;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.asynchttp.client.AsyncHttpResponseTooLargeException.Limit;
import dev.asynchttp.testsupport.GzipBomb;
import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.TestBytes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-response-size} and {@link AsyncApiRequest#maxResponseSize(DataSize)} against a
 * real local server, with gzip bombs made on the fly: 1 GiB of inflated body in about 1 MiB
 * on the wire, inflated transparently by the client.
 */
@Timeout(120)
class ResponseSizeLimitTests {

	private static final long MIB = 1024 * 1024;

	/** A bomb of 1 GiB, inflated. */
	private static final int BOMB_MIB = 1024;

	private static final GzipBomb ZEROS = GzipBomb.zeros();

	private static final GzipBomb NDJSON = GzipBomb.ndjson();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	@TempDir
	Path directory;

	private ReactorTestServer server;

	private AsyncApiClients clients;

	/** Inflated bytes of the bomb chunks the server has handed to its connection. */
	private final AtomicLong inflatedSent = new AtomicLong();

	/** Bytes of {@code /bytes/{n}} bodies the server has generated. */
	private final AtomicLong generated = new AtomicLong();

	/** Body bytes that came out of the client's decompressor (or codec, when not gzipped). */
	private final AtomicLong inflatedReceived = new AtomicLong();

	/** Connections the client opened. */
	private final AtomicInteger connects = new AtomicInteger();

	/** Connections the client handed back to its pool. */
	private final AtomicInteger released = new AtomicInteger();

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.start(this::serve);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void downloadOfAGzipBombEndsWithTheTypedErrorPastTheLimitDeletesThePartialFileAndKeepsMemoryFlat()
			throws IOException {
		AsyncApiClient client = client(DataSize.ofMegabytes(4));
		Path target = this.directory.resolve("bomb.bin");

		Throwable failure;
		long heapGrowth;
		try (HeapPeak heap = new HeapPeak()) {
			failure = failureOf(client.download(this.server.url("/bomb/{mib}"), target, BOMB_MIB));
			heapGrowth = heap.growth();
		}

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpResponseTooLargeException.class, (ex) -> {
			assertThat(ex.getLimit()).isEqualTo(Limit.MAX_RESPONSE_SIZE);
			assertThat(ex.getMaxSize()).isEqualTo(DataSize.ofMegabytes(4));
			assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		})
			.hasMessageContaining("response body is larger than max-response-size (4194304 bytes)")
			.hasMessageContaining("async-http.clients." + NAME + ".max-response-size")
			.hasMessageContaining("request(...).maxResponseSize(DataSize)");
		// Deleted before the error reached the caller, not some time later.
		assertThat(files()).as("files left").isEmpty();
		awaitServerSawTheClose();
		System.out.printf("gzip bomb of %d MiB, download capped at 4 MiB: %d KiB inflated by the client, used heap"
				+ " grew by at most %d MiB, server handed %d MiB (inflated) to its socket%n", BOMB_MIB,
				this.inflatedReceived.get() / 1024, heapGrowth / MIB, this.inflatedSent.get() / MIB);
		// Netty inflates what one socket read brought in before the cancel closes the
		// connection: tens of MiB at gzip's best ratio, released unread, but not 1 GiB.
		assertThat(this.inflatedReceived.get()).as("bytes the client inflated")
			.isGreaterThan(4 * MIB)
			.isLessThan(4 * MIB + 128 * MIB);
		assertThat(heapGrowth).as("growth of the used heap during the download").isLessThan(256 * MIB);
	}

	@Test
	void streamAndBodyToFluxOfAGzipBombEndWithTheTypedErrorPastTheLimit() {
		AsyncApiClient client = client(DataSize.ofMegabytes(1));
		AtomicLong streamed = new AtomicLong();
		AtomicLong elements = new AtomicLong();

		Throwable streamFailure = failureOf(client.stream(this.server.url("/bomb/{mib}"), BOMB_MIB)
			.doOnNext((buffer) -> {
				streamed.addAndGet(buffer.readableByteCount());
				DataBufferUtils.release(buffer);
			})
			.then());
		awaitServerSawTheClose();
		Throwable bodyToFluxFailure = failureOf(client.request(HttpMethod.GET, this.server.url("/ndjson/{mib}"), BOMB_MIB)
			.accept(MediaType.APPLICATION_NDJSON)
			.bodyToFlux(JSON_OBJECT)
			.doOnNext((element) -> elements.incrementAndGet())
			.then());
		awaitServerSawTheClose();

		assertThat(List.of(streamFailure, bodyToFluxFailure)).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpResponseTooLargeException.class,
					(ex) -> assertThat(ex.getLimit()).isEqualTo(Limit.MAX_RESPONSE_SIZE))
			.hasMessageContaining("max-response-size (1048576 bytes)"));
		assertThat(streamed.get()).as("bytes streamed").isGreaterThan(MIB / 2).isLessThanOrEqualTo(MIB);
		// 8 bytes per element.
		assertThat(elements.get()).as("elements decoded").isPositive().isLessThanOrEqualTo(MIB / 8);
		assertThat(this.inflatedReceived.get()).as("bytes the client inflated, both calls")
			.isLessThan(2 * MIB + 2 * 128 * MIB);
	}

	@Test
	void aCallOverTheLimitClosesItsConnectionInsteadOfPoolingIt() {
		AsyncApiClient client = client(DataSize.ofMegabytes(1));
		String bytes = this.server.url("/bytes/{n}");
		for (int i = 1; i <= 2; i++) {
			assertThat(client.streamMapped(bytes, DataBuffer::readableByteCount, 1000).reduce(0, Integer::sum)
				.block(BLOCK)).isEqualTo(1000);
			int releases = i;
			await().atMost(BLOCK).until(() -> this.released.get() == releases);
		}
		assertThat(this.connects.get()).as("connections opened by two streams in a row").isEqualTo(1);

		Throwable failure = failureOf(client.streamMapped(this.server.url("/bomb/{mib}"),
				DataBuffer::readableByteCount, BOMB_MIB).then());

		assertThat(failure).isInstanceOf(AsyncHttpResponseTooLargeException.class);
		awaitServerSawTheClose();
		assertThat(client.get(bytes, byte[].class, 1000).block(BLOCK)).hasSize(1000);
		assertThat(this.connects.get()).as("connections opened, with the call after the failed one").isEqualTo(2);
	}

	@Test
	void aContentLengthAboveTheLimitFailsTheCallBeforeTheBodyIsRead() throws IOException {
		AsyncApiClient client = client(DataSize.ofMegabytes(1));
		String bytes = this.server.url("/bytes/{n}");
		long size = 256 * MIB;
		AtomicInteger delivered = new AtomicInteger();

		List<Throwable> failures = List.of(
				failureOf(client.stream(bytes, size).doOnNext((buffer) -> {
					delivered.incrementAndGet();
					DataBufferUtils.release(buffer);
				}).then()),
				failureOf(client.request(HttpMethod.GET, bytes, size).bodyToFlux(byte[].class)
					.doOnNext((chunk) -> delivered.incrementAndGet())
					.then()),
				failureOf(client.download(bytes, this.directory.resolve("large.bin"), size)));

		assertThat(failures).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpResponseTooLargeException.class,
					(ex) -> assertThat(ex.getLimit()).isEqualTo(Limit.MAX_RESPONSE_SIZE))
			.hasMessageContaining("response Content-Length (268435456 bytes) is larger than max-response-size"
					+ " (1048576 bytes)"));
		assertThat(delivered.get()).as("chunks delivered").isZero();
		assertThat(files()).as("files left").isEmpty();
		awaitServerSawTheClose();
		// What the server wrote before it saw the close sat in socket buffers, unread.
		assertThat(this.generated.get()).as("bytes the server generated for three calls").isLessThan(size);
		assertThat(this.inflatedReceived.get()).as("body bytes the client decoded").isLessThan(size / 8);
	}

	@Test
	void aRequestsOwnLimitOverridesTheClientsEitherWay() {
		AsyncApiClient client = client(DataSize.ofMegabytes(1));
		String bytes = this.server.url("/bytes/{n}");

		Long raised = client.request(HttpMethod.GET, bytes, 4 * MIB)
			.maxResponseSize(DataSize.ofMegabytes(8))
			.streamMapped((buffer) -> (long) buffer.readableByteCount())
			.reduce(0L, Long::sum)
			.block(BLOCK);
		Long raisedDownload = client.request(HttpMethod.GET, this.server.url("/bomb/{mib}"), 4)
			.maxResponseSize(DataSize.ofMegabytes(8))
			.download(this.directory.resolve("raised.bin"))
			.block(BLOCK);
		Throwable lowered = failureOf(client.request(HttpMethod.GET, bytes, 512 * 1024)
			.maxResponseSize(DataSize.ofKilobytes(256))
			.bodyToFlux(byte[].class)
			.then());

		assertThat(raised).isEqualTo(4 * MIB);
		assertThat(raisedDownload).isEqualTo(4 * MIB);
		assertThat(lowered).isInstanceOfSatisfying(AsyncHttpResponseTooLargeException.class, (ex) -> {
			assertThat(ex.getLimit()).isEqualTo(Limit.REQUEST_MAX_RESPONSE_SIZE);
			assertThat(ex.getMaxSize()).isEqualTo(DataSize.ofKilobytes(256));
		})
			.hasMessageContaining("is larger than this call's maxResponseSize (262144 bytes)")
			.hasMessageContaining("request(...).maxResponseSize(DataSize)")
			.hasMessageContaining("async-http.clients." + NAME + ".max-response-size");
	}

	@Test
	void aBodyOfExactlyTheLimitPassesAndTheLimitCountsInflatedBytes() throws IOException {
		AsyncApiClient client = client(DataSize.ofMegabytes(4));
		String bomb = this.server.url("/bomb/{mib}");

		Long downloaded = client.download(bomb, this.directory.resolve("four.bin"), 4).block(BLOCK);
		Long streamed = client.streamMapped(this.server.url("/bytes/{n}"), (buffer) -> (long) buffer.readableByteCount(),
				4 * MIB)
			.reduce(0L, Long::sum)
			.block(BLOCK);
		Throwable over = failureOf(client.download(bomb, this.directory.resolve("five.bin"), 5));

		assertThat(downloaded).isEqualTo(4 * MIB);
		assertThat(Files.size(this.directory.resolve("four.bin"))).isEqualTo(4 * MIB);
		assertThat(streamed).isEqualTo(4 * MIB);
		// Five MiB inflated, about 5 KiB on the wire.
		assertThat(ZEROS.compressedSize(5)).isLessThan(16 * 1024);
		assertThat(over).isInstanceOf(AsyncHttpResponseTooLargeException.class);
		assertThat(files()).containsExactly("four.bin");
	}

	@Test
	void bodiesDecodedInMemoryAreBoundedByMaxInMemorySizeOnly() {
		AsyncApiClient client = client(DataSize.ofKilobytes(1));

		assertThat(client.get(this.server.url("/bytes/{n}"), byte[].class, 100_000).block(BLOCK)).hasSize(100_000);
	}

	@Test
	void aRequestLimitThatIsNotPositiveFailsTheCallUnsent() {
		AsyncApiClient client = client(DataSize.ofMegabytes(1));

		Throwable failure = failureOf(client.request(HttpMethod.GET, this.server.url("/bytes/{n}"), 10)
			.maxResponseSize(DataSize.ofBytes(0))
			.stream()
			.then());

		assertThat(failure).isInstanceOfSatisfying(AsyncHttpInvalidRequestException.class,
				(ex) -> assertThat(ex.isNotSent()).isTrue())
			.hasMessageContaining("maxResponseSize must be positive");
		assertThat(this.server.requests()).isZero();
	}

	@Test
	void theLibraryDefaultIsOneGigabyte() {
		AsyncApiClient client = client(null);

		assertThat(client.settings().maxResponseSize()).isEqualTo(DataSize.ofGigabytes(1));
	}

	/**
	 * A client with this {@code max-response-size} (the library default for {@code null})
	 * that counts its connections and the body bytes out of its decompressor.
	 */
	private AsyncApiClient client(DataSize maxResponseSize) {
		// Added when the response head has arrived, between the decompressor and the reactive
		// bridge; Reactor Netty removes it again when the connection goes back to the pool.
		AsyncApiClientCustomizer countInflated = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.doOnResponse((response, connection) -> connection
					.addHandlerLast("bodyBytesCounter", new BodyBytesCounter(this.inflatedReceived))));
		// Once per new channel (doOnConnect and doOnConnected run for every request on it).
		AsyncApiClientCustomizer countConnections = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient
					.doOnChannelInit((observer, channel, address) -> this.connects.incrementAndGet()));
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (bundle) -> {
			throw new IllegalArgumentException(bundle);
		}, List.of(countInflated, countConnections, ClientTestSupport.countingReleases(this.released)));
		this.clients = new AsyncApiClients(
				Map.of(NAME, AsyncApiClientSettings.empty().withMaxResponseSize(maxResponseSize)), factory,
				Duration.ofSeconds(1));
		return this.clients.get(NAME);
	}

	private void awaitServerSawTheClose() {
		await().atMost(BLOCK)
			.untilAsserted(() -> assertThat(this.server.openConnections().current()).as("connections open on the server")
				.isZero());
	}

	private List<String> files() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * {@code /bomb/{mib}}: a gzip body of zeros inflating to that many MiB;
	 * {@code /ndjson/{mib}}: the same of NDJSON lines; {@code /bytes/{n}}: n bytes with a
	 * Content-Length.
	 */
	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		String[] path = request.uri().split("/");
		long n = Long.parseLong(path[2]);
		return switch (path[1]) {
			case "bomb" -> response.header(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP)
				.header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
				.send(ZEROS.body(n, this.inflatedSent), (buffer) -> true);
			case "ndjson" -> response.header(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP)
				.header(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
				.send(NDJSON.body(n, this.inflatedSent), (buffer) -> true);
			default -> response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(n))
				.send(TestBytes.body(response.alloc(), n, this.generated));
		};
	}

	/**
	 * Counts the bytes of the HTTP body parts that reach the end of the client's pipeline:
	 * what the decompressor put out.
	 */
	private static final class BodyBytesCounter extends ChannelInboundHandlerAdapter {

		private final AtomicLong counter;

		BodyBytesCounter(AtomicLong counter) {
			this.counter = counter;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof HttpContent content) {
				this.counter.addAndGet(content.content().readableBytes());
			}
			super.channelRead(ctx, msg);
		}

	}

	/**
	 * The highest used heap seen, sampled every few milliseconds from a garbage-collected
	 * start.
	 */
	private static final class HeapPeak implements AutoCloseable {

		private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

		private final long baseline;

		private final AtomicLong peak = new AtomicLong();

		private final Thread sampler;

		private volatile boolean running = true;

		HeapPeak() {
			System.gc();
			this.baseline = used();
			this.peak.set(this.baseline);
			this.sampler = new Thread(() -> {
				while (this.running) {
					this.peak.accumulateAndGet(used(), Math::max);
					try {
						Thread.sleep(2);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}, "heap-peak");
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		long growth() {
			return this.peak.accumulateAndGet(used(), Math::max) - this.baseline;
		}

		private long used() {
			return this.memory.getHeapMemoryUsage().getUsed();
		}

		@Override
		public void close() {
			this.running = false;
			try {
				this.sampler.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
