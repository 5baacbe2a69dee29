/**
 * Auto-configuration of async-http metrics: Reactor Netty pool meters, http.client.requests
 * and the async.http.client meters, all bound to the application's MeterRegistry.
 */
@NullMarked
package dev.asynchttp.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
