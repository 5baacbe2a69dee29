package dev.asynchttp.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClientState;

/**
 * The read and write timeouts of one client connection, installed once for its whole life:
 * the longest gap between reads while a response is awaited (from the moment the request
 * is sent until its response is complete, as Reactor Netty's {@code responseTimeout}), and
 * the longest time one write may take (as Netty's {@code WriteTimeoutHandler}). Both fail
 * the exchange with Netty's own {@link ReadTimeoutException} or {@link WriteTimeoutException}
 * and close the connection, as those handlers do.
 * <p>
 * Reactor Netty adds a read-timeout handler to the pipeline for every request and removes
 * it after, and {@code WriteTimeoutHandler} schedules and cancels an event-loop task for
 * every write: under load that is a pipeline change, two priority-queue updates and a
 * subscription per request. Here at most one task per connection is pending; when it runs
 * it measures from the last read and the oldest unfinished write and schedules itself
 * again for what is left, so a busy connection schedules about once per timeout.
 * <p>
 * Every method runs on the connection's event loop: handler methods and write listeners
 * do, and the {@link #observer observer} moves there when Reactor Netty reports a state
 * elsewhere.
 *
 * @author async-http
 * @since 0.1.0
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {

	private static final String NAME = "asyncHttpTimeouts";

	private static final AttributeKey<ConnectionTimeouts> KEY = AttributeKey.valueOf(ConnectionTimeouts.class,
			"timeouts");

	/**
	 * The observer that drives the timeouts of a client's connections: it arms the read
	 * timeout when a request has been sent, and disarms it when its response is complete or
	 * the connection goes back to the pool (a response may end before its request was fully
	 * sent). A channel without the handler, such as an HTTP/2 stream of a client a customizer
	 * switched to HTTP/2, gets one when its first request has been sent.
	 * @param read the longest gap between reads while a response is awaited
	 * @param write the longest time one write may take
	 * @return the observer, for {@code HttpClient.observe}
	 */
	static ConnectionObserver observer(Duration read, Duration write) {
		return (connection, state) -> {
			boolean sent = state == HttpClientState.REQUEST_SENT;
			if (!sent && state != HttpClientState.RESPONSE_COMPLETED && state != ConnectionObserver.State.RELEASED) {
				return;
			}
			Channel channel = connection.channel();
			if (channel.eventLoop().inEventLoop()) {
				onState(channel, sent, read, write);
			}
			else {
				channel.eventLoop().execute(() -> onState(channel, sent, read, write));
			}
		};
	}

	private static void onState(Channel channel, boolean sent, Duration read, Duration write) {
		ConnectionTimeouts timeouts = channel.attr(KEY).get();
		if (timeouts == null && sent && channel.isActive()) {
			timeouts = install(channel, read, write);
		}
		if (timeouts != null) {
			timeouts.responseAwaited(sent);
		}
	}

	private final long readTimeoutNanos;

	private final long writeTimeoutNanos;

	private final ChannelFutureListener writeDone = (future) -> writeDone();

	private @Nullable ChannelHandlerContext context;

	private boolean awaiting;

	private boolean reading;

	private long lastReadNanos;

	/** Start times of the unfinished writes, oldest first: a channel completes writes in order. */
	private long[] writeStarts = new long[4];

	private int oldestWrite;

	private int pendingWrites;

	private @Nullable ScheduledFuture<?> check;

	private long checkAtNanos;

	private boolean closed;

	private ConnectionTimeouts(Duration read, Duration write) {
		this.readTimeoutNanos = read.toNanos();
		this.writeTimeoutNanos = write.toNanos();
	}

	/**
	 * Install the timeouts on a new connection, right before the HTTP codec (where Reactor
	 * Netty puts its read-timeout handler, so that no other handler delays the reads it sees).
	 * A zero or negative duration switches that timeout off.
	 * @param channel the connection
	 * @param read the longest gap between reads while a response is awaited
	 * @param write the longest time one write may take
	 * @return the connection's timeouts, the ones already installed if there are
	 */
	static ConnectionTimeouts install(Channel channel, Duration read, Duration write) {
		ConnectionTimeouts installed = channel.attr(KEY).get();
		if (installed != null) {
			return installed;
		}
		ChannelPipeline pipeline = channel.pipeline();
		ConnectionTimeouts timeouts = new ConnectionTimeouts(read, write);
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			pipeline.addBefore(NettyPipeline.HttpCodec, NAME, timeouts);
		}
		else if (pipeline.get(NettyPipeline.H2ToHttp11Codec) != null) {
			pipeline.addBefore(NettyPipeline.H2ToHttp11Codec, NAME, timeouts);
		}
		else if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
			pipeline.addBefore(NettyPipeline.ReactiveBridge, NAME, timeouts);
		}
		else {
			pipeline.addLast(NAME, timeouts);
		}
		channel.attr(KEY).set(timeouts);
		return timeouts;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.closed = true;
		cancelCheck();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.closed = true;
		cancelCheck();
		super.channelInactive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.reading = true;
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.reading) {
			this.reading = false;
			if (this.awaiting) {
				this.lastReadNanos = System.nanoTime();
			}
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (this.writeTimeoutNanos > 0 && !promise.isVoid()) {
			long now = System.nanoTime();
			if (this.pendingWrites == this.writeStarts.length) {
				growWriteStarts();
			}
			this.writeStarts[(this.oldestWrite + this.pendingWrites) & (this.writeStarts.length - 1)] = now;
			this.pendingWrites++;
			promise.addListener(this.writeDone);
			checkBy(now + this.writeTimeoutNanos);
		}
		ctx.write(msg, promise);
	}

	private void writeDone() {
		if (this.pendingWrites > 0) {
			this.oldestWrite = (this.oldestWrite + 1) & (this.writeStarts.length - 1);
			this.pendingWrites--;
		}
	}

	private void growWriteStarts() {
		long[] grown = new long[this.writeStarts.length * 2];
		for (int i = 0; i < this.pendingWrites; i++) {
			grown[i] = this.writeStarts[(this.oldestWrite + i) & (this.writeStarts.length - 1)];
		}
		this.writeStarts = grown;
		this.oldestWrite = 0;
	}

	private void responseAwaited(boolean awaited) {
		if (!awaited || this.readTimeoutNanos <= 0) {
			this.awaiting = false;
			return;
		}
		long now = System.nanoTime();
		this.awaiting = true;
		this.lastReadNanos = now;
		checkBy(now + this.readTimeoutNanos);
	}

	/** Make sure a check runs no later than {@code deadlineNanos}. */
	private void checkBy(long deadlineNanos) {
		ChannelHandlerContext ctx = this.context;
		if (this.closed || ctx == null) {
			return;
		}
		if (this.check != null) {
			if (this.checkAtNanos - deadlineNanos <= 0) {
				return;
			}
			this.check.cancel(false);
		}
		this.checkAtNanos = deadlineNanos;
		this.check = ctx.executor().schedule(this::check, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
	}

	private void check() {
		this.check = null;
		if (this.closed) {
			return;
		}
		long now = System.nanoTime();
		long next = Long.MAX_VALUE;
		if (this.pendingWrites > 0) {
			long left = this.writeStarts[this.oldestWrite] + this.writeTimeoutNanos - now;
			if (left <= 0) {
				fail(WriteTimeoutException.INSTANCE);
				return;
			}
			next = left;
		}
		if (this.awaiting) {
			// No read is in progress here: a read and its completion run in one event-loop turn.
			long left = this.lastReadNanos + this.readTimeoutNanos - now;
			if (left <= 0) {
				fail(ReadTimeoutException.INSTANCE);
				return;
			}
			next = Math.min(next, left);
		}
		if (next != Long.MAX_VALUE) {
			checkBy(now + next);
		}
	}

	private void fail(Throwable timeout) {
		ChannelHandlerContext ctx = this.context;
		this.closed = true;
		if (ctx != null) {
			ctx.fireExceptionCaught(timeout);
			ctx.close();
		}
	}

	private void cancelCheck() {
		ScheduledFuture<?> pending = this.check;
		this.check = null;
		if (pending != null) {
			pending.cancel(false);
		}
	}

}
