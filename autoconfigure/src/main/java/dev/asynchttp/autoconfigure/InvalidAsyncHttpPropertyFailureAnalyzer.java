package dev.asynchttp.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidAsyncHttpPropertyException} at startup with the property and the
 * fix.
 *
 * @author async-http
 */
class InvalidAsyncHttpPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAsyncHttpPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAsyncHttpPropertyException cause) {
		return new FailureAnalysis("async-http could not start: property '" + cause.getProperty() + "' is invalid: "
				+ cause.getReason() + ".", cause.getAction(), cause);
	}

}
