package dev.asynchttp.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.Assert;
import org.springframework.web.client.ApiVersionInserter;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds {@link AsyncApiClient}s from fully resolved settings: one Reactor Netty
 * {@link ConnectionProvider} named after the client, one {@link HttpClient}, one limiter and
 * one {@link WebClient} each, all made once here and never per request.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientFactory {

	private static final String WRITE_TIMEOUT_HANDLER = "asyncHttpWriteTimeout";

	private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("asyncHttpConnectionUsed");

	private final Supplier<WebClient.Builder> webClientBuilders;

	private final @Nullable LoopResources loopResources;

	private final Function<String, SslBundle> sslBundles;

	private final List<AsyncApiClientCustomizer> customizers;

	private final AsyncApiClientObserver observer;

	private final Clock clock;

	private final @Nullable SharedLimits sharedLimits;

	/**
	 * Create a factory.
	 * @param webClientBuilders supplies a fresh builder per client (Boot's prototype bean,
	 * with observation and codecs applied, or {@link WebClient#builder()})
	 * @param loopResources event loops to share, or {@code null} for Reactor Netty's global
	 * ones
	 * @param sslBundles looks up an SSL bundle by name
	 * @param customizers applied in order to every client
	 */
	public AsyncApiClientFactory(Supplier<WebClient.Builder> webClientBuilders, @Nullable LoopResources loopResources,
			Function<String, SslBundle> sslBundles, List<AsyncApiClientCustomizer> customizers) {
		this(webClientBuilders, loopResources, sslBundles, customizers, new AsyncApiClientObserver() {
		}, Clock.systemUTC());
	}

	/**
	 * Create a factory.
	 * @param webClientBuilders supplies a builder per client (Boot's prototype bean, with
	 * observation and codecs applied, or {@link WebClient#builder()}); it is copied, never
	 * changed
	 * @param loopResources event loops to share, or {@code null} for Reactor Netty's global
	 * ones
	 * @param sslBundles looks up an SSL bundle by name
	 * @param customizers applied in order to every client
	 * @param observer told about overloads, timeouts, retries and limits
	 * @param clock wall clock, for {@code Retry-After} dates
	 */
	public AsyncApiClientFactory(Supplier<WebClient.Builder> webClientBuilders, @Nullable LoopResources loopResources,
			Function<String, SslBundle> sslBundles, List<AsyncApiClientCustomizer> customizers,
			AsyncApiClientObserver observer, Clock clock) {
		this(webClientBuilders, loopResources, sslBundles, customizers, observer, clock, null);
	}

	/**
	 * Create a factory whose clients with {@code rate-limit.shared} share their limits.
	 * @param webClientBuilders supplies a builder per client; it is copied, never changed
	 * @param loopResources event loops to share, or {@code null} for Reactor Netty's global
	 * ones
	 * @param sslBundles looks up an SSL bundle by name
	 * @param customizers applied in order to every client
	 * @param observer told about overloads, timeouts, retries and limits
	 * @param clock wall clock, for {@code Retry-After} dates
	 * @param sharedLimits shares rate limits and cool-downs across instances, or
	 * {@code null} when nothing can be shared
	 */
	public AsyncApiClientFactory(Supplier<WebClient.Builder> webClientBuilders, @Nullable LoopResources loopResources,
			Function<String, SslBundle> sslBundles, List<AsyncApiClientCustomizer> customizers,
			AsyncApiClientObserver observer, Clock clock, @Nullable SharedLimits sharedLimits) {
		this.sharedLimits = sharedLimits;
		Assert.notNull(observer, "'observer' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.observer = observer;
		this.clock = clock;
		Assert.notNull(webClientBuilders, "'webClientBuilders' must not be null");
		Assert.notNull(sslBundles, "'sslBundles' must not be null");
		Assert.notNull(customizers, "'customizers' must not be null");
		this.webClientBuilders = webClientBuilders;
		this.loopResources = loopResources;
		this.sslBundles = sslBundles;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * A factory with Reactor Netty's global loops, no SSL bundles and no customizers.
	 * @return the factory
	 */
	public static AsyncApiClientFactory standalone() {
		return new AsyncApiClientFactory(WebClient::builder, null, (name) -> {
			throw new IllegalArgumentException("No SSL bundles are available, so '" + name + "' cannot be used");
		}, List.of());
	}

	/**
	 * Build a client. The settings are completed with {@link AsyncApiClientSettings#defaults()}
	 * ({@link AsyncApiClientSettings#resolved()}), so every part below reads set values.
	 * @param name the client name; also the name of its connection pool
	 * @param settings the client's settings
	 * @return the client; close it through {@link AsyncApiClients}
	 */
	public AsyncApiClient create(String name, AsyncApiClientSettings settings) {
		Assert.hasText(name, "'name' must not be empty");
		AsyncApiClientSettings resolved = settings.resolved();
		Pool pool = resolved.pool();
		ConnectionProvider provider = connectionProvider(name, pool);
		// stayClosed: a call still waiting for a connection at close must not get a fresh one
		// that outlives the close.
		ChannelGroup channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE, true);
		HttpClient httpClient = httpClient(name, resolved, provider, channels);
		ClientRuntime runtime = new ClientRuntime(name, resolved, this.observer,
				ClientLimits.coolDowns(name, resolved.rateLimit(), this.sharedLimits));
		AsyncApiClientSettings.Retry retry = resolved.retry();
		RetryPolicy retryPolicy = new RetryPolicy(runtime, new RetryBudget(retry.budget().ratio(),
				retry.budget().minPerSecond(), System::nanoTime), this.clock);
		SafeUris uris = new SafeUris(resolved.baseUrl(), resolved.apiVersion().pathSegment());
		// A copy, so that an application's singleton builder is neither changed nor shared
		// between clients (their headers may hold credentials).
		WebClient.Builder builder = this.webClientBuilders.get()
			.clone()
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.uriBuilderFactory(uris)
			.defaultHeaders((headers) -> resolved.defaultHeaders().forEach(headers::put))
			.codecs((codecs) -> codecs.defaultCodecs()
				.maxInMemorySize(Math.toIntExact(resolved.maxInMemorySize().toBytes())))
			.filters((filters) -> {
				if (resolved.baseUrl() != null) {
					// First, so that a request outside base-url waits for and takes no permit. Redirect
					// targets are checked by FollowRedirects, which may leave the origin.
					filters.add(new UriConfinement(uris, runtime.errors()));
				}
				if (resolved.redirects().follow()) {
					// In front of the guard, so that every redirected request passes through it.
					filters.add(new FollowRedirects(runtime));
				}
				filters.add(new ExchangeGuard(runtime,
						ClientLimits.rateLimiter(name, resolved.rateLimit(), this.sharedLimits)));
			});
		apiVersion(builder, resolved.apiVersion());
		this.customizers.forEach((customizer) -> customizer.customizeWebClient(name, builder));
		return new DefaultAsyncApiClient(runtime, builder.build(), provider, channels, uris, retryPolicy);
	}

	private static void apiVersion(WebClient.Builder builder, AsyncApiClientSettings.ApiVersion apiVersion) {
		if (apiVersion.hasInsert()) {
			builder.apiVersionInserter(ApiVersionInserter.builder()
				.useHeader(apiVersion.header())
				.useQueryParam(apiVersion.queryParameter())
				.usePathSegment(apiVersion.pathSegment())
				.useMediaTypeParam(apiVersion.mediaTypeParameter())
				.build());
		}
		if (apiVersion.defaultVersion() != null) {
			builder.defaultApiVersion(apiVersion.defaultVersion());
		}
	}

	private ConnectionProvider connectionProvider(String name, Pool pool) {
		ConnectionProvider.Builder builder = ConnectionProvider.builder(name)
			.maxConnections(pool.maxConnectionsPerHost())
			// Unbounded here: the limiter in front admits a call only when its host has room, so
			// this queue only ever holds calls whose connection is on its way back to the pool.
			// Its timeout is a safety net.
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(pool.acquireTimeout())
			.maxIdleTime(pool.maxIdleTime())
			.maxLifeTime(pool.maxLifeTime());
		Duration eviction = pool.evictionInterval();
		if (!eviction.isZero()) {
			builder.evictInBackground(eviction);
		}
		Duration disposeAfter = pool.disposeInactiveAfter();
		if (!disposeAfter.isZero()) {
			// Checked every half period, so a pool goes at most 1.5 periods after it became
			// empty and untouched (and Reactor Netty calls deRegisterMetrics for it).
			builder.disposeInactivePoolsInBackground(disposeAfter.dividedBy(2), disposeAfter);
		}
		if (pool.leasing() == AsyncApiClientSettings.Leasing.LIFO) {
			builder.lifo();
		}
		else {
			builder.fifo();
		}
		this.customizers.forEach((customizer) -> customizer.customizeConnectionProvider(name, builder));
		return builder.build();
	}

	private HttpClient httpClient(String name, AsyncApiClientSettings settings, ConnectionProvider provider,
			ChannelGroup channels) {
		AsyncApiClientSettings.Timeouts timeouts = settings.timeouts();
		long writeTimeoutMillis = timeouts.write().toMillis();
		// disableRetry: Reactor Netty would otherwise send a request once more on its own when a
		// reused connection is reset before the headers went out, an attempt the retry policy,
		// the attempt count, the budget and the metrics would never see. The policy handles
		// that stale-connection race itself.
		HttpClient httpClient = HttpClient.create(provider).disableRetry(true);
		if (this.loopResources != null) {
			httpClient = httpClient.runOn(this.loopResources);
		}
		httpClient = httpClient
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeouts.connect().toMillis()))
			.responseTimeout(timeouts.read())
			.keepAlive(settings.pool().keepAlive())
			.compress(settings.compression())
			.resolver((spec) -> spec.cacheMaxTimeToLive(settings.dns().cacheTtl())
				.cacheNegativeTimeToLive(settings.dns().negativeTtl()))
			.doOnConnected((connection) -> channels.add(connection.channel()))
			.doOnRequest((request, connection) -> {
				boolean reused = connection.channel().attr(USED).getAndSet(Boolean.TRUE) != null;
				RequestProgress.markWriteStarted(request.currentContextView(), reused);
				connection.addHandlerLast(WRITE_TIMEOUT_HANDLER,
						new WriteTimeoutHandler(writeTimeoutMillis, TimeUnit.MILLISECONDS));
			})
			.doAfterRequest((request, connection) -> connection.removeHandler(WRITE_TIMEOUT_HANDLER));
		// Redirects are followed by FollowRedirects, through the exchange guard, never here.
		httpClient = httpClient.followRedirect(false);
		if (settings.sslBundle() != null) {
			SslContext sslContext = sslContext(this.sslBundles.apply(settings.sslBundle()));
			// secure(Consumer) keeps Reactor Netty's hostname verification switched on.
			httpClient = httpClient.secure((spec) -> spec.sslContext(sslContext));
		}
		for (AsyncApiClientCustomizer customizer : this.customizers) {
			httpClient = customizer.customizeHttpClient(name, httpClient);
		}
		return httpClient;
	}

	private static SslContext sslContext(SslBundle bundle) {
		try {
			SslOptions options = bundle.getOptions();
			SslContextBuilder builder = SslContextBuilder.forClient()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory());
			if (options.getCiphers() != null) {
				builder.ciphers(Arrays.asList(options.getCiphers()));
			}
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not build an SSL context from the SSL bundle", ex);
		}
	}

}
