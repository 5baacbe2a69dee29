/**
 * Named, tuned, non-blocking HTTP API clients on WebClient and Reactor Netty.
 * <p>
 * Code map. {@link dev.asynchttp.client.AsyncApiClientFactory} builds each client once;
 * a call then passes through, in order:
 * <ol>
 * <li>{@link dev.asynchttp.client.DefaultAsyncApiRequest}: input checks, then at subscription
 * the URI from {@link dev.asynchttp.client.SafeUris};</li>
 * <li>{@link dev.asynchttp.client.DefaultAsyncApiClient}: closed check, one
 * {@link dev.asynchttp.client.CallProgress} and one deadline over the whole call;</li>
 * <li>{@link dev.asynchttp.client.RetryPolicy}: one {@link dev.asynchttp.client.AttemptProgress}
 * per attempt, retries decided with {@link dev.asynchttp.client.RetryAfter} and
 * {@link dev.asynchttp.client.RetryBudget};</li>
 * <li>the WebClient filters: {@link dev.asynchttp.client.UriConfinement} (with a base URL),
 * {@link dev.asynchttp.client.FollowRedirects} (with {@code redirects.follow}), then
 * {@link dev.asynchttp.client.ExchangeGuard}: cool-down, rate-limit permit
 * ({@link dev.asynchttp.client.RequestRateLimiter}), connection permit
 * ({@link dev.asynchttp.client.InFlightLimiter}), {@link dev.asynchttp.client.RequestLog};
 * or, for a call without a body on a client whose WebClient would add nothing,
 * {@link dev.asynchttp.client.DirectExchange}: the same confinement check and
 * {@code ExchangeGuard} admission, then Reactor Netty with Spring's codecs;</li>
 * <li>Reactor Netty's pool and connection: once the write starts the
 * {@link dev.asynchttp.client.RequestState} is no longer {@code NOT_SENT};
 * {@link dev.asynchttp.client.ResponseSizeLimit} caps streamed bodies;</li>
 * <li>{@link dev.asynchttp.client.ExchangeErrors}: every failure typed as an
 * {@link dev.asynchttp.client.AsyncHttpException}, masked by
 * {@link dev.asynchttp.client.SafeText}.</li>
 * </ol>
 * {@link dev.asynchttp.client.BatchFetcher} and {@link dev.asynchttp.client.FileDownload}
 * send the same way; {@link dev.asynchttp.client.AsyncApiClients} closes every client.
 */
@NullMarked
package dev.asynchttp.client;

import org.jspecify.annotations.NullMarked;
