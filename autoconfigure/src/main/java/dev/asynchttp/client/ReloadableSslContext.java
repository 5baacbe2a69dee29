package dev.asynchttp.client;

import java.util.List;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * A client {@link SslContext} whose trust and key material can be replaced while the
 * {@code HttpClient} that uses it keeps running: every new connection takes the context
 * current at its handshake, open connections keep the one they were made with. Netty's
 * {@code DelegatingSslContext} holds its delegate for good, hence this class.
 *
 * @author async-http
 */
final class ReloadableSslContext extends SslContext {

	private volatile SslContext current;

	ReloadableSslContext(SslContext initial) {
		this.current = initial;
	}

	/**
	 * Use {@code next} for every connection opened from now on.
	 * @param next the new context
	 */
	void replace(SslContext next) {
		this.current = next;
	}

	@Override
	public boolean isClient() {
		return this.current.isClient();
	}

	@Override
	public List<String> cipherSuites() {
		return this.current.cipherSuites();
	}

	@Override
	@SuppressWarnings("deprecation")
	public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
		return this.current.applicationProtocolNegotiator();
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc) {
		return this.current.newEngine(alloc);
	}

	@Override
	public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
		return this.current.newEngine(alloc, peerHost, peerPort);
	}

	@Override
	public SSLSessionContext sessionContext() {
		return this.current.sessionContext();
	}

	// The handlers come from the current context itself, so whatever it sets up around its
	// engines (session resumption checks among them) applies unchanged.

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
		return this.current.newHandler(alloc);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
		return this.current.newHandler(alloc, peerHost, peerPort);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
		return this.current.newHandler(alloc, executor);
	}

	@Override
	protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
			Executor executor) {
		return this.current.newHandler(alloc, peerHost, peerPort, executor);
	}

}
