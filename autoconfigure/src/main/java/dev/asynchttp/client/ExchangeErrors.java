package dev.asynchttp.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Turns what Netty, Reactor Netty and the pools throw into the typed
 * {@link AsyncHttpException} family. Errors that are already typed, HTTP status errors and
 * anything not about transport pass through unchanged.
 */
final class ExchangeErrors {

	static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	private final String clientName;

	private final AsyncApiClientSettings settings;

	private final AsyncApiClientObserver observer;

	ExchangeErrors(String clientName, AsyncApiClientSettings settings, AsyncApiClientObserver observer) {
		this.clientName = clientName;
		this.settings = settings;
		this.observer = observer;
	}

	RequestContext context(ClientRequest request) {
		Object template = request.attributes().get(URI_TEMPLATE_ATTRIBUTE);
		String uri = (template != null) ? template.toString() : pathOf(request);
		return new RequestContext(this.clientName, request.method(), uri);
	}

	private static String pathOf(ClientRequest request) {
		String path = request.url().getRawPath();
		return (path == null || path.isEmpty()) ? "/" : path;
	}

	Throwable translate(Throwable error, RequestContext request, RequestState state, boolean closed) {
		return translate(error, request, state, RequestState.NOT_SENT, closed);
	}

	/**
	 * Translate a failure of an exchange.
	 * @param state how far the request got
	 * @param unsent the state of a failure before the request was written:
	 * {@code NOT_SENT}, except for a request that follows a redirect, when the call's first
	 * request was sent already
	 */
	Throwable translate(Throwable error, RequestContext request, RequestState state, RequestState unsent,
			boolean closed) {
		if (error instanceof AsyncHttpException) {
			return error;
		}
		Throwable translated = doTranslate(error, request, state, unsent, closed);
		if (translated != error) {
			notifyObserver(translated);
		}
		return translated;
	}

	/**
	 * Translate a failure of a response body as it comes off the connection, before any
	 * decoding: whatever the transport or Netty's HTTP decoder raised there (a reset, an
	 * early close, a malformed chunk) is a failed response whose outcome is unknown.
	 */
	Throwable translateBody(Throwable error, RequestContext request, boolean closed) {
		Throwable translated = translate(error, request, RequestState.OUTCOME_UNKNOWN, closed);
		if (translated instanceof WebClientException || translated instanceof Error) {
			return translated;
		}
		// Left alone, Spring would wrap it as a WebClientResponseException with the
		// response's (successful) status.
		return new AsyncHttpConnectException("invalid or incomplete response (" + describe(translated) + ")",
				request, RequestState.OUTCOME_UNKNOWN, translated);
	}

	void notifyObserver(Throwable error) {
		if (error instanceof AsyncHttpTimeoutException timeout) {
			this.observer.timedOut(this.clientName, timeout.getKind());
		}
		else if (error instanceof AsyncHttpOverloadException) {
			this.observer.overloaded(this.clientName);
		}
	}

	private Throwable doTranslate(Throwable error, RequestContext request, RequestState state, RequestState unsent,
			boolean closed) {
		Throwable cause = (error instanceof WebClientRequestException && error.getCause() != null)
				? error.getCause() : error;
		AsyncApiClientSettings.Timeouts timeouts = this.settings.timeouts();
		if (cause instanceof ConnectTimeoutException) {
			return new AsyncHttpTimeoutException(Kind.CONNECT, timeouts.connect(), request, unsent, cause);
		}
		if (cause instanceof ReadTimeoutException) {
			return new AsyncHttpTimeoutException(Kind.READ, timeouts.read(), request, state, cause);
		}
		if (cause instanceof WriteTimeoutException) {
			return new AsyncHttpTimeoutException(Kind.WRITE, timeouts.write(), request, state, cause);
		}
		String type = cause.getClass().getName();
		if (cause instanceof reactor.pool.PoolAcquireTimeoutException
				|| type.endsWith(".PoolAcquireTimeoutException")) {
			return new AsyncHttpTimeoutException(Kind.ACQUIRE, this.settings.pool().acquireTimeout(), request,
					unsent, cause);
		}
		if (cause instanceof reactor.pool.PoolAcquirePendingLimitException
				|| type.endsWith(".PoolAcquirePendingLimitException")) {
			return new AsyncHttpOverloadException(request, maxPending(), unsent, cause);
		}
		if (cause instanceof reactor.pool.PoolShutdownException || type.endsWith(".PoolShutdownException")) {
			if (closed) {
				return new AsyncHttpClientClosedException(request, unsent, cause);
			}
			// The client is open: the host's pool was disposed for inactivity just as this call
			// took it. Nothing was sent, so the retry policy may try again on a new pool.
			return new AsyncHttpConnectException("the host's idle connection pool was disposed as the call took it",
					request, unsent, cause);
		}
		if (closed && isConnectionProblem(cause)) {
			return new AsyncHttpClientClosedException(request, state, cause);
		}
		if (cause instanceof UnknownHostException) {
			return new AsyncHttpConnectException("unknown host", request, unsent, cause);
		}
		if (cause instanceof ProxyConnectException) {
			// Netty's message names the proxy, the target and the proxy's answer (a 407, a
			// refused SOCKS authentication), never the credentials.
			return new AsyncHttpConnectException("could not connect through the proxy (" + describe(cause) + ")",
					request, RequestState.NOT_SENT, cause);
		}
		if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
			return new AsyncHttpConnectException("could not connect (" + cause.getClass().getSimpleName() + ")",
					request, unsent, cause);
		}
		if (cause instanceof PrematureCloseException || cause instanceof AbortedException
				|| cause instanceof ClosedChannelException || cause instanceof java.io.IOException) {
			return new AsyncHttpConnectException(describe(cause), request, state, cause);
		}
		if (error instanceof WebClientRequestException) {
			return new AsyncHttpConnectException(describe(cause), request, state, cause);
		}
		return error;
	}

	AsyncHttpTimeoutException totalTimeout(RequestContext request, CallProgress call, Duration timeout) {
		Throwable lastFailure = call.lastFailure();
		AsyncHttpTimeoutException exception = new AsyncHttpTimeoutException(Kind.TOTAL, timeout, request,
				call.current().abandon(), (lastFailure != null) ? lastFailure : new TimeoutException());
		exception.recordAttempts(call.attempts(), AsyncHttpRetriesExhaustedException.StopReason.DEADLINE);
		notifyObserver(exception);
		return exception;
	}

	/**
	 * Whether a body decoded in memory went over {@code max-in-memory-size}. Spring's
	 * decoders raise {@link DataBufferLimitException} downstream of the exchange filter,
	 * where {@link #translate} cannot see it, and {@code WebClient} wraps it in a
	 * {@code WebClientResponseException} carrying the response's own (successful) status,
	 * so the cause chain is searched.
	 */
	static boolean isResponseTooLarge(Throwable error) {
		if (error instanceof AsyncHttpException) {
			return false;
		}
		Throwable cause = error;
		for (int depth = 0; cause != null && depth < 16; depth++) {
			if (cause instanceof DataBufferLimitException) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

	AsyncHttpResponseTooLargeException responseTooLarge(RequestContext request, CallProgress call, Throwable error) {
		AsyncHttpResponseTooLargeException exception = new AsyncHttpResponseTooLargeException(request,
				this.settings.maxInMemorySize(), error);
		// Not retried: the retry policy sees Spring's wrapper, whose 2xx status is not a
		// retry status, and the same body would be just as large anyway.
		exception.recordAttempts(call.attempts(), AsyncHttpRetriesExhaustedException.StopReason.NOT_RETRYABLE);
		return exception;
	}

	private int maxPending() {
		Integer maxPending = this.settings.pool().maxPending();
		return (maxPending != null) ? maxPending : -1;
	}

	private static boolean isConnectionProblem(Throwable cause) {
		return cause instanceof java.io.IOException || cause instanceof AbortedException;
	}

	private static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "unknown";
		}
		// Netty messages name channels and addresses, never headers or bodies, so they are
		// safe to repeat.
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
