package dev.asynchttp.client;

import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AttemptProgress}: the deadline and the write of a request settle between
 * them whether the request went out, so that {@code NOT_SENT} is never said of a request
 * that is written afterwards.
 */
class AttemptProgressTests {

	@Test
	void aDeadlineBeforeTheWriteKeepsTheRequestUnsentAndRefusesTheWrite() {
		AttemptProgress progress = new AttemptProgress();
		assertThat(progress.abandon()).isEqualTo(RequestState.NOT_SENT);
		assertThat(progress.startWrite(false)).isFalse();
		assertThat(progress.state()).isEqualTo(RequestState.NOT_SENT);
		assertThatExceptionOfType(AttemptProgress.AbandonedException.class)
			.isThrownBy(() -> AttemptProgress.startWrite(Context.of(AttemptProgress.CONTEXT_KEY, progress), false))
			.withMessageContaining("not sent");
	}

	@Test
	void aDeadlineAfterTheWriteStartedLeavesTheOutcomeUnknown() {
		AttemptProgress progress = new AttemptProgress();
		assertThat(progress.startWrite(true)).isTrue();
		assertThat(progress.abandon()).isEqualTo(RequestState.OUTCOME_UNKNOWN);
		assertThat(progress.reusedConnection()).isTrue();
		// A second write of the same attempt (the request after a redirect) is still allowed.
		assertThat(progress.startWrite(false)).isTrue();
	}

	@Test
	void aWriteOutsideAnyAttemptIsNeverRefused() {
		AttemptProgress.startWrite(Context.empty(), false);
	}

}
