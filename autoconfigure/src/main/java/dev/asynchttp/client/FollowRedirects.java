package dev.asynchttp.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpRedirectException.Reason;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Follows redirects in async-http's own filter chain instead of Reactor Netty's, so that
 * each redirected request goes through the {@link ExchangeGuard} like any attempt: the
 * host's cool-down, a rate-limit permit, a connection permit, inside the call's deadline.
 * Registered in front of the guard, and only for clients with {@code redirects.follow}.
 * <p>
 * Method and body follow the Fetch standard, as browsers do: a 303 turns any method but
 * GET and HEAD into a GET without body, as does a 301 or 302 for a POST; otherwise (307,
 * 308, and 301/302 for other methods) method and body are kept, which needs a body that can
 * be sent again. A redirect to another origin (scheme, host or port) drops every
 * {@linkplain AsyncApiClientSettings#sensitive() sensitive header} and the cookies.
 */
final class FollowRedirects implements ExchangeFilterFunction {

	/**
	 * Request attribute ({@code Boolean.TRUE}) that says the request's body can be written
	 * again (a value, not a one-shot stream).
	 */
	static final String REPLAYABLE_BODY_ATTRIBUTE = FollowRedirects.class.getName() + ".replayableBody";

	/**
	 * Request attribute on every redirected request: how many redirects led to it. Its
	 * target was checked here: on the base URL's origin it stays under the base path; on
	 * another origin it is allowed, without sensitive headers, so a base-url check further
	 * down the chain must not refuse it for its origin.
	 */
	static final String REDIRECTS_ATTRIBUTE = FollowRedirects.class.getName() + ".redirects";

	/**
	 * Headers that describe a request body, dropped with the body when a redirect turns the
	 * request into a GET.
	 */
	private static final List<String> BODY_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH,
			HttpHeaders.CONTENT_ENCODING, HttpHeaders.CONTENT_LANGUAGE, HttpHeaders.CONTENT_LOCATION,
			HttpHeaders.TRANSFER_ENCODING);

	private final String clientName;

	private final int max;

	private final boolean allowDowngrade;

	private final SensitiveHeaders sensitive;

	private final @Nullable URI baseUrl;

	private final ExchangeErrors errors;

	FollowRedirects(ClientRuntime runtime) {
		AsyncApiClientSettings settings = runtime.settings();
		this.clientName = runtime.name();
		this.max = settings.redirects().max();
		this.allowDowngrade = Boolean.TRUE.equals(settings.redirects().allowDowngrade());
		this.sensitive = settings.sensitive();
		this.baseUrl = settings.baseUrl();
		this.errors = runtime.errors();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.deferContextual((view) -> {
			AttemptProgress progress = view.getOrDefault(AttemptProgress.CONTEXT_KEY, null);
			if (progress != null) {
				return follow(request, request, next, progress, 0, null);
			}
			// A plain webClient() call: one progress across its redirects, so that a failure
			// after the first one was answered never claims the request was not sent.
			AttemptProgress tracked = new AttemptProgress();
			return follow(request, request, next, tracked, 0, null)
				.contextWrite((ctx) -> ctx.put(AttemptProgress.CONTEXT_KEY, tracked));
		});
	}

	private Mono<ClientResponse> follow(ClientRequest original, ClientRequest request, ExchangeFunction next,
			AttemptProgress progress, int redirects, @Nullable Set<String> visited) {
		return next.exchange(request).flatMap((response) -> {
			int status = response.statusCode().value();
			String location = isRedirect(status) ? response.headers().asHttpHeaders().getFirst(HttpHeaders.LOCATION)
					: null;
			if (location == null) {
				return Mono.just(response);
			}
			ClientRequest redirected;
			try {
				redirected = redirect(original, request, status, location, redirects, visited);
			}
			catch (AsyncHttpRedirectException ex) {
				return response.releaseBody().onErrorComplete().then(Mono.error(ex));
			}
			Set<String> seen = (visited != null) ? visited : new HashSet<>(List.of(key(request)));
			seen.add(key(redirected));
			// The redirect's own body is read off, so its connection and permit are free
			// before the next request asks for them.
			return response.releaseBody().then(Mono.defer(() -> {
				progress.markRedirected();
				return follow(original, redirected, next, progress, redirects + 1, seen);
			}));
		});
	}

	private ClientRequest redirect(ClientRequest original, ClientRequest request, int status, String location,
			int redirects, @Nullable Set<String> visited) {
		URI from = request.url();
		URI target = target(original, from, location, status, redirects);
		if (redirects >= this.max) {
			throw refused(Reason.TOO_MANY, "more than " + this.max + " redirects (" + status + " after " + redirects
					+ "); raise " + property("redirects.max") + " if the chain is expected", original, status,
					redirects);
		}
		HttpMethod method = request.method();
		boolean toGet = (status == 303 && method != HttpMethod.GET && method != HttpMethod.HEAD)
				|| ((status == 301 || status == 302) && method == HttpMethod.POST);
		HttpMethod nextMethod = toGet ? HttpMethod.GET : method;
		if ((visited != null) ? visited.contains(key(nextMethod, target)) : key(request).equals(key(nextMethod, target))) {
			throw refused(Reason.LOOP, "redirect loop (" + status + " back to a URL already requested after "
					+ redirects + " redirects); " + property("redirects.max") + " (" + this.max
					+ ") bounds redirect chains", original, status, redirects);
		}
		if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(target.getScheme())
				&& !this.allowDowngrade) {
			throw refused(Reason.DOWNGRADE, "https to http (" + status + " to " + origin(target) + "); set "
					+ property("redirects.allow-downgrade") + "=true to follow it", original, status, redirects);
		}
		if (!toGet && request.body() != BodyInserters.empty()
				&& !Boolean.TRUE.equals(request.attribute(REPLAYABLE_BODY_ATTRIBUTE).orElse(null))) {
			throw refused(Reason.BODY_NOT_REPLAYABLE, "a " + status + " keeps the " + method.name()
					+ " body, which was given as a stream and cannot be sent again; pass the body as a value",
					original, status, redirects);
		}
		ClientRequest.Builder builder = ClientRequest.from(request)
			.url(target)
			.attribute(REDIRECTS_ATTRIBUTE, redirects + 1);
		if (toGet) {
			builder.method(HttpMethod.GET)
				.body(BodyInserters.empty())
				.headers((headers) -> BODY_HEADERS.forEach(headers::remove));
		}
		if (!SafeUris.sameOrigin(from, target)) {
			builder.headers(this::removeSensitive).cookies((cookies) -> cookies.clear());
		}
		return builder.build();
	}

	/**
	 * Resolve and check a redirect target.
	 */
	private URI target(ClientRequest original, URI from, String location, int status, int redirects) {
		URI target;
		try {
			target = from.resolve(new URI(location)).normalize();
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			throw refused(Reason.INVALID_LOCATION, "the " + status + " Location is not a valid URI", original, status,
					redirects);
		}
		String scheme = target.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| target.getHost() == null) {
			throw refused(Reason.INVALID_LOCATION, "the " + status + " Location is not an http or https URL",
					original, status, redirects);
		}
		if (target.getRawUserInfo() != null) {
			throw refused(Reason.INVALID_LOCATION, "the " + status + " Location carries user info", original, status,
					redirects);
		}
		if (target.getRawFragment() != null) {
			target = withoutFragment(target);
		}
		if (this.baseUrl != null && SafeUris.sameOrigin(this.baseUrl, target)
				&& SafeUris.whyNotUnder(this.baseUrl, target) != null) {
			throw refused(Reason.OUTSIDE_BASE_URL, "the " + status + " leaves the path of base-url " + this.baseUrl
					+ " on its own origin", original, status, redirects);
		}
		return target;
	}

	private void removeSensitive(HttpHeaders headers) {
		List<String> names = new ArrayList<>();
		for (String name : headers.headerNames()) {
			if (this.sensitive.isSensitive(name)) {
				names.add(name);
			}
		}
		names.forEach(headers::remove);
		// Set for the first origin only; Reactor Netty writes the right one when absent.
		headers.remove(HttpHeaders.HOST);
	}

	private AsyncHttpRedirectException refused(Reason reason, String problem, ClientRequest original, int status,
			int redirects) {
		RequestContext context = this.errors.context(original);
		return new AsyncHttpRedirectException(reason, problem, context, status, redirects);
	}

	private String property(String name) {
		return "async-http.clients." + this.clientName + "." + name;
	}

	private static boolean isRedirect(int status) {
		return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

	private static URI withoutFragment(URI uri) {
		// The fragment starts at the first '#': one cannot appear unencoded before it.
		String text = uri.toString();
		return URI.create(text.substring(0, text.indexOf('#')));
	}

	private static String key(ClientRequest request) {
		return key(request.method(), request.url());
	}

	private static String key(HttpMethod method, URI uri) {
		return method.name() + " " + uri;
	}

}
