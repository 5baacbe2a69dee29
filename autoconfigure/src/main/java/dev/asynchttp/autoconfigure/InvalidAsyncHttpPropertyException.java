package dev.asynchttp.autoconfigure;

/**
 * An {@code async-http.*} property has a value the clients cannot start with. Turned into a
 * startup report by {@link InvalidAsyncHttpPropertyFailureAnalyzer}.
 *
 * @author async-http
 * @since 0.1.0
 */
public class InvalidAsyncHttpPropertyException extends RuntimeException {

	private final String property;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the full property name
	 * @param reason what is wrong, without repeating secret values
	 * @param action how to fix it
	 */
	public InvalidAsyncHttpPropertyException(String property, String reason, String action) {
		super("Invalid property '" + property + "': " + reason + ". " + action);
		this.property = property;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * The full name of the offending property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What is wrong with it.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
