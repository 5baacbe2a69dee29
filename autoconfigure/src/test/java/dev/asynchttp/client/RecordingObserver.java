package dev.asynchttp.client;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asynchttp.client.AsyncHttpTimeoutException.Kind;

/**
 * An {@link AsyncApiClientObserver} that records what it is told, for tests.
 */
final class RecordingObserver implements AsyncApiClientObserver {

	private final Queue<Retrying> retries = new ConcurrentLinkedQueue<>();

	private final Queue<Kind> timeouts = new ConcurrentLinkedQueue<>();

	private final Queue<Long> rateLimitPermitDueNanos = new ConcurrentLinkedQueue<>();

	private final Queue<CoolDown> coolDowns = new ConcurrentLinkedQueue<>();

	private final AtomicInteger budgetExhausted = new AtomicInteger();

	private final AtomicInteger rateLimitRejected = new AtomicInteger();

	private final AtomicInteger overloaded = new AtomicInteger();

	private final CountDownLatch firstCoolDown = new CountDownLatch(1);

	@Override
	public void overloaded(String clientName) {
		this.overloaded.incrementAndGet();
	}

	@Override
	public void timedOut(String clientName, Kind kind) {
		this.timeouts.add(kind);
	}

	@Override
	public void retrying(String clientName, String reason, Duration delay) {
		this.retries.add(new Retrying(reason, delay));
	}

	@Override
	public void retryBudgetExhausted(String clientName) {
		this.budgetExhausted.incrementAndGet();
	}

	@Override
	public void rateLimitWaited(String clientName, Duration wait) {
		// The limiter hands out permits at the start of its cycles: now + wait is one.
		this.rateLimitPermitDueNanos.add(System.nanoTime() + wait.toNanos());
	}

	@Override
	public void rateLimitRejected(String clientName) {
		this.rateLimitRejected.incrementAndGet();
	}

	@Override
	public void coolDownStarted(String clientName, String host, Duration pause) {
		this.coolDowns.add(new CoolDown(host, pause, System.nanoTime()));
		this.firstCoolDown.countDown();
	}

	List<Retrying> retries() {
		return List.copyOf(this.retries);
	}

	List<String> retryReasons() {
		return this.retries.stream().map(Retrying::reason).toList();
	}

	List<Kind> timeouts() {
		return List.copyOf(this.timeouts);
	}

	List<Long> rateLimitPermitDueNanos() {
		return List.copyOf(this.rateLimitPermitDueNanos);
	}

	List<CoolDown> coolDowns() {
		return List.copyOf(this.coolDowns);
	}

	CountDownLatch firstCoolDown() {
		return this.firstCoolDown;
	}

	int budgetExhausted() {
		return this.budgetExhausted.get();
	}

	int rateLimitRejected() {
		return this.rateLimitRejected.get();
	}

	int overloaded() {
		return this.overloaded.get();
	}

	record Retrying(String reason, Duration delay) {

	}

	record CoolDown(String host, Duration pause, long startedNanos) {

	}

}
