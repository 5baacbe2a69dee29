package dev.asynchttp.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.asynchttp.client.AsyncApiClientSettings;
import dev.asynchttp.client.AsyncApiClients;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that bad {@code async-http.*} configuration fails at startup, and that the failure
 * and its {@link InvalidAsyncHttpPropertyFailureAnalyzer} report name the full property and
 * the fix.
 */
class InvalidAsyncHttpPropertyTests {

	private static final String CLIENT = "async-http.clients.a.";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class));

	@Test
	void maxConnectionsOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.max-connections=0")
			.run(failsWith(CLIENT + "pool.max-connections", "it must be greater than 0 (was 0)",
					"Set a positive number."));
	}

	@Test
	void negativeMaxConnectionsPerHostFails() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.max-connections-per-host=-1")
			.run(failsWith(CLIENT + "pool.max-connections-per-host", "it must be greater than 0 (was -1)",
					"Set a positive number."));
	}

	@Test
	void negativeMaxPendingFails() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.max-pending=-2")
			.run(failsWith(CLIENT + "pool.max-pending", "it must be -1 or more (was -2)",
					"Set -1 for no limit, 0 to refuse whenever all are busy, or a positive number."));
	}

	@Test
	void zeroIsAllowedWhereItIsDocumentedToMeanSomething() {
		this.contextRunner
			.withPropertyValues(CLIENT + "pool.max-pending=0", CLIENT + "pool.eviction-interval=0s",
					CLIENT + "dns.negative-ttl=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AsyncApiClientSettings settings = context.getBean(AsyncApiClients.class).get("a").settings();
				assertThat(settings.pool().maxPending()).isZero();
				assertThat(settings.pool().evictionInterval()).isZero();
				assertThat(settings.dns().negativeTtl()).isZero();
			});
	}

	@Test
	void apiVersionSettingsAreMergedFromDefaultsAndBound() {
		this.contextRunner
			.withPropertyValues("async-http.defaults.api-version.insert.header=X-API-Version",
					CLIENT + "api-version.default=2026-01-01", CLIENT + "api-version.insert.path-segment=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AsyncApiClientSettings.ApiVersion apiVersion = context.getBean(AsyncApiClients.class)
					.get("a")
					.settings()
					.apiVersion();
				assertThat(apiVersion)
					.isEqualTo(new AsyncApiClientSettings.ApiVersion("2026-01-01", "X-API-Version", null, 0, null));
			});
	}

	@Test
	void negativeDisposeInactiveAfterFails() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.dispose-inactive-after=-1s")
			.run(failsWith(CLIENT + "pool.dispose-inactive-after",
					"it must be 0 or at least 1s (pool inactivity is measured in whole seconds) (was PT-1S)",
					"Set 0 to keep every host's pool, or a duration such as 1m."));
	}

	@Test
	void disposeInactiveAfterBelowOneSecondFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("async-http.defaults.pool.dispose-inactive-after=500ms",
				CLIENT + "base-url=http://127.0.0.1:1")
			.run(failsNaming("async-http.defaults.pool.dispose-inactive-after"));
	}

	@Test
	void disposeInactiveAfterWithoutBackgroundEvictionFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "pool.dispose-inactive-after=2m", CLIENT + "pool.eviction-interval=0s")
			.run(failsWith(CLIENT + "pool.dispose-inactive-after",
					"it is PT2M but " + CLIENT + "pool.eviction-interval is 0, so idle connections are never closed"
							+ " in the background and a host's pool never becomes empty enough to be disposed",
					"Set " + CLIENT + "pool.eviction-interval to a positive duration such as 30s, or set " + CLIENT
							+ "pool.dispose-inactive-after to 0."));
	}

	@Test
	void disposeInactiveAfterOfZeroKeepsEveryPoolAndNeedsNoEviction() {
		this.contextRunner
			.withPropertyValues(CLIENT + "pool.dispose-inactive-after=0s", CLIENT + "pool.eviction-interval=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AsyncApiClientSettings settings = context.getBean(AsyncApiClients.class).get("a").settings();
				assertThat(settings.pool().disposeInactiveAfter()).isZero();
			});
	}

	@Test
	void defaultApiVersionWithoutAnInsertLocationFails() {
		this.contextRunner.withPropertyValues(CLIENT + "api-version.default=1.0")
			.run(failsNaming(CLIENT + "api-version.default"));
	}

	@Test
	void apiVersionHeaderThatIsNoTokenFails() {
		this.contextRunner.withPropertyValues(CLIENT + "api-version.insert.header=X Version")
			.run(failsNaming(CLIENT + "api-version.insert.header"));
	}

	@Test
	void negativeApiVersionPathSegmentFails() {
		this.contextRunner.withPropertyValues(CLIENT + "api-version.insert.path-segment=-1")
			.run(failsWith(CLIENT + "api-version.insert.path-segment", "it must not be negative (was -1)",
					"Set 0 or a positive number."));
	}

	@Test
	void maxHostTagsOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "metrics.max-host-tags=0")
			.run(failsWith(CLIENT + "metrics.max-host-tags", "it must be greater than 0 (was 0)",
					"Set a positive number."));
	}

	@Test
	void dnsCacheTtlOfZeroFailsNamingTheProperty() {
		// Reactor Netty's resolver takes whole seconds and cannot be built with a cache TTL of
		// 0 ("maxTtl : 0 (expected: > 0)"), so the value must be refused like every other
		// value the clients cannot start with, instead of surfacing Netty's message.
		this.contextRunner.withPropertyValues(CLIENT + "dns.cache-ttl=0s").run(failsNaming(CLIENT + "dns.cache-ttl"));
	}

	@Test
	void dnsCacheTtlBelowOneSecondFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(CLIENT + "dns.cache-ttl=500ms")
			.run(failsNaming(CLIENT + "dns.cache-ttl"));
	}

	@Test
	void acquireTimeoutOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "pool.acquire-timeout=0s")
			.run(failsWith(CLIENT + "pool.acquire-timeout", "it must be longer than 0",
					"Set a positive duration such as 10s or 500ms."));
	}

	@Test
	void negativeTotalTimeoutFails() {
		this.contextRunner.withPropertyValues(CLIENT + "timeouts.total=-1s")
			.run(failsWith(CLIENT + "timeouts.total", "it must be longer than 0", "Set a positive duration"));
	}

	@Test
	void connectTimeoutLongerThanNettyCanExpressFails() {
		this.contextRunner.withPropertyValues(CLIENT + "timeouts.connect=30d")
			.run(failsWith(CLIENT + "timeouts.connect", "it is longer than Netty can express",
					"Use a connect timeout of a few seconds"));
	}

	@Test
	void negativeDnsCacheTtlFails() {
		this.contextRunner.withPropertyValues(CLIENT + "dns.cache-ttl=-1s")
			.run(failsWith(CLIENT + "dns.cache-ttl", "it must be at least 1s", "Set a duration of at least 1s"));
	}

	@Test
	void maxRedirectsOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "redirects.max=0")
			.run(failsWith(CLIENT + "redirects.max", "it must be greater than 0 (was 0)", "Set a positive number."));
	}

	@Test
	void maxInMemorySizeOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "max-in-memory-size=0")
			.run(failsWith(CLIENT + "max-in-memory-size", "it must be more than 0 and less than 2GB",
					"Set a positive size such as 2MB"));
	}

	@Test
	void maxInMemorySizeAboveTwoGigabytesFails() {
		this.contextRunner.withPropertyValues(CLIENT + "max-in-memory-size=3GB")
			.run(failsWith(CLIENT + "max-in-memory-size", "it must be more than 0 and less than 2GB",
					"Set a positive size such as 2MB"));
	}

	@Test
	void maxResponseSizeOfZeroFails() {
		this.contextRunner.withPropertyValues(CLIENT + "max-response-size=0")
			.run(failsWith(CLIENT + "max-response-size", "it must be more than 0 (was 0B)",
					"Set a size above the largest body this client streams or downloads"));
	}

	@Test
	void invalidValueOfTheDefaultsNamesTheDefaultsProperty() {
		this.contextRunner
			.withPropertyValues("async-http.defaults.pool.max-connections=0", CLIENT + "base-url=https://a.example.com")
			.run(failsWith("async-http.defaults.pool.max-connections", "it must be greater than 0 (was 0)",
					"Set a positive number."));
	}

	@Test
	void invalidValueOfTheDefaultsFailsEvenWithoutClients() {
		this.contextRunner.withPropertyValues("async-http.defaults.timeouts.read=0s")
			.run(failsWith("async-http.defaults.timeouts.read", "it must be longer than 0", "Set a positive duration"));
	}

	@Test
	void maxConnectionsPerHostAboveMaxConnectionsFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "pool.max-connections=5", CLIENT + "pool.max-connections-per-host=6")
			.run(failsWith(CLIENT + "pool.max-connections-per-host",
					"it is 6, above " + CLIENT + "pool.max-connections (5)",
					"Lower " + CLIENT + "pool.max-connections-per-host to at most 5, or raise " + CLIENT
							+ "pool.max-connections."));
	}

	@Test
	void maxConnectionsPerHostAboveMaxConnectionsOfTheDefaultsFails() {
		this.contextRunner
			.withPropertyValues("async-http.defaults.pool.max-connections=5",
					CLIENT + "pool.max-connections-per-host=6")
			.run(failsWith(CLIENT + "pool.max-connections-per-host",
					"it is 6, above " + CLIENT
							+ "pool.max-connections (5), possibly inherited from async-http.defaults",
					"Lower " + CLIENT + "pool.max-connections-per-host to at most 5"));
	}

	@Test
	void maxConnectionsPerHostAboveMaxConnectionsOfAPresetFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "preset=rate-limited-api", CLIENT + "pool.max-connections-per-host=11")
			.run(failsWith(CLIENT + "pool.max-connections-per-host",
					"it is 11, above " + CLIENT + "pool.max-connections (10)", "at most 10"));
	}

	@Test
	void baseUrlWithAnotherSchemeFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=ftp://x")
			.run(failsWith(CLIENT + "base-url", "it is not an absolute http or https URL",
					"Set it to an absolute http or https URL such as https://api.example.com/v1"));
	}

	@Test
	void baseUrlThatIsNotAUrlFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=not a url")
			.run(failsWith(CLIENT + "base-url", "it is not a valid URL", "absolute http or https URL"));
	}

	@Test
	void relativeBaseUrlFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=/v1/things")
			.run(failsWith(CLIENT + "base-url", "it is not an absolute http or https URL",
					"absolute http or https URL"));
	}

	@Test
	void baseUrlWithoutHostFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=http:///v1")
			.run(failsWith(CLIENT + "base-url", "it has no host", "absolute http or https URL"));
	}

	@Test
	void baseUrlWithUserInfoFailsWithoutRepeatingTheCredential() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=http://user:secret@host")
			.run(failsWith(CLIENT + "base-url", "it contains user info (credentials)",
					"put credentials in default-headers").andThen((context) -> {
						assertThat(fullReport(context)).doesNotContain("secret");
						FailureAnalysis analysis = analyze(context);
						assertThat(analysis.getDescription()).doesNotContain("secret");
						assertThat(analysis.getAction()).doesNotContain("secret");
					}));
	}

	@Test
	void baseUrlWithQueryFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=http://h/x?q=1")
			.run(failsWith(CLIENT + "base-url", "it has a query or a fragment",
					"without user info, query or fragment"));
	}

	@Test
	void baseUrlWithDotSegmentFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=https://h/v1/../admin")
			.run(failsWith(CLIENT + "base-url", "its path has a '.' or '..' segment", "https://api.example.com/v1"));
		this.contextRunner.withPropertyValues(CLIENT + "base-url=https://h/v1/%2E%2e")
			.run(failsWith(CLIENT + "base-url", "its path has a '.' or '..' segment", "https://api.example.com/v1"));
	}

	@Test
	void baseUrlWithFragmentFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=https://h/x#top")
			.run(failsWith(CLIENT + "base-url", "it has a query or a fragment",
					"without user info, query or fragment"));
	}

	@Test
	void defaultHeaderWithLineBreakFails() {
		this.contextRunner.withPropertyValues(CLIENT + "default-headers.X-Injected=a\r\nX-Evil: 1")
			.run(failsWith(CLIENT + "default-headers.X-Injected", "the header value contains a line break",
					"Remove the line break"));
	}

	@Test
	void defaultHeaderWithNulOrAnotherControlCharacterFails() {
		this.contextRunner.withPropertyValues(CLIENT + "default-headers.X-Nul=a\u0000b")
			.run(failsWith(CLIENT + "default-headers.X-Nul", "NUL or another control character",
					"Remove the line break or control character"));
		this.contextRunner.withPropertyValues(CLIENT + "default-headers.X-Bell=a\u0007b")
			.run(failsWith(CLIENT + "default-headers.X-Bell", "NUL or another control character",
					"Remove the line break or control character"));
	}

	@Test
	void defaultHeaderValueIsNotRepeatedInTheError() {
		this.contextRunner.withPropertyValues("async-http.defaults.default-headers.X-Api-Key=s3cr3t\nX-Evil: 1")
			.run(failsWith("async-http.defaults.default-headers.X-Api-Key", "line break", "Remove the line break")
				.andThen((context) -> assertThat(context.getStartupFailure()).rootCause()
					.message()
					.doesNotContain("s3cr3t")));
	}

	@Test
	void defaultHeaderNameThatIsNotATokenFails() {
		this.contextRunner.withPropertyValues(CLIENT + "default-headers[X Bad]=1")
			.run(failsWith(CLIENT + "default-headers.X Bad", "'X Bad' is not a valid header name",
					"Use a header name made of letters, digits"));
		this.contextRunner.withPropertyValues(CLIENT + "default-headers[X(Evil)]=1")
			.run(failsWith(CLIENT + "default-headers.X(Evil)", "is not a valid header name", "such as X-Request-Source"));
	}

	@Test
	void defaultHeaderNamedTwiceIgnoringCaseInOneLayerFails() {
		this.contextRunner.withPropertyValues(CLIENT + "default-headers[X-Env]=a", CLIENT + "default-headers[x-env]=b")
			.run(failsWith(CLIENT + "default-headers.x-env",
					"it names the same header as " + CLIENT + "default-headers.X-Env (header names ignore case)",
					"Keep only one of them."));
	}

	@Test
	void proxyTypeWithoutHostOrPortFailsNamingTheMissingProperty() {
		this.contextRunner.withPropertyValues(CLIENT + "proxy.type=http", CLIENT + "proxy.port=3128")
			.run(failsWith(CLIENT + "proxy.host", "it is not set but " + CLIENT + "proxy.type is http",
					"Set " + CLIENT + "proxy.host to the proxy's host name"));
		this.contextRunner.withPropertyValues("async-http.defaults.proxy.type=socks5",
				"async-http.defaults.proxy.host=proxy.internal")
			.run(failsWith("async-http.defaults.proxy.port", "it is not set but async-http.defaults.proxy.type is socks5",
					"Set async-http.defaults.proxy.port to the proxy's port"));
	}

	@Test
	void proxyHostWithSchemeOrPortFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "proxy.type=http", CLIENT + "proxy.host=http://proxy.internal",
					CLIENT + "proxy.port=3128")
			.run(failsWith(CLIENT + "proxy.host", "it must be a host name or IP address alone",
					"the port in " + CLIENT + "proxy.port"));
	}

	@Test
	void proxySettingsWithoutTypeFailRatherThanBeingIgnored() {
		this.contextRunner.withPropertyValues(CLIENT + "proxy.host=proxy.internal", CLIENT + "proxy.port=3128")
			.run(failsWith(CLIENT + "proxy.type",
					"it is not set, so " + CLIENT + "proxy.host would be ignored and connections would not go through"
							+ " the proxy",
					"Set " + CLIENT + "proxy.type to http or socks5"));
	}

	@Test
	void proxyPasswordWithoutUserNameFailsWithoutShowingIt() {
		this.contextRunner
			.withPropertyValues(CLIENT + "proxy.type=http", CLIENT + "proxy.host=proxy.internal",
					CLIENT + "proxy.port=3128", CLIENT + "proxy.password=pr0xy-s3cr3t")
			.run(failsWith(CLIENT + "proxy.password", "a password is set without " + CLIENT + "proxy.username",
					"Set " + CLIENT + "proxy.username too")
				.andThen((context) -> assertThat(context.getStartupFailure()).rootCause()
					.message()
					.doesNotContain("pr0xy-s3cr3t")));
	}

	@Test
	void proxyUserNameWithoutPasswordFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "proxy.type=http", CLIENT + "proxy.host=proxy.internal",
					CLIENT + "proxy.port=3128", CLIENT + "proxy.username=svc")
			.run(failsWith(CLIENT + "proxy.username", "so no credentials would be sent",
					"Set " + CLIENT + "proxy.password too"));
	}

	@Test
	void proxyNonProxyHostsThatIsNotARegularExpressionFails() {
		this.contextRunner
			.withPropertyValues(CLIENT + "proxy.type=http", CLIENT + "proxy.host=proxy.internal",
					CLIENT + "proxy.port=3128", CLIENT + "proxy.non-proxy-hosts=*.internal")
			.run(failsWith(CLIENT + "proxy.non-proxy-hosts", "it is not a valid regular expression (Dangling",
					"such as localhost|.*\\.internal"));
	}

	@Test
	void completeProxyIsAccepted() {
		this.contextRunner
			.withPropertyValues(CLIENT + "proxy.type=socks5", CLIENT + "proxy.host=proxy.internal",
					CLIENT + "proxy.port=1080", CLIENT + "proxy.username=svc", CLIENT + "proxy.password=",
					CLIENT + "proxy.non-proxy-hosts=localhost|.*\\.internal")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void sslBundleAndInsecureTrustAllTogetherFailNamingBoth() {
		this.contextRunner
			.withBean(SslBundles.class, () -> new DefaultSslBundleRegistry("dev", SslBundle.of(null)))
			.withPropertyValues("async-http.defaults.ssl.bundle=dev", CLIENT + "ssl.insecure-trust-all=true")
			.run(failsWith(CLIENT + "ssl.insecure-trust-all",
					"it is true while async-http.defaults.ssl.bundle is set",
					"Keep async-http.defaults.ssl.bundle and set " + CLIENT + "ssl.insecure-trust-all=false"));
	}

	@Test
	void unknownPresetOfAClientFailsNamingThePropertyAndTheValidNames() {
		this.contextRunner
			.withPropertyValues("async-http.presets.partner.pool.max-connections=7", CLIENT + "preset=turbo")
			.run(failsWith(CLIENT + "preset", "there is no preset named 'turbo'",
					"Set one of high-concurrency, persistent, rate-limited-api, partner, or define it under"
							+ " async-http.presets.turbo."));
	}

	@Test
	void unknownPresetOfTheDefaultsFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("async-http.defaults.preset=turbo")
			.run(failsWith("async-http.defaults.preset", "there is no preset named 'turbo'",
					"Set one of high-concurrency, persistent, rate-limited-api, or define it"));
	}

	@Test
	void applicationPresetThatNamesAnotherPresetFails() {
		this.contextRunner
			.withPropertyValues("async-http.presets.partner.preset=rate-limited-api",
					"async-http.presets.partner.pool.max-connections=7")
			.run(failsWith("async-http.presets.partner.preset", "a preset cannot name another preset",
					"Set the values you need from 'rate-limited-api' in async-http.presets.partner itself"));
	}

	@Test
	void applicationPresetWithTheNameOfABuiltInPresetFails() {
		this.contextRunner.withPropertyValues("async-http.presets.persistent.pool.max-idle-time=5m")
			.run(failsWith("async-http.presets.persistent", "it has the name of the built-in preset 'persistent'",
					"Rename it, such as persistent-custom"));
	}

	@Test
	void applicationPresetWithMetricsFails() {
		this.contextRunner.withPropertyValues("async-http.presets.partner.metrics.per-host=false")
			.run(failsWith("async-http.presets.partner", "presets do not set metrics.* or health.*",
					"Set them on the client"));
	}

	@Test
	void applicationPresetValuesAreCheckedEvenWhenNoClientNamesIt() {
		this.contextRunner.withPropertyValues("async-http.presets.partner.pool.max-connections=0")
			.run(failsWith("async-http.presets.partner.pool.max-connections", "it must be greater than 0 (was 0)",
					"Set a positive number."));
	}

	@Test
	void applicationPresetWithAnInvalidNameFails() {
		this.contextRunner.withPropertyValues("async-http.presets.9lives.pool.max-connections=7")
			.run(failsWith("async-http.presets.9lives", "preset name '9lives' is not valid",
					"starts with a letter"));
	}

	@Test
	void unknownSslBundleFails() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(CLIENT + "base-url=https://a.example.com", CLIENT + "ssl.bundle=missing")
			.run(failsWith(CLIENT + "ssl.bundle", "there is no SSL bundle named 'missing'",
					"Define the bundle under spring.ssl.bundle.pem.missing or spring.ssl.bundle.jks.missing, or remove "
							+ CLIENT + "ssl.bundle."));
	}

	@Test
	void unknownSslBundleOfTheDefaultsFails() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("async-http.defaults.ssl.bundle=missing")
			.run(failsWith("async-http.defaults.ssl.bundle", "there is no SSL bundle named 'missing'",
					"spring.ssl.bundle.pem.missing"));
	}

	@Test
	void sslBundleWithoutSslAutoConfigurationFails() {
		this.contextRunner.withPropertyValues(CLIENT + "base-url=https://a.example.com", CLIENT + "ssl.bundle=missing")
			.run(failsWith(CLIENT + "ssl.bundle", "no SSL bundles are available", "spring.ssl.bundle.pem.missing"));
	}

	@Test
	void clientNameStartingWithADigitFails() {
		this.contextRunner.withPropertyValues("async-http.clients[1abc].base-url=https://a.example.com")
			.run(failsWith("async-http.clients.1abc", "client name '1abc' is not valid",
					"Use a name that starts with a letter and has only letters, digits, '-' and '_'"));
	}

	@Test
	void clientNameWithASpaceFails() {
		this.contextRunner.withPropertyValues("async-http.clients[my api].base-url=https://a.example.com")
			.run(failsWith("async-http.clients.my api", "client name 'my api' is not valid",
					"Use a name that starts with a letter"));
	}

	@Test
	void failureAnalyzerIsRegistered() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, ex) -> {
			}))).hasAtLeastOneElementOfType(InvalidAsyncHttpPropertyFailureAnalyzer.class);
	}

	/**
	 * Assert that startup failed because of {@code property}: the root cause is an
	 * {@link InvalidAsyncHttpPropertyException} for it, and both the exception and the
	 * failure analysis name the property, the reason and the fix.
	 */
	private static ContextConsumer<AssertableApplicationContext> failsWith(String property, String reason,
			String action) {
		return (context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			// The root cause, or the failure itself when it has no cause.
			Throwable rootCause = NestedExceptionUtils.getMostSpecificCause(failure);
			assertThat(rootCause).isInstanceOf(InvalidAsyncHttpPropertyException.class);
			InvalidAsyncHttpPropertyException cause = (InvalidAsyncHttpPropertyException) rootCause;
			assertThat(cause.getProperty()).isEqualTo(property);
			assertThat(cause.getReason()).contains(reason);
			assertThat(cause.getAction()).contains(action);
			assertThat(cause.getMessage()).contains("'" + property + "'").contains(reason).contains(action);
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason);
			assertThat(analysis.getAction()).contains(action);
			assertThat(analysis.getCause()).isSameAs(cause);
		};
	}

	/**
	 * Like {@link #failsWith} for a property whose reason and fix wording is left to the
	 * implementation: only that they are there.
	 */
	private static ContextConsumer<AssertableApplicationContext> failsNaming(String property) {
		return failsWith(property, "", "").andThen((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'" + property + "' is invalid: ");
			assertThat(analysis.getAction()).isNotBlank();
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		FailureAnalysis analysis = new InvalidAsyncHttpPropertyFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static String fullReport(AssertableApplicationContext context) {
		StringWriter report = new StringWriter();
		context.getStartupFailure().printStackTrace(new PrintWriter(report));
		return report.toString();
	}

}
