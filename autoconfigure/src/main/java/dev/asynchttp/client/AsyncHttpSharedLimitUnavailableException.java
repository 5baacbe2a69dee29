package dev.asynchttp.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The client shares its rate limit across instances ({@code rate-limit.shared}), the
 * shared store (Redis) could not be reached in time, and {@code rate-limit.shared-fallback}
 * is {@code fail}: the request failed at once and was never sent. Like any rate-limit
 * failure it is not retried.
 *
 * @author async-http
 * @since 0.1.0
 */
public class AsyncHttpSharedLimitUnavailableException extends AsyncHttpRateLimitException {

	public AsyncHttpSharedLimitUnavailableException(RequestContext request, Duration maxWait,
			@Nullable Throwable cause) {
		super("shared rate limit unavailable (" + describe(cause)
				+ "); rate-limit.shared-fallback=fail, so no local permit either", request, maxWait, cause);
	}

	private static String describe(@Nullable Throwable cause) {
		return (cause != null) ? cause.getClass().getSimpleName() : "shared store down";
	}

}
