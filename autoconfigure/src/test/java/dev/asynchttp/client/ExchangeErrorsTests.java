package dev.asynchttp.client;

import dev.asynchttp.client.AsyncHttpException.RequestContext;
import org.junit.jupiter.api.Test;
import reactor.pool.PoolShutdownException;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExchangeErrors}.
 */
class ExchangeErrorsTests {

	private final ExchangeErrors errors = new ExchangeErrors("a",
			AsyncApiClientSettings.defaults(), new AsyncApiClientObserver() {
			});

	private final RequestContext context = new RequestContext("a", HttpMethod.GET, "/x");

	@Test
	void hostPoolDisposedForInactivityWhileTheClientIsOpenIsAnUnsentConnectFailure() {
		Throwable translated = this.errors.translate(new PoolShutdownException(), this.context,
				RequestState.NOT_SENT, false);

		assertThat(translated).isInstanceOf(AsyncHttpConnectException.class)
			.isNotInstanceOf(AsyncHttpClientClosedException.class);
		assertThat(((AsyncHttpException) translated).isNotSent()).isTrue();
	}

	@Test
	void poolShutDownBecauseTheClientClosedIsAClientClosedError() {
		Throwable translated = this.errors.translate(new PoolShutdownException(), this.context,
				RequestState.NOT_SENT, true);

		assertThat(translated).isInstanceOf(AsyncHttpClientClosedException.class);
	}

}
