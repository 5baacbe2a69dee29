package dev.asynchttp.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How {@link AsyncApiClient#fetchAll} runs a batch. Immutable: every {@code with...} method
 * returns a copy.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class FetchOptions {

	private static final FetchOptions DEFAULTS = new FetchOptions(0, false, null);

	private final int concurrency;

	private final boolean inputOrder;

	private final @Nullable Duration timeout;

	private FetchOptions(int concurrency, boolean inputOrder, @Nullable Duration timeout) {
		this.concurrency = concurrency;
		this.inputOrder = inputOrder;
		this.timeout = timeout;
	}

	/**
	 * The defaults: the client's {@code pool.max-connections} items at once, results in
	 * completion order, each item under the client's {@code timeouts.total}.
	 * @return the default options
	 */
	public static FetchOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Run at most this many items at once. Inputs are pulled from the source only as
	 * items finish, so this also bounds the memory the batch holds. Above the client's
	 * {@code pool.max-connections} the excess waits in the client's queue (bounded by
	 * {@code pool.max-pending} and {@code pool.acquire-timeout}).
	 * @param concurrency items in flight at once, at least 1
	 * @return the new options
	 */
	public FetchOptions withConcurrency(int concurrency) {
		Assert.isTrue(concurrency > 0, "'concurrency' must be positive");
		return new FetchOptions(concurrency, this.inputOrder, this.timeout);
	}

	/**
	 * Emit results in input order instead of completion order. A slow item then holds back
	 * the results after it, but never more than the concurrency window of them.
	 * @return the new options
	 */
	public FetchOptions inInputOrder() {
		return new FetchOptions(this.concurrency, true, this.timeout);
	}

	/**
	 * Give every item its own total deadline instead of the client's {@code timeouts.total}
	 * (queueing, every attempt and every backoff of that item included).
	 * @param timeout the deadline of each item
	 * @return the new options
	 */
	public FetchOptions withTimeout(Duration timeout) {
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return new FetchOptions(this.concurrency, this.inputOrder, timeout);
	}

	/**
	 * Items run at once; {@code 0} means the client's {@code pool.max-connections}.
	 * @return the concurrency
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Whether results come in input order rather than completion order.
	 * @return whether results are in input order
	 */
	public boolean isInputOrder() {
		return this.inputOrder;
	}

	/**
	 * Deadline of each item, or {@code null} for the client's {@code timeouts.total}.
	 * @return the per-item deadline
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		return "FetchOptions[concurrency=" + ((this.concurrency > 0) ? this.concurrency : "max-connections")
				+ ", inputOrder=" + this.inputOrder + ", timeout=" + this.timeout + "]";
	}

}
