package dev.asynchttp.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.asynchttp.client.AsyncApiClientObserver;

/**
 * Counts what async-http did on its own during a run: retries and retries the budget refused.
 *
 * @author async-http
 * @since 0.1.0
 */
final class CountingObserver implements AsyncApiClientObserver {

	private final LongAdder retries = new LongAdder();

	private final LongAdder budgetExhausted = new LongAdder();

	@Override
	public void retrying(String clientName, String reason, Duration delay) {
		this.retries.increment();
	}

	@Override
	public void retryBudgetExhausted(String clientName) {
		this.budgetExhausted.increment();
	}

	Map<String, Long> counters() {
		Map<String, Long> counters = new LinkedHashMap<>();
		counters.put("retries", this.retries.sum());
		counters.put("budget-exhausted", this.budgetExhausted.sum());
		return counters;
	}

}
