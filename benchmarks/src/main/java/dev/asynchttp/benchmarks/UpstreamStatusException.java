package dev.asynchttp.benchmarks;

/**
 * An error status from the upstream, for clients that do not raise one of their own.
 *
 * @author async-http
 * @since 0.1.0
 */
public class UpstreamStatusException extends RuntimeException {

	private final int status;

	/**
	 * Create an exception.
	 * @param status the HTTP status
	 */
	public UpstreamStatusException(int status) {
		super("HTTP " + status, null, false, false);
		this.status = status;
	}

	/**
	 * The HTTP status.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

}
