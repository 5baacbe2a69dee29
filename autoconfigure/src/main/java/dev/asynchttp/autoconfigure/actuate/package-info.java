/**
 * Actuator support for async-http: the asynchttp endpoint and per-client health checks.
 * <p>
 * Code map: {@link dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpointAutoConfiguration}
 * makes {@link dev.asynchttp.autoconfigure.actuate.AsyncApiClientEvents}, an
 * {@link dev.asynchttp.client.AsyncApiClientObserver} that counts what the clients report,
 * and {@link dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpoint}, which reads each
 * client's settings (masked), its limiter, the pools of
 * {@link dev.asynchttp.autoconfigure.metrics.AsyncHttpConnectionPools} and those counts.
 * {@link dev.asynchttp.autoconfigure.actuate.AsyncHttpHealthContributorAutoConfiguration}
 * makes one {@link dev.asynchttp.autoconfigure.actuate.AsyncApiClientHealthIndicator} per
 * client with {@code health.path}; its check is a GET through the client itself, so it
 * takes the whole request path of {@link dev.asynchttp.client}, retries aside.
 */
@NullMarked
package dev.asynchttp.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
