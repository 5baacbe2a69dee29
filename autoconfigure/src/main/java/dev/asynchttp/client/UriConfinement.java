package dev.asynchttp.client;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The first filter of a client with a {@code base-url}: every request its
 * {@code WebClient} sends, whichever way its URI was made ({@code uri(URI)},
 * {@code uri(Function<UriBuilder, URI>)}, an HTTP interface's {@code URI} argument, an API
 * version inserted as a path segment), must be under the base URL, as
 * {@link SafeUris#whyNotUnder(URI)} says; any other fails with
 * {@link AsyncHttpInvalidRequestException}, unsent, before it waits for or takes any
 * permit. Only the URL as it is now is checked, without parsing or allocating: filters that
 * customizers add run after this one.
 */
final class UriConfinement implements ExchangeFilterFunction {

	private final SafeUris uris;

	private final ExchangeErrors errors;

	UriConfinement(SafeUris uris, ExchangeErrors errors) {
		this.uris = uris;
		this.errors = errors;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String problem = this.uris.whyNotUnder(request.url());
		if (problem != null) {
			return Mono.error(new AsyncHttpInvalidRequestException(problem + "; base-url is " + this.uris.baseUrl(),
					this.errors.context(request)));
		}
		return next.exchange(request);
	}

}
