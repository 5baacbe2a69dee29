package dev.asynchttp.client;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asynchttp.client.AsyncApiClientSettings.RequestLogging;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The request log of one client ({@code logging.requests}): one line per attempt, at INFO
 * on the logger {@value #LOGGER_NAME}, with the client, the method, the URI as
 * {@link SafeText} shows it, the status or the kind of error, the attempt number and the
 * time from the attempt's start (waits for permits included) to the response's status and
 * headers. With {@link RequestLogging#HEADERS} the line also holds the request headers as
 * they leave the client's exchange filter and the response headers, values of
 * {@linkplain AsyncApiClientSettings#sensitive() sensitive headers} masked. Only a client
 * whose log is on has one, so a client with {@code none} pays nothing per call.
 */
final class RequestLog {

	static final String LOGGER_NAME = "dev.asynchttp.client.requests";

	private static final Log logger = LogFactory.getLog(LOGGER_NAME);

	private final String clientName;

	private final boolean withHeaders;

	private final SensitiveHeaders sensitive;

	private RequestLog(String clientName, boolean withHeaders, SensitiveHeaders sensitive) {
		this.clientName = clientName;
		this.withHeaders = withHeaders;
		this.sensitive = sensitive;
	}

	/**
	 * The request log of a client.
	 * @param clientName the client name
	 * @param settings the client's resolved settings
	 * @return the log, or {@code null} when {@code logging.requests} is {@code none}
	 */
	static @Nullable RequestLog of(String clientName, AsyncApiClientSettings settings) {
		RequestLogging mode = settings.requestLogging();
		if (mode == null || mode == RequestLogging.NONE) {
			return null;
		}
		return new RequestLog(clientName, mode == RequestLogging.HEADERS, settings.sensitive());
	}

	/**
	 * Log one attempt when it gets its response head, fails or is cancelled.
	 * @param request the request as it leaves the exchange filter
	 * @param progress the attempt
	 * @param exchange the attempt's exchange, subscribed once
	 * @return the exchange, logged
	 */
	Mono<ClientResponse> attempt(ClientRequest request, AttemptProgress progress, Mono<ClientResponse> exchange) {
		if (!logger.isInfoEnabled()) {
			return exchange;
		}
		long start = System.nanoTime();
		// A cancel may follow the response; the attempt is logged once, by what came first.
		AtomicBoolean logged = new AtomicBoolean();
		return exchange
			.doOnNext((response) -> log(logged, request, progress, start,
					"status=" + response.statusCode().value(), response))
			.doOnError((ex) -> log(logged, request, progress, start, "error=" + kind(ex), null))
			.doOnCancel(() -> log(logged, request, progress, start, "error=cancelled", null));
	}

	private void log(AtomicBoolean logged, ClientRequest request, AttemptProgress progress, long start,
			String outcome, @Nullable ClientResponse response) {
		if (!logged.compareAndSet(false, true)) {
			return;
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		StringBuilder line = new StringBuilder(160).append("client=")
			.append(this.clientName)
			.append(" method=")
			.append(request.method().name())
			.append(" uri=")
			.append(SafeText.uri(request.url()))
			.append(' ')
			.append(outcome)
			.append(" attempt=")
			.append(progress.attempt())
			.append(" duration=")
			.append(millis)
			.append("ms");
		if (this.withHeaders) {
			line.append(" request-headers=").append(SafeText.headers(request.headers(), this.sensitive));
			if (!request.cookies().isEmpty()) {
				// Cookies go out as one Cookie header, which is always sensitive: names only.
				line.append(" request-cookies=").append(request.cookies().keySet());
			}
			if (response != null) {
				line.append(" response-headers=")
					.append(SafeText.headers(response.headers().asHttpHeaders(), this.sensitive));
			}
		}
		logger.info(line);
	}

	/**
	 * A short name of what went wrong, like the {@code reason} of retry metrics.
	 */
	static String kind(Throwable error) {
		if (error instanceof AsyncHttpTimeoutException timeout) {
			return timeout.getKind().name().toLowerCase(Locale.ROOT) + "_timeout";
		}
		if (error instanceof AsyncHttpOverloadException) {
			return "overload";
		}
		if (error instanceof AsyncHttpSharedLimitUnavailableException) {
			return "shared_limit_unavailable";
		}
		if (error instanceof AsyncHttpRateLimitException) {
			return "rate_limit";
		}
		if (error instanceof AsyncHttpClientClosedException) {
			return "client_closed";
		}
		if (error instanceof AsyncHttpInvalidRequestException) {
			return "invalid_request";
		}
		if (error instanceof AsyncHttpConnectException connect) {
			return connect.isNotSent() ? "connect" : "connection_closed";
		}
		return error.getClass().getSimpleName();
	}

}
