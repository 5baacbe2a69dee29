package dev.asynchttp.client;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RetryBudget} on a fake nano clock: a reserve per second, a share of first
 * attempts, a ten-second sliding window, and refusals that cost nothing.
 */
class RetryBudgetTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong nanos = new AtomicLong();

	@Test
	void withoutRequestsTheReserveAllowsMinPerSecondTimesTheWindow() {
		RetryBudget budget = new RetryBudget(0.2, 10, this.nanos::get);

		assertThat(takeAll(budget, 1000)).isEqualTo(100);
	}

	@Test
	void firstAttemptsEarnTheirRatioOfRetries() {
		RetryBudget budget = new RetryBudget(0.2, 0, this.nanos::get);
		record(budget, 1000);

		assertThat(takeAll(budget, 1000)).isEqualTo(200);
	}

	@Test
	void ratioAndReserveAddUp() {
		RetryBudget budget = new RetryBudget(0.1, 2, this.nanos::get);
		record(budget, 500);

		assertThat(takeAll(budget, 1000)).isEqualTo(50 + 20);
	}

	@Test
	void zeroBudgetRefusesEveryRetry() {
		RetryBudget budget = new RetryBudget(0.0, 0, this.nanos::get);
		record(budget, 1000);

		assertThat(budget.tryRetry()).isFalse();
	}

	@Test
	void refusedRetriesDoNotUseTheBudget() {
		RetryBudget budget = new RetryBudget(0.5, 0, this.nanos::get);
		record(budget, 2);
		assertThat(budget.tryRetry()).isTrue();
		assertThat(budget.tryRetry()).isFalse();
		assertThat(budget.tryRetry()).isFalse();

		record(budget, 2);

		assertThat(takeAll(budget, 10)).as("one more retry earned by two more requests").isEqualTo(1);
	}

	@Test
	void retriesAndRequestsLeaveTheWindowAfterTenSeconds() {
		RetryBudget budget = new RetryBudget(0.2, 1, this.nanos::get);
		record(budget, 100);
		assertThat(takeAll(budget, 1000)).isEqualTo(10 + 20);

		this.nanos.addAndGet(9 * SECOND);
		assertThat(budget.tryRetry()).as("still inside the window").isFalse();

		this.nanos.addAndGet(SECOND);
		assertThat(takeAll(budget, 1000)).as("only the reserve is left once the requests expired").isEqualTo(10);
	}

	@Test
	void theWindowSlidesSecondBySecond() {
		RetryBudget budget = new RetryBudget(0.5, 0, this.nanos::get);
		record(budget, 10);
		this.nanos.addAndGet(5 * SECOND);
		record(budget, 10);
		assertThat(takeAll(budget, 1000)).isEqualTo(10);

		// Second 10: the first ten requests and every retry (taken at second 5) are still
		// counted until their own second leaves the window.
		this.nanos.addAndGet(5 * SECOND);
		assertThat(takeAll(budget, 1000)).as("requests of second 0 expired, retries of second 5 still count")
			.isZero();

		this.nanos.addAndGet(5 * SECOND);
		assertThat(takeAll(budget, 1000)).as("everything expired").isZero();
		record(budget, 4);
		assertThat(takeAll(budget, 1000)).isEqualTo(2);
	}

	@Test
	void aBurstWithinOneSecondSharesOneBucket() {
		RetryBudget budget = new RetryBudget(0.2, 0, this.nanos::get);
		for (int i = 0; i < 50; i++) {
			budget.recordRequest();
			this.nanos.addAndGet(SECOND / 100);
		}

		assertThat(takeAll(budget, 1000)).isEqualTo(10);
	}

	@Test
	void aNegativeNanoClockWorksToo() {
		this.nanos.set(-123 * SECOND - 17);
		RetryBudget budget = new RetryBudget(0.5, 0, this.nanos::get);
		record(budget, 10);
		assertThat(takeAll(budget, 1000)).isEqualTo(5);

		this.nanos.addAndGet(10 * SECOND);

		record(budget, 2);
		assertThat(takeAll(budget, 1000)).isEqualTo(1);
	}

	@Test
	void aLongIdlePeriodStartsAfresh() {
		RetryBudget budget = new RetryBudget(0.2, 1, this.nanos::get);
		record(budget, 1000);
		assertThat(takeAll(budget, 1000)).isEqualTo(210);

		this.nanos.addAndGet(3600 * SECOND);

		assertThat(takeAll(budget, 1000)).isEqualTo(10);
	}

	@Test
	void theDefaultBudgetLetsTheDefaultAttemptsRideOutATwentyPercentFailureRate() {
		RetryBudget budget = defaultBudget();
		record(budget, 2000);

		// 2,000 calls at once against 20 % failures: 0.2 + 0.2² of them need retries, 480 on
		// average with a standard deviation of 23; four deviations more must still be allowed.
		assertThat(takeAll(budget, 480 + 4 * 23)).isEqualTo(480 + 4 * 23);
	}

	@Test
	void theDefaultBudgetCapsAnOutageAtAQuarterOfFirstAttemptsPlusTheReserve() {
		RetryBudget budget = defaultBudget();
		record(budget, 2000);

		assertThat(takeAll(budget, 2 * 2000)).isEqualTo(2000 / 4 + 10 * 10);
	}

	private RetryBudget defaultBudget() {
		return new RetryBudget(AsyncApiClientDefaults.RETRY_BUDGET_RATIO,
				AsyncApiClientDefaults.RETRY_BUDGET_MIN_PER_SECOND, this.nanos::get);
	}

	private static void record(RetryBudget budget, int requests) {
		for (int i = 0; i < requests; i++) {
			budget.recordRequest();
		}
	}

	/**
	 * Take retries until one is refused, at most {@code max}.
	 */
	private static int takeAll(RetryBudget budget, int max) {
		int taken = 0;
		while (taken < max && budget.tryRetry()) {
			taken++;
		}
		return taken;
	}

}
