package dev.asynchttp.client;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The outcome of one item of {@link AsyncApiClient#fetchAll}: a value or an error, never
 * both, like an entry of asyncio's {@code gather(..., return_exceptions=True)}. A failing
 * item is a result, never an error of the batch.
 *
 * @param <T> the body type
 * @param index position of the item in the input, from 0; results in completion order can
 * be matched to their input with it
 * @param request the item as it was given
 * @param uri the URI that was requested, or {@code null} when the item was refused before a
 * URI could be built (an unsafe template or variable)
 * @param status the response status: of the successful response, of the HTTP error, of the
 * last attempt when retries gave up, or of a response whose body was too large; {@code null}
 * when no response arrived
 * @param value the decoded body of a successful response; {@code null} on failure and for
 * an empty body
 * @param error why the item failed, {@code null} on success: Spring's
 * {@link WebClientResponseException} for an HTTP error status, otherwise an
 * {@link AsyncHttpException}
 * @param attempts attempts made, retries included (for a failure, the same as
 * {@link AsyncHttpException#getAttempts()})
 * @param duration time from the item's start (once the batch had room for it) to its
 * outcome, waiting for a connection and backoffs included
 * @author async-http
 * @since 0.1.0
 */
public record FetchResult<T>(long index, FetchRequest request, @Nullable URI uri, @Nullable HttpStatusCode status,
		@Nullable T value, @Nullable Throwable error, int attempts, Duration duration) {

	/**
	 * Whether the item succeeded: a 2xx response (or 3xx when redirects are not followed)
	 * whose body, if any, was decoded.
	 * @return whether there is no error
	 */
	public boolean isSuccess() {
		return this.error == null;
	}

	/**
	 * The record's components, with the URI as {@link SafeText#uri(URI)} shows it (without
	 * user info, query values masked) and the request as {@link FetchRequest#toString()}
	 * shows it.
	 */
	@Override
	public String toString() {
		return "FetchResult[index=" + this.index + ", request=" + this.request + ", uri="
				+ ((this.uri != null) ? SafeText.uri(this.uri) : null) + ", status=" + this.status + ", value="
				+ this.value + ", error=" + this.error + ", attempts=" + this.attempts + ", duration=" + this.duration
				+ "]";
	}

}
