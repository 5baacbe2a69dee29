/**
 * Auto-configuration of async-http metrics: Reactor Netty pool meters, http.client.requests
 * and the async.http.client meters, all bound to the application's MeterRegistry.
 * <p>
 * Code map: {@link dev.asynchttp.autoconfigure.metrics.AsyncHttpMetricsAutoConfiguration}
 * hooks into each client through {@link dev.asynchttp.client.AsyncApiClientCustomizer}s
 * and one {@link dev.asynchttp.client.AsyncApiClientObserver}. Where a call is measured:
 * <ul>
 * <li>the WebClient observation, one per attempt, named by
 * {@link dev.asynchttp.autoconfigure.metrics.AsyncApiClientRequestObservationConvention}
 * ({@code http.client.requests});</li>
 * <li>inside the client, overloads, timeouts, retries, rate-limit waits and cool-downs
 * reach {@link dev.asynchttp.autoconfigure.metrics.MicrometerAsyncApiClientObserver}
 * ({@code async.http.client.*});
 * {@link dev.asynchttp.autoconfigure.metrics.AsyncApiClientsMeters} adds the in-flight and
 * queued gauges;</li>
 * <li>in the Reactor Netty pool, {@link dev.asynchttp.autoconfigure.metrics.AsyncHttpConnectionPools}
 * learns of every pool, {@link dev.asynchttp.autoconfigure.metrics.ConnectionPoolMeters}
 * meters it and {@link dev.asynchttp.autoconfigure.metrics.PendingAcquireTimer} times
 * waits for a connection (its filter runs after the library's, before Reactor Netty).</li>
 * </ul>
 */
@NullMarked
package dev.asynchttp.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
