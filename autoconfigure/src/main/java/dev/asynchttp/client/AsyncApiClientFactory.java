package dev.asynchttp.client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;

import dev.asynchttp.client.AsyncApiClientSettings.Pool;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.util.Assert;
import org.springframework.web.client.ApiVersionInserter;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
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

	private static final Log logger = LogFactory.getLog(AsyncApiClientFactory.class);

	/**
	 * The largest piece of a body the HTTP decoder hands on. Netty's 8 KiB cuts each socket
	 * read (up to 64 KiB) into up to eight buffers, each going through every operator of a
	 * stream; the pieces are slices of the read either way, so the larger size holds no more
	 * memory.
	 */
	static final int MAX_BODY_CHUNK_SIZE = 64 * 1024;

	private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("asyncHttpConnectionUsed");

	private final Supplier<WebClient.Builder> webClientBuilders;

	private final @Nullable LoopResources loopResources;

	private final SslBundles sslBundles;

	private final List<AsyncApiClientCustomizer> customizers;

	private final AsyncApiClientObserver observer;

	private final Clock clock;

	private final @Nullable SharedLimits sharedLimits;

	private @Nullable ObservationRegistry callObservationRegistry;

	private boolean directExchange;

	private @Nullable ObservationRegistry requestObservationRegistry;

	private @Nullable ClientRequestObservationConvention requestObservationConvention;

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
	 * Bundles looked up by a function cannot be watched, so an SSL bundle update is not
	 * picked up; use the {@link SslBundles} constructor for that.
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
		this(webClientBuilders, loopResources, lookUp(sslBundles), customizers, observer, clock, sharedLimits);
	}

	/**
	 * Create a factory whose clients with {@code ssl.bundle} use Spring Boot's SSL bundles,
	 * and take an updated bundle (one registered with {@code reload-on-update}) for their new
	 * connections.
	 * @param webClientBuilders supplies a builder per client; it is copied, never changed
	 * @param loopResources event loops to share, or {@code null} for Reactor Netty's global
	 * ones
	 * @param sslBundles the SSL bundles
	 * @param customizers applied in order to every client
	 * @param observer told about overloads, timeouts, retries and limits
	 * @param clock wall clock, for {@code Retry-After} dates
	 * @param sharedLimits shares rate limits and cool-downs across instances, or
	 * {@code null} when nothing can be shared
	 */
	public AsyncApiClientFactory(Supplier<WebClient.Builder> webClientBuilders, @Nullable LoopResources loopResources,
			SslBundles sslBundles, List<AsyncApiClientCustomizer> customizers, AsyncApiClientObserver observer,
			Clock clock, @Nullable SharedLimits sharedLimits) {
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
	 * Give every call of the clients built from now on an observation of its own,
	 * {@code async.http.client.calls}, the parent of its attempts' {@code http.client.requests}
	 * observations, so that a trace shows a retried call as one span with a child per
	 * attempt, retry events with their backoff on it. Without it (the default) the attempts
	 * are observed on their own, through the {@code WebClient.Builder}'s registry. The
	 * auto-configuration sets it when tracing is on: without tracing the attempts'
	 * observations give every meter, and one more per call would double their cost.
	 * @param registry the registry, usually the one of the {@code WebClient.Builder}, or
	 * {@code null} for no call observations
	 */
	public void setCallObservationRegistry(@Nullable ObservationRegistry registry) {
		this.callObservationRegistry = registry;
	}

	/**
	 * Let the typed calls without a request body of the clients built from now on skip
	 * {@code WebClient}'s request and response layers and go to Reactor Netty directly,
	 * with the same admission, codecs, errors and results. Only safe when the builders the
	 * factory is given carry nothing but codec settings: a filter, default request, status
	 * handler or observation registry put on them by the application would be skipped. A
	 * client that needs {@code WebClient} for these calls (redirects followed, API versions,
	 * the request log, call observations, a customizer of its {@code WebClient}, filters or
	 * default headers or cookies on its builder) uses it regardless. Off by default; the
	 * auto-configuration turns it on when Boot's builder has no customizers but its own
	 * codec one, {@link #standalone()} always.
	 * @param directExchange whether such calls may skip {@code WebClient}
	 */
	public void setDirectExchange(boolean directExchange) {
		this.directExchange = directExchange;
	}

	/**
	 * Say how the {@code WebClient.Builder}s the factory is given observe requests, so that
	 * the calls that skip {@code WebClient} ({@link #setDirectExchange(boolean)}) get the
	 * same {@code http.client.requests} observations as those that go through it. Without
	 * it (the default) they are not observed, so the direct path is only right for builders
	 * without an observation registry. The convention goes through every customizer's
	 * {@link AsyncApiClientCustomizer#customizeObservationConvention} per client, and the
	 * result is put on the client's builder too.
	 * @param registry the builders' observation registry, or {@code null} for none
	 * @param convention the builders' convention, or {@code null} for Spring's default
	 */
	public void setRequestObservations(@Nullable ObservationRegistry registry,
			@Nullable ClientRequestObservationConvention convention) {
		this.requestObservationRegistry = registry;
		this.requestObservationConvention = convention;
	}

	/**
	 * A factory with Reactor Netty's global loops, no SSL bundles and no customizers.
	 * @return the factory
	 */
	public static AsyncApiClientFactory standalone() {
		AsyncApiClientFactory factory = new AsyncApiClientFactory(WebClient::builder, null, (name) -> {
			throw new IllegalArgumentException("No SSL bundles are available, so '" + name + "' cannot be used");
		}, List.of());
		factory.setDirectExchange(true);
		return factory;
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
		check(name, resolved);
		Pool pool = resolved.pool();
		ConnectionProvider provider = connectionProvider(name, pool);
		// stayClosed: a call still waiting for a connection at close must not get a fresh one
		// that outlives the close.
		ChannelGroup channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE, true);
		HttpClient httpClient = httpClient(name, resolved, provider, channels);
		ClientRuntime runtime = new ClientRuntime(name, resolved, this.observer,
				ClientLimits.coolDowns(name, resolved.rateLimit(), this.sharedLimits), this.callObservationRegistry);
		AsyncApiClientSettings.Retry retry = resolved.retry();
		RetryPolicy retryPolicy = new RetryPolicy(runtime, new RetryBudget(retry.budget().ratio(),
				retry.budget().minPerSecond(), System::nanoTime), this.clock);
		SafeUris uris = new SafeUris(resolved.baseUrl(), resolved.apiVersion().pathSegment());
		ExchangeGuard guard = new ExchangeGuard(runtime,
				ClientLimits.rateLimiter(name, resolved.rateLimit(), this.sharedLimits));
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
				filters.add(guard);
			});
		apiVersion(builder, resolved.apiVersion());
		ClientRequestObservationConvention convention = observationConvention(name, builder);
		this.customizers.forEach((customizer) -> customizer.customizeWebClient(name, builder));
		if (this.directExchange && sendsDirectly(resolved, runtime, builder)) {
			// Last, so that the readers carry every codec customization before them.
			List<HttpMessageReader<?>> readers = new ArrayList<>();
			builder.codecs((codecs) -> readers.addAll(codecs.getReaders()));
			WebClient webClient = builder.build();
			ObservationRegistry registry = this.requestObservationRegistry;
			RequestObservations observations = (registry != null && !registry.isNoop())
					? new RequestObservations(registry, convention) : null;
			DirectExchange direct = new DirectExchange(runtime, guard, httpClient, uris, readers, observations);
			return new DefaultAsyncApiClient(runtime, webClient, provider, channels, uris, retryPolicy, direct);
		}
		return new DefaultAsyncApiClient(runtime, builder.build(), provider, channels, uris, retryPolicy, null);
	}

	/**
	 * The client's observation convention as the customizers choose it, put on its builder;
	 * {@code null} when the builder keeps its own.
	 */
	private @Nullable ClientRequestObservationConvention observationConvention(String name,
			WebClient.Builder builder) {
		ClientRequestObservationConvention convention = this.requestObservationConvention;
		for (AsyncApiClientCustomizer customizer : this.customizers) {
			convention = customizer.customizeObservationConvention(name, convention);
		}
		if (convention != null) {
			builder.observationConvention(convention);
		}
		return convention;
	}

	/**
	 * Whether the client's typed calls without a body may skip {@code WebClient}
	 * ({@link DirectExchange}): only when its {@code WebClient} would do nothing on such a
	 * call that the direct path does not do too. Redirects, API versions, the request log
	 * and call observations need {@code WebClient}'s filters, and anything a customizer
	 * put on the builder (a filter, a default request, a status handler, an observation
	 * convention) is honoured only there.
	 */
	private boolean sendsDirectly(AsyncApiClientSettings settings, ClientRuntime runtime,
			WebClient.Builder builder) {
		if (settings.redirects().follow() || settings.apiVersion().hasInsert()
				|| settings.apiVersion().defaultVersion() != null || runtime.requestLog() != null
				|| runtime.callObservations() != null) {
			return false;
		}
		for (AsyncApiClientCustomizer customizer : this.customizers) {
			if (customizesWebClient(customizer)) {
				return false;
			}
		}
		int[] filters = new int[1];
		builder.filters((list) -> filters[0] = list.size());
		boolean[] onlyOwnDefaults = new boolean[1];
		builder.defaultHeaders((headers) -> onlyOwnDefaults[0] = headers.size() == settings.defaultHeaders().size());
		builder.defaultCookies((cookies) -> onlyOwnDefaults[0] &= cookies.isEmpty());
		int own = (settings.baseUrl() != null) ? 2 : 1;
		return filters[0] == own && onlyOwnDefaults[0];
	}

	private static boolean customizesWebClient(AsyncApiClientCustomizer customizer) {
		try {
			return customizer.getClass()
				.getMethod("customizeWebClient", String.class, WebClient.Builder.class)
				.getDeclaringClass() != AsyncApiClientCustomizer.class;
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Refuse what could not be used as set, before anything is built: default headers that
	 * could not be sent as written (a name that is not a token, a value with a line break or
	 * another control character), a proxy without host or port, an SSL bundle together with
	 * trust-all. Configuration properties are checked earlier with the property named; this
	 * covers settings built in code.
	 */
	private static void check(String name, AsyncApiClientSettings settings) {
		settings.defaultHeaders().forEach((header, values) -> {
			if (header.isEmpty() || HttpHeaderValidationUtil.validateToken(header) != -1) {
				throw new IllegalArgumentException(
						"Client '" + name + "': default header name '" + header + "' is not a valid header name");
			}
			for (String value : values) {
				if (value == null || HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
					// The value is not repeated: it may hold a credential.
					throw new IllegalArgumentException("Client '" + name + "': the value of default header '" + header
							+ "' contains a line break or another control character");
				}
			}
		});
		AsyncApiClientSettings.Proxy proxy = settings.proxy();
		if (proxy.type() != null && (proxy.host() == null || proxy.port() == null)) {
			throw new IllegalArgumentException(
					"Client '" + name + "': a proxy of type " + proxy.type() + " needs a host and a port");
		}
		if (settings.sslBundle() != null && Boolean.TRUE.equals(settings.sslInsecureTrustAll())) {
			throw new IllegalArgumentException("Client '" + name + "': an SSL bundle ('" + settings.sslBundle()
					+ "') and insecure trust-all are both set; a bundle names what to trust, trust-all trusts"
					+ " anything. Set one of them.");
		}
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
			// Under load most calls wait here an instant (a connection goes back to the pool
			// just after its body ends) and so arm this timer: a cheap one.
			.pendingAcquireTimer(CallTimers::schedule)
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
			.keepAlive(settings.pool().keepAlive())
			.compress(settings.compression())
			.httpResponseDecoder((spec) -> spec.maxChunkSize(MAX_BODY_CHUNK_SIZE))
			.resolver((spec) -> spec.cacheMaxTimeToLive(settings.dns().cacheTtl())
				.cacheNegativeTimeToLive(settings.dns().negativeTtl()))
			// Read and write timeouts live on the connection, instead of Reactor Netty's
			// responseTimeout, which adds and removes a handler for every request.
			.doOnConnected((connection) -> {
				channels.add(connection.channel());
				ConnectionTimeouts.install(connection.channel(), timeouts.read(), timeouts.write());
			})
			.observe(ConnectionTimeouts.observer(timeouts.read(), timeouts.write()))
			.doOnRequest((request, connection) -> {
				boolean reused = connection.channel().attr(USED).get() != null;
				AttemptProgress.startWrite(request.currentContextView(), reused);
				connection.channel().attr(USED).set(Boolean.TRUE);
			});
		// Redirects are followed by FollowRedirects, through the exchange guard, never here.
		httpClient = httpClient.followRedirect(false);
		httpClient = proxy(httpClient, settings.proxy(), timeouts.connect());
		String bundle = settings.sslBundle();
		if (bundle != null) {
			SslContext sslContext = bundleSslContext(name, bundle);
			// secure(Consumer) keeps Reactor Netty's hostname verification switched on.
			httpClient = httpClient.secure((spec) -> spec.sslContext(sslContext));
		}
		else if (Boolean.TRUE.equals(settings.sslInsecureTrustAll())) {
			logger.warn("Client '" + name + "' trusts every server certificate and checks no host name"
					+ " (ssl.insecure-trust-all): its https connections can be intercepted. Use it for local"
					+ " development only; use ssl.bundle to trust a specific certificate.");
			SslContext sslContext = insecureSslContext();
			httpClient = httpClient.secure((spec) -> spec.sslContext(sslContext));
		}
		for (AsyncApiClientCustomizer customizer : this.customizers) {
			httpClient = customizer.customizeHttpClient(name, httpClient);
		}
		return httpClient;
	}

	/**
	 * Route connections through the client's proxy, if it has one. An HTTP proxy is asked
	 * for a {@code CONNECT} tunnel to every target, http and https alike (Netty's
	 * {@code HttpProxyHandler}), so the proxy sees only the target's host and port and, for
	 * https, never the request itself. The proxy handshake gets the connect timeout.
	 */
	private static HttpClient proxy(HttpClient httpClient, AsyncApiClientSettings.Proxy proxy,
			Duration connectTimeout) {
		if (proxy.type() == null) {
			return httpClient;
		}
		String host = required(proxy.host());
		int port = required(proxy.port());
		ProxyProvider.Proxy type = (proxy.type() == AsyncApiClientSettings.ProxyType.SOCKS5)
				? ProxyProvider.Proxy.SOCKS5 : ProxyProvider.Proxy.HTTP;
		String username = proxy.username();
		String password = proxy.password();
		String nonProxyHosts = proxy.nonProxyHosts();
		return httpClient.proxy((spec) -> {
			ProxyProvider.Builder builder = spec.type(type)
				.host(host)
				.port(port)
				.connectTimeoutMillis(connectTimeout.toMillis());
			if (username != null) {
				builder.username(username).password((user) -> (password != null) ? password : "");
			}
			if (nonProxyHosts != null) {
				builder.nonProxyHosts(nonProxyHosts);
			}
		});
	}

	/**
	 * The SSL context of a client using a bundle. It follows the bundle: when Spring Boot
	 * reports an update (a bundle registered with {@code reload-on-update} whose files
	 * changed), connections opened from then on use the new material; a bundle that can no
	 * longer be turned into a context leaves the previous one in use, and says so.
	 */
	private SslContext bundleSslContext(String clientName, String bundleName) {
		ReloadableSslContext context = new ReloadableSslContext(sslContext(this.sslBundles.getBundle(bundleName)));
		this.sslBundles.addBundleUpdateHandler(bundleName, (updated) -> {
			try {
				context.replace(sslContext(updated));
				logger.info("Client '" + clientName + "' uses the updated SSL bundle '" + bundleName
						+ "' for its new connections");
			}
			catch (RuntimeException ex) {
				logger.error("Client '" + clientName + "' could not use the updated SSL bundle '" + bundleName
						+ "' and keeps the previous one for its new connections", ex);
			}
		});
		return context;
	}

	private static SslContext sslContext(SslBundle bundle) {
		try {
			SslOptions options = bundle.getOptions();
			SslContextBuilder builder = SslContextBuilder.forClient()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory())
				.endpointIdentificationAlgorithm("HTTPS");
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

	/**
	 * Trust any certificate. Netty's trust manager accepts every chain without looking at
	 * the host name, so there is no hostname verification either: with any certificate
	 * accepted, checking the name it carries would protect nothing.
	 */
	private static SslContext insecureSslContext() {
		try {
			return SslContextBuilder.forClient()
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.endpointIdentificationAlgorithm(null)
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not build a trust-all SSL context", ex);
		}
	}

	/**
	 * Bundles looked up by a function: there is nothing to watch, so updates are never
	 * reported.
	 */
	private static SslBundles lookUp(Function<String, SslBundle> sslBundles) {
		Assert.notNull(sslBundles, "'sslBundles' must not be null");
		return new SslBundles() {

			@Override
			public SslBundle getBundle(String name) {
				return sslBundles.apply(name);
			}

			@Override
			public void addBundleUpdateHandler(String name, Consumer<SslBundle> updateHandler) {
			}

			@Override
			public void addBundleRegisterHandler(BiConsumer<String, SslBundle> registerHandler) {
			}

			@Override
			public List<String> getBundleNames() {
				return List.of();
			}

		};
	}

	private static <T> T required(@Nullable T value) {
		return Objects.requireNonNull(value, "setting missing after merging with library defaults");
	}

}
