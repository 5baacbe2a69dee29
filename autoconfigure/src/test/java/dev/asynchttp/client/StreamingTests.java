package dev.asynchttp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import dev.asynchttp.testsupport.ReactorTestServer;
import dev.asynchttp.testsupport.TestBytes;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.PooledDataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static dev.asynchttp.client.ClientTestSupport.BLOCK;
import static dev.asynchttp.client.ClientTestSupport.NAME;
import static dev.asynchttp.client.ClientTestSupport.failureOf;
import static dev.asynchttp.client.ClientTestSupport.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AsyncApiClient#stream}, {@link AsyncApiClient#streamMapped},
 * {@link AsyncApiClient#download} and {@code max-in-memory-size} against real local
 * servers: back-pressure down to the socket, truncated bodies, cancellation, deadlines.
 */
@Timeout(60)
class StreamingTests {

	private static final long MIB = 1024 * 1024;

	@TempDir
	Path directory;

	private ReactorTestServer server;

	private AsyncApiClients clients;

	/** Body bytes the server has generated, over all requests. */
	private final AtomicLong generated = new AtomicLong();

	/** Bytes the client has read from its sockets, over all connections. */
	private final AtomicLong readFromSockets = new AtomicLong();

	private final List<ConnectionPoolMetrics> pools = new CopyOnWriteArrayList<>();

	private final TrackingAllocator allocator = new TrackingAllocator();

	@BeforeEach
	void startServer() {
		this.server = ReactorTestServer.start(this::serve);
	}

	@AfterEach
	void closeEverything() {
		ClientTestSupport.closeAfterTest(this.clients, this.server);
	}

	@Test
	void streamDeliversTheBodyChunkByChunkWithoutAggregatingIt() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		long size = 8 * MIB + 123;
		CRC32 crc = new CRC32();
		AtomicInteger buffers = new AtomicInteger();
		AtomicInteger largestBuffer = new AtomicInteger();

		Long received = client.stream(this.server.url("/bytes/{n}"), size).map((buffer) -> {
			// The caller's duty with stream(): use the buffer, then release it.
			try {
				buffers.incrementAndGet();
				largestBuffer.accumulateAndGet(buffer.readableByteCount(), Math::max);
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				crc.update(bytes);
				return (long) bytes.length;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).reduce(0L, Long::sum).block(BLOCK);

		assertThat(received).isEqualTo(size);
		assertThat(crc.getValue()).isEqualTo(TestBytes.crc32(size));
		assertThat(buffers.get()).as("buffers delivered").isGreaterThan(100);
		assertThat(largestBuffer.get()).as("largest buffer").isLessThanOrEqualTo((int) MIB);
	}

	@Test
	void aStreamedBodyComesInPiecesAsLargeAsTheSocketReadsNotInNettysEightKibChunks() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		long size = 16 * MIB;
		AtomicInteger buffers = new AtomicInteger();
		AtomicInteger largestBuffer = new AtomicInteger();

		Long received = client.streamMapped(this.server.url("/bytes/{n}"), (buffer) -> {
			buffers.incrementAndGet();
			largestBuffer.accumulateAndGet(buffer.readableByteCount(), Math::max);
			return (long) buffer.readableByteCount();
		}, size).reduce(0L, Long::sum).block(BLOCK);

		assertThat(received).isEqualTo(size);
		assertThat(largestBuffer.get()).as("largest buffer")
			.isGreaterThan(8 * 1024)
			.isLessThanOrEqualTo(AsyncApiClientFactory.MAX_BODY_CHUNK_SIZE);
		assertThat(buffers.get()).as("buffers delivered").isLessThan((int) (size / (8 * 1024)));
	}

	@Test
	void streamMappedReleasesTheCallersReferenceToEveryBufferAsSoonAsTheMapperReturns() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		long size = 4 * MIB + 7;
		AtomicReference<ByteBuf> lastMapped = new AtomicReference<>();
		AtomicInteger referencesWhenMapped = new AtomicInteger();
		AtomicInteger notReleased = new AtomicInteger();
		AtomicInteger checked = new AtomicInteger();

		Long received = client.streamMapped(this.server.url("/bytes/{n}"), (buffer) -> {
			ByteBuf nativeBuffer = ((NettyDataBuffer) buffer).getNativeBuffer();
			lastMapped.set(nativeBuffer);
			referencesWhenMapped.set(nativeBuffer.refCnt());
			return (long) buffer.readableByteCount();
		}, size).doOnNext((count) -> {
			// Runs right after the mapper returned, before Reactor Netty drops its own
			// reference (and before Netty could reuse the buffer).
			if (lastMapped.get().refCnt() != referencesWhenMapped.get() - 1) {
				notReleased.incrementAndGet();
			}
			checked.incrementAndGet();
		}).reduce(0L, Long::sum).block(BLOCK);

		assertThat(received).isEqualTo(size);
		assertThat(checked.get()).isPositive();
		assertThat(notReleased.get()).as("buffers not released after mapping").isZero();
	}

	@Test
	void aSlowConsumerSlowsTheSocketDownInsteadOfBufferingTheBody() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		long size = 256 * MIB;
		SlowConsumer consumer = new SlowConsumer(Duration.ofMillis(10));

		client.stream(this.server.url("/bytes/{n}"), size).subscribe(consumer);
		await().atMost(BLOCK).until(() -> consumer.consumed.get() >= MIB);
		consumer.pause();
		long read = settled(this.readFromSockets);
		long generatedByServer = this.generated.get();
		long consumed = consumer.consumed.get();
		System.out.printf("slow consumer: consumed %,d bytes; client read %,d from its socket; server generated %,d"
				+ " of %,d%n", consumed, read, generatedByServer, size);

		assertThat(read - consumed).as("bytes read from the socket but not consumed").isLessThan(8 * MIB);
		assertThat(generatedByServer).as("bytes the server could push into the connection").isLessThan(64 * MIB);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.readFromSockets.get()).as("socket read while nobody asks")
				.isEqualTo(read));
		consumer.dispose();
	}

	@Test
	void aConsumerThatStopsAskingForLongerThanTheReadTimeoutEndsTheStreamWithAReadTimeout() {
		AsyncApiClient client = client(
				AsyncApiClientSettings.empty().withTimeouts(timeouts(null, Duration.ofMillis(300), null, null)));
		SlowConsumer consumer = new SlowConsumer(Duration.ofMillis(10));

		client.stream(this.server.url("/bytes/{n}"), 256 * MIB).subscribe(consumer);
		await().atMost(BLOCK).until(() -> consumer.consumed.get() > 0);
		consumer.pause();
		// Well past the read timeout without asking for more, then take what was queued.
		await().pollDelay(Duration.ofSeconds(1)).atMost(BLOCK).until(() -> true);
		consumer.drain();

		await().atMost(BLOCK).untilAsserted(() -> assertThat(consumer.failure.get())
			.isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
					(ex) -> assertThat(ex.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.READ)));
	}

	@Test
	void aTruncatedStreamFailsAfterItsPartialDataAndNeverCompletes() throws IOException {
		try (TruncatingServer truncating = new TruncatingServer()) {
			AsyncApiClient client = client(AsyncApiClientSettings.empty());
			AtomicLong received = new AtomicLong();

			List<Signal<Integer>> signals = client
				.streamMapped(truncating.url(), DataBuffer::readableByteCount)
				.doOnNext(received::addAndGet)
				.materialize()
				.filter((signal) -> !signal.isOnNext())
				.collectList()
				.block(BLOCK);

			assertThat(received.get()).as("bytes received").isEqualTo(500);
			assertThat(signals).singleElement().satisfies((signal) -> {
				assertThat(signal.isOnError()).as("ends with an error").isTrue();
				assertThat(signal.getThrowable()).isInstanceOfSatisfying(AsyncHttpConnectException.class,
						(ex) -> assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN))
					.hasCauseInstanceOf(PrematureCloseException.class);
			});
		}
	}

	@Test
	void aTruncatedDownloadFailsAndLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
		try (TruncatingServer truncating = new TruncatingServer()) {
			AsyncApiClient client = client(AsyncApiClientSettings.empty());
			Path target = this.directory.resolve("report.bin");
			Files.writeString(target, "yesterday's report");

			Throwable failure = failureOf(client.download(truncating.url(), target));

			assertThat(failure).isInstanceOf(AsyncHttpConnectException.class)
				.hasCauseInstanceOf(PrematureCloseException.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(files()).containsExactly("report.bin"));
			assertThat(target).hasContent("yesterday's report");
		}
	}

	@Test
	void downloadWritesTheWholeBodyAndReplacesTheTargetInOneStep() throws IOException {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		long size = 3 * MIB + 5;
		Path target = this.directory.resolve("data.bin");
		Files.writeString(target, "old");

		Long written = client.download(this.server.url("/bytes/{n}"), target, size).block(BLOCK);

		assertThat(written).isEqualTo(size);
		assertThat(target).hasSize(size);
		assertThat(TestBytes.crc32(target)).isEqualTo(TestBytes.crc32(size));
		assertThat(files()).containsExactly("data.bin");
	}

	@Test
	void aDownloadAnsweredWithAnErrorStatusFailsWithItAndLeavesNoFile() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		Path target = this.directory.resolve("missing.bin");

		Throwable failure = failureOf(client.download(this.server.url("/status/{code}"), target, 404));

		assertThat(failure).isInstanceOf(WebClientResponseException.NotFound.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(files()).isEmpty());
	}

	@Test
	void cancellingAStreamClosesItsConnectionAndGivesBackItsPermitAndPoolSlot() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		AtomicLong received = new AtomicLong();

		client.streamMapped(this.server.url("/bytes/{n}"), DataBuffer::readableByteCount, 256 * MIB)
			.doOnNext(received::addAndGet)
			.take(3)
			.blockLast(BLOCK);

		assertThat(received.get()).isPositive().isLessThan(256 * MIB);
		await().atMost(BLOCK).untilAsserted(() -> {
			assertThat(this.clients.inFlight(NAME)).as("permits held").isZero();
			assertThat(activeConnections()).as("connections the pool has handed out").isZero();
			assertThat(this.server.openConnections().current()).as("connections open on the server").isZero();
		});
		assertThat(this.pools).as("pools seen").isNotEmpty();
	}

	@Test
	void cancellingADownloadDeletesItsTemporaryFileAndGivesBackItsPermit() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		Path target = this.directory.resolve("slow.bin");

		Disposable download = client.download(this.server.url("/drip/{chunks}/{ms}"), target, 1000, 20).subscribe();
		await().atMost(BLOCK).until(() -> temporaryFileSize() > 2 * TestBytes.CHUNK_SIZE);
		download.dispose();

		await().atMost(BLOCK).untilAsserted(() -> {
			assertThat(files()).as("files left").isEmpty();
			assertThat(this.clients.inFlight(NAME)).as("permits held").isZero();
			assertThat(activeConnections()).as("connections the pool has handed out").isZero();
		});
	}

	@Test
	void cancellingADownloadReleasesEveryBufferItHeldExactlyOnce() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		// Less than one file write's worth, then nothing: the download holds these bytes.
		long sent = 100 * 1024;
		AtomicInteger pooledBuffersDropped = new AtomicInteger();

		Disposable download = client.download(this.server.url("/stall-after/{n}"), this.directory.resolve("x.bin"),
				sent)
			// Callers may release dropped buffers themselves (WebFlux does for response
			// bodies); a pooled buffer reaching such a hook would be released twice.
			.doOnDiscard(DataBuffer.class, (buffer) -> {
				if (buffer instanceof PooledDataBuffer) {
					pooledBuffersDropped.incrementAndGet();
				}
			})
			.subscribe();
		await().atMost(BLOCK).until(() -> this.readFromSockets.get() > sent);
		download.dispose();

		await().atMost(BLOCK).untilAsserted(() -> {
			assertThat(this.clients.inFlight(NAME)).as("permits held").isZero();
			assertThat(this.server.openConnections().current()).as("connections open on the server").isZero();
			assertThat(this.allocator.unreleased()).as("client buffers not released").isZero();
			assertThat(files()).as("files left").isEmpty();
		});
		assertThat(this.allocator.allocated()).as("client buffers allocated").isPositive();
		assertThat(pooledBuffersDropped.get()).as("pooled buffers dropped into the caller's discard hook").isZero();
	}

	@Test
	void aBodyOverMaxInMemorySizeFailsWithTheTypedErrorAndIsNotRetried() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty().withMaxInMemorySize(DataSize.ofKilobytes(64)));
		String bytes = this.server.url("/bytes/{n}");
		String json = this.server.url("/json/{n}");
		int size = 200_000;

		List<Throwable> failures = List.of(failureOf(client.get(bytes, String.class, size)),
				failureOf(client.get(bytes, byte[].class, size)),
				failureOf(client.get(json, new ParameterizedTypeReference<Map<String, Object>>() {
				}, size)), failureOf(client.request(HttpMethod.GET, bytes, size).toEntity(String.class)),
				client.fetchAll(Flux.just(FetchRequest.get(bytes, size)), String.class, FetchOptions.defaults())
					.single()
					.doOnNext((result) -> assertThat(result.status()).isEqualTo(HttpStatus.OK))
					.map(FetchResult::error)
					.block(BLOCK));

		assertThat(failures).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpResponseTooLargeException.class, (ex) -> {
				assertThat(ex.getLimit()).isEqualTo(AsyncHttpResponseTooLargeException.Limit.MAX_IN_MEMORY_SIZE);
				assertThat(ex.getMaxSize()).isEqualTo(DataSize.ofKilobytes(64));
				assertThat(ex.getRequestState()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
				assertThat(ex.getAttempts()).isEqualTo(1);
			})
			.hasMessageContaining("max-in-memory-size (65536 bytes)")
			.hasMessageContaining("async-http.clients." + NAME + ".max-in-memory-size"));
		assertThat(this.server.requests()).as("requests sent: none retried").isEqualTo(failures.size());
		// Streaming is not limited.
		assertThat(client.streamMapped(bytes, DataBuffer::readableByteCount, size).reduce(0, Integer::sum)
			.block(BLOCK)).isEqualTo(size);
	}

	@Test
	void streamsAndDownloadsAreBoundedByTheTotalDeadlineAndARequestTimeoutLiftsIt() {
		AsyncApiClient client = client(
				AsyncApiClientSettings.empty().withTimeouts(timeouts(null, null, null, Duration.ofMillis(500))));
		// 10 chunks, one every 100 ms: about a second.
		String drip = this.server.url("/drip/{chunks}/{ms}");
		AtomicLong received = new AtomicLong();

		Throwable streamFailure = failureOf(client.streamMapped(drip, DataBuffer::readableByteCount, 10, 100)
			.doOnNext(received::addAndGet)
			.then());
		Throwable downloadFailure = failureOf(client.download(drip, this.directory.resolve("cut.bin"), 10, 100));
		Long streamed = client.request(HttpMethod.GET, drip, 10, 100)
			.timeout(Duration.ofSeconds(15))
			.streamMapped((buffer) -> (long) buffer.readableByteCount())
			.reduce(0L, Long::sum)
			.block(BLOCK);
		Long downloaded = client.request(HttpMethod.GET, drip, 10, 100)
			.timeout(Duration.ofSeconds(15))
			.download(this.directory.resolve("whole.bin"))
			.block(BLOCK);

		assertThat(List.of(streamFailure, downloadFailure)).allSatisfy((failure) -> assertThat(failure)
			.isInstanceOfSatisfying(AsyncHttpTimeoutException.class,
					(ex) -> assertThat(ex.getKind()).isEqualTo(AsyncHttpTimeoutException.Kind.TOTAL)));
		assertThat(received.get()).as("bytes streamed before the deadline").isPositive().isLessThan(10L * 1024);
		assertThat(streamed).isEqualTo(10L * 1024);
		assertThat(downloaded).isEqualTo(10L * 1024);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(files()).containsExactly("whole.bin"));
	}

	@Test
	void streamsAndDownloadsAreNeverRetried() {
		AsyncApiClient client = client(AsyncApiClientSettings.empty());
		String unavailable = this.server.url("/status/{code}");

		Throwable streamFailure = failureOf(client.stream(unavailable, 503).then());
		Throwable downloadFailure = failureOf(client.download(unavailable, this.directory.resolve("x.bin"), 503));

		assertThat(List.of(streamFailure, downloadFailure)).allSatisfy(
				(failure) -> assertThat(failure).isInstanceOf(WebClientResponseException.ServiceUnavailable.class));
		assertThat(this.server.requests()).isEqualTo(2);
		// The same status on a plain GET is retried (three attempts by default).
		failureOf(client.get(unavailable, String.class, 503));
		assertThat(this.server.requests()).isEqualTo(5);
	}

	/**
	 * A client that counts the bytes it reads from its sockets, allocates its buffers from
	 * {@link #allocator}, and sees its connection pools' metrics.
	 */
	private AsyncApiClient client(AsyncApiClientSettings settings) {
		AsyncApiClientCustomizer countReads = AsyncApiClientCustomizer.forHttpClient(NAME,
				(httpClient) -> httpClient.option(ChannelOption.ALLOCATOR, this.allocator)
					.doOnChannelInit((observer, channel, address) -> channel.pipeline()
						.addFirst(new ReadCounter(this.readFromSockets))));
		List<ConnectionPoolMetrics> pools = this.pools;
		AsyncApiClientCustomizer poolMetrics = new AsyncApiClientCustomizer() {

			@Override
			public void customizeConnectionProvider(String clientName, ConnectionProvider.Builder builder) {
				builder.metrics(true, () -> (poolName, id, remoteAddress, metrics) -> pools.add(metrics));
			}

		};
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (bundle) -> {
			throw new IllegalArgumentException(bundle);
		}, List.of(countReads, poolMetrics));
		this.clients = new AsyncApiClients(Map.of(NAME, settings), factory, Duration.ofSeconds(1));
		return this.clients.get(NAME);
	}

	private int activeConnections() {
		return this.pools.stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
	}

	private List<String> files() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

	private long temporaryFileSize() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".part"))
				.mapToLong((file) -> file.toFile().length())
				.sum();
		}
	}

	/**
	 * The value of a counter once it has stopped moving.
	 */
	private static long settled(AtomicLong counter) {
		AtomicLong last = new AtomicLong(-1);
		await().atMost(BLOCK).pollInterval(Duration.ofMillis(200)).until(() -> {
			long now = counter.get();
			return now == last.getAndSet(now);
		});
		return last.get();
	}

	/**
	 * {@code /bytes/{n}}: n deterministic bytes with a Content-Length, made as they are
	 * requested. {@code /drip/{chunks}/{ms}}: chunks of 1 KiB (64 KiB above 100 chunks), one
	 * every ms milliseconds. {@code /stall-after/{n}}: n bytes of a longer body, then
	 * nothing. {@code /json/{n}}: a JSON object of about n bytes.
	 * {@code /status/{code}}: that status.
	 */
	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		String[] path = request.uri().split("/");
		long n = Long.parseLong(path[2]);
		return switch (path[1]) {
			case "bytes" -> response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(n))
				.send(TestBytes.body(response.alloc(), n, this.generated));
			case "drip" -> {
				int chunk = (n > 100) ? TestBytes.CHUNK_SIZE : 1024;
				yield response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(n * chunk))
					.send(Flux.interval(Duration.ofMillis(Long.parseLong(path[3])))
						.take(n)
						.map((i) -> response.alloc().buffer(chunk).writeZero(chunk)), (buffer) -> true);
			}
			case "stall-after" -> response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(10 * n))
				.send(TestBytes.body(response.alloc(), n, this.generated).concatWith(Flux.never()), (buffer) -> true);
			case "json" -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.sendString(Mono.just("{\"text\":\"" + "x".repeat((int) n) + "\"}"));
			default -> response.status(HttpResponseStatus.valueOf((int) n)).sendString(Mono.just("status " + n));
		};
	}

	/**
	 * Hands out unpooled buffers (never recycled, so a released one stays released) and
	 * remembers every one of them.
	 */
	private static final class TrackingAllocator extends AbstractByteBufAllocator {

		private final ByteBufAllocator unpooled = new UnpooledByteBufAllocator(true, true);

		private final List<ByteBuf> buffers = new CopyOnWriteArrayList<>();

		TrackingAllocator() {
			super(true);
		}

		@Override
		protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
			return track(this.unpooled.directBuffer(initialCapacity, maxCapacity));
		}

		@Override
		protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
			return track(this.unpooled.heapBuffer(initialCapacity, maxCapacity));
		}

		@Override
		public boolean isDirectBufferPooled() {
			return false;
		}

		private ByteBuf track(ByteBuf buffer) {
			this.buffers.add(buffer);
			return buffer;
		}

		int allocated() {
			return this.buffers.size();
		}

		long unreleased() {
			return this.buffers.stream().filter((buffer) -> buffer.refCnt() > 0).count();
		}

	}

	/**
	 * Counts the raw bytes read from a connection, before any decoding.
	 */
	private static final class ReadCounter extends ChannelInboundHandlerAdapter {

		private final AtomicLong read;

		ReadCounter(AtomicLong read) {
			this.read = read;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf bytes) {
				this.read.addAndGet(bytes.readableBytes());
			}
			ctx.fireChannelRead(msg);
		}

	}

	/**
	 * Asks for one buffer at a time, a pause apart, and releases each; stops asking when
	 * paused, takes everything when drained, and keeps the error it ends with.
	 */
	private static final class SlowConsumer extends BaseSubscriber<DataBuffer> {

		private final Duration pause;

		private final AtomicLong consumed = new AtomicLong();

		private final AtomicReference<Throwable> failure = new AtomicReference<>();

		private volatile boolean paused;

		SlowConsumer(Duration pause) {
			this.pause = pause;
		}

		void pause() {
			this.paused = true;
		}

		/**
		 * Take everything from now on, as fast as it comes.
		 */
		void drain() {
			request(Long.MAX_VALUE);
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			this.failure.set(throwable);
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(DataBuffer buffer) {
			this.consumed.addAndGet(buffer.readableByteCount());
			DataBufferUtils.release(buffer);
			if (!this.paused) {
				Mono.delay(this.pause).subscribe((tick) -> {
					if (!this.paused) {
						request(1);
					}
				});
			}
		}

	}

	/**
	 * A server that promises 1000 bytes with Content-Length, sends 500 and closes the
	 * connection.
	 */
	private static final class TruncatingServer implements AutoCloseable {

		private final ServerSocket serverSocket;

		TruncatingServer() throws IOException {
			this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread thread = new Thread(this::serve, "truncating-server");
			thread.setDaemon(true);
			thread.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.serverSocket.getLocalPort() + "/truncated";
		}

		private void serve() {
			while (!this.serverSocket.isClosed()) {
				try (Socket socket = this.serverSocket.accept()) {
					readHead(socket.getInputStream());
					OutputStream out = socket.getOutputStream();
					out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
							+ "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(new byte[500]);
					out.flush();
				}
				catch (IOException ex) {
					// Closed, or the client went away: serve the next connection, if any.
				}
			}
		}

		private static void readHead(InputStream in) throws IOException {
			int matched = 0;
			byte[] end = { '\r', '\n', '\r', '\n' };
			while (matched < end.length) {
				int b = in.read();
				if (b == -1) {
					throw new IOException("request head incomplete");
				}
				matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
		}

		@Override
		public void close() throws IOException {
			this.serverSocket.close();
		}

	}

}
