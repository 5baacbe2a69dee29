package dev.asynchttp.autoconfigure.metrics;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.util.Assert;

/**
 * The live Reactor Netty connection pools of the async-http clients: one per client and
 * remote address, as Reactor Netty announces them to a
 * {@link ConnectionProvider.MeterRegistrar} when it creates and disposes them. Backs the
 * pool meters and the {@code asynchttp} Actuator endpoint; needs no Micrometer. It exists
 * because Reactor Netty offers no other way to enumerate a provider's live pools, and its
 * own registrar binds their meters to {@code Metrics.globalRegistry}, which the application's
 * registry may not see ({@code management.metrics.use-global-registry=false}, tests): the
 * pools' counts themselves are Reactor Netty's {@link ConnectionPoolMetrics}, never
 * recounted here.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncHttpConnectionPools {

	private final Map<PoolKey, ConnectionPool> pools = new ConcurrentHashMap<>();

	private final List<Listener> listeners;

	private final ConnectionProvider.MeterRegistrar registrar = new Registrar();

	/**
	 * Create an empty set of pools that tells nobody about changes.
	 */
	public AsyncHttpConnectionPools() {
		this(List.of());
	}

	AsyncHttpConnectionPools(List<Listener> listeners) {
		Assert.notNull(listeners, "'listeners' must not be null");
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * The registrar to hand to {@code ConnectionProvider.Builder.metrics(true, ...)}.
	 * @return the registrar
	 */
	ConnectionProvider.MeterRegistrar registrar() {
		return this.registrar;
	}

	/**
	 * The live pools of a client, by remote address.
	 * @param clientName the client name, which is also its pool name
	 * @return the pools, possibly none
	 */
	public List<ConnectionPool> pools(String clientName) {
		return this.pools.values()
			.stream()
			.filter((pool) -> pool.clientName().equals(clientName))
			.sorted(Comparator.comparing(ConnectionPool::remoteAddress).thenComparing(ConnectionPool::id))
			.toList();
	}

	/**
	 * A live Reactor Netty connection pool.
	 *
	 * @param clientName the client, which is also the pool's name
	 * @param id Reactor Netty's id of the pool, the {@code id} tag of its meters
	 * @param remoteAddress the host and port the pool connects to, as Reactor Netty formats
	 * it for the {@code remote.address} tag
	 * @param metrics the pool's live counts
	 */
	public record ConnectionPool(String clientName, String id, String remoteAddress, ConnectionPoolMetrics metrics) {

	}

	/**
	 * Told when a pool appears or goes away. Called on I/O threads: must be fast.
	 */
	interface Listener {

		void added(ConnectionPool pool);

		void removed(ConnectionPool pool);

	}

	/**
	 * Format an address as Reactor Netty does for the {@code remote.address} tag
	 * ({@code reactor.netty.Metrics.formatSocketAddress}), without loading that class,
	 * which needs Micrometer.
	 */
	static String format(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return address.toString();
	}

	private record PoolKey(String clientName, String id, String remoteAddress) {

	}

	private final class Registrar implements ConnectionProvider.MeterRegistrar {

		@Override
		public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
				ConnectionPoolMetrics metrics) {
			String address = format(remoteAddress);
			ConnectionPool pool = new ConnectionPool(poolName, id, address, metrics);
			if (AsyncHttpConnectionPools.this.pools.putIfAbsent(new PoolKey(poolName, id, address), pool) == null) {
				AsyncHttpConnectionPools.this.listeners.forEach((listener) -> listener.added(pool));
			}
		}

		@Override
		public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
			String address = format(remoteAddress);
			ConnectionPool pool = AsyncHttpConnectionPools.this.pools.remove(new PoolKey(poolName, id, address));
			if (pool != null) {
				AsyncHttpConnectionPools.this.listeners.forEach((listener) -> listener.removed(pool));
			}
		}

	}

}
