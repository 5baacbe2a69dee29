package dev.asynchttp.client;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The checks of {@link SafeUris} that other parts (the exchange filter, redirects) reuse.
 */
class SafeUrisTests {

	@Test
	void dotSegmentsAreFoundInEveryFormAServerMayReadAsOne() {
		List<String> dotted = List.of(".", "..", "/.", "/..", "/a/./b", "/a/../b", "/a/..", "/%2e", "/%2E%2e/b",
				"/.%2e/b", "/%2e./b", "/a/..;jsessionid=1/b", "/a/.;x", "/a/..%3Bx/b", "/a/..%2Fb", "/a/..%2fb",
				"/a/..\\b", "/a/..%5cb", "/a\\..\\b", "/a/%2e%2e%2f");
		List<String> clean = List.of("", "/", "/a", "/.well-known", "/a/.../b", "/a/..b", "/a/b..", "/a/%2e%2eb",
				"/a/%252e%252e/b", "/a/%2x/b", "/a/%2", "/a/%", "/a;..", "/a/x.%2e", "/a/%c0%ae%c0%ae/b");

		assertThat(dotted).allSatisfy((path) -> assertThat(SafeUris.hasDotSegment(path)).as(path).isTrue());
		assertThat(clean).allSatisfy((path) -> assertThat(SafeUris.hasDotSegment(path)).as(path).isFalse());
	}

	@Test
	void aUriIsUnderABaseUrlOnlyOnItsOriginAndBelowItsPathSegmentBySegment() {
		URI base = URI.create("https://Api.Example.com/v1");
		List<String> under = List.of("https://api.example.com/v1", "https://api.example.com/v1/",
				"https://API.example.com:443/v1/x?q=1", "HTTPS://api.example.com/v1/x/y#f");
		List<String> outside = List.of("https://api.example.com/v10", "https://api.example.com/v1x/y",
				"https://api.example.com/", "https://api.example.com", "https://api.example.com/V1",
				"http://api.example.com/v1", "https://api.example.com:8443/v1", "https://evil.com/v1",
				"https://api.example.com.evil.com/v1", "https://u@api.example.com/v1", "https://api.example.com/v1/../x",
				"https://api.example.com/v1/%2e%2e/x", "/v1/x", "ftp://api.example.com/v1");

		assertThat(under).allSatisfy((uri) -> assertThat(SafeUris.whyNotUnder(base, URI.create(uri))).as(uri).isNull());
		assertThat(outside)
			.allSatisfy((uri) -> assertThat(SafeUris.whyNotUnder(base, URI.create(uri))).as(uri).isNotNull());
		assertThatNoException().isThrownBy(() -> SafeUris.checkUnder(base, URI.create("https://api.example.com/v1/a")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SafeUris.checkUnder(base, URI.create("https://api.example.com/v10?key=s3cr3t")))
			.withMessageContaining("leaves the path")
			.withMessageNotContaining("s3cr3t");
	}

	@Test
	void aBaseUrlWithoutPathOrWithATrailingSlashAdmitsWhatFollowsIt() {
		assertThat(SafeUris.whyNotUnder(URI.create("http://h"), URI.create("http://h/anything"))).isNull();
		assertThat(SafeUris.whyNotUnder(URI.create("http://h/"), URI.create("http://h"))).isNull();
		assertThat(SafeUris.whyNotUnder(URI.create("http://h/v1/"), URI.create("http://h/v1/x"))).isNull();
		assertThat(SafeUris.whyNotUnder(URI.create("http://h/v1/"), URI.create("http://h/v10/x"))).isNotNull();
	}

	@Test
	void sameOriginComparesSchemeHostAndEffectivePort() {
		assertThat(SafeUris.sameOrigin(URI.create("http://h/a"), URI.create("HTTP://H:80/b"))).isTrue();
		assertThat(SafeUris.sameOrigin(URI.create("https://h/a"), URI.create("https://h:443"))).isTrue();
		assertThat(SafeUris.sameOrigin(URI.create("https://h/a"), URI.create("http://h/a"))).isFalse();
		assertThat(SafeUris.sameOrigin(URI.create("http://h/a"), URI.create("http://h:8080/a"))).isFalse();
		assertThat(SafeUris.sameOrigin(URI.create("http://h/a"), URI.create("/a"))).isFalse();
	}

	@Test
	void theApiVersionSegmentMayStandInsideTheBasePath() {
		SafeUris uris = new SafeUris(URI.create("http://h/api/v1"), 1);

		assertThat(uris.whyNotUnder(URI.create("http://h/api/v1/items"))).isNull();
		assertThat(uris.whyNotUnder(URI.create("http://h/api/2.0/v1/items"))).isNull();
		assertThat(uris.whyNotUnder(URI.create("http://h/api/2.0/v1"))).isNull();
		assertThat(uris.whyNotUnder(URI.create("http://h/api/2.0/v2/items"))).isNotNull();
		assertThat(uris.whyNotUnder(URI.create("http://h/api/2.0"))).isNotNull();
		assertThat(uris.whyNotUnder(URI.create("http://h/other/2.0/v1"))).isNotNull();
	}

	@Test
	void withoutBaseUrlAHostThatJavaCannotParseStillPassesButADotSegmentDoesNot() {
		SafeUris uris = new SafeUris(null);

		assertThat(uris.expand("http://my_service:8080/items/{id}", null, "1"))
			.hasToString("http://my_service:8080/items/1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> uris.expand("http://my_service:8080/items/{id}", null, "a/../../b"))
			.withMessageContaining("'.' or '..' path segment");
	}

	@Test
	void aBaseUrlWithADotSegmentIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SafeUris(URI.create("http://h/v1/../admin")));
	}

}
