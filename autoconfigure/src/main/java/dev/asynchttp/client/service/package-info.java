/**
 * Declarative HTTP interfaces ({@code @HttpExchange}) backed by async-http clients.
 * <p>
 * Code map: {@code HttpServiceProxyFactory} turns each interface method into a request
 * that {@link dev.asynchttp.client.service.AsyncApiClientAdapter} sends with
 * {@link dev.asynchttp.client.AsyncApiClient#request}, the interface's URI template
 * becoming the call's (and the {@code uri} tag's) template. From there the call takes the
 * path described in {@link dev.asynchttp.client}: retry policy, filters, limits, Reactor
 * Netty, typed errors. A blocking method waits for the reactive call, which the client's
 * total deadline bounds.
 */
@NullMarked
package dev.asynchttp.client.service;

import org.jspecify.annotations.NullMarked;
