package dev.asynchttp.client;

/**
 * What is known about whether a failed request reached the server.
 *
 * @author async-http
 * @since 0.1.0
 */
public enum RequestState {

	/**
	 * Nothing of the request was written: the server cannot have acted on it, so it is
	 * safe to send again whatever the method.
	 */
	NOT_SENT,

	/**
	 * The request was (at least partly) written but no complete response arrived: the
	 * server may or may not have acted on it.
	 */
	OUTCOME_UNKNOWN

}
