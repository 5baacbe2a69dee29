package dev.asynchttp.client;

import java.time.Duration;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when an {@link AsyncApiClientSettings} value is out of range. It names the setting
 * by its property path relative to the client, such as {@code pool.max-connections}, so
 * that the auto-configuration can report the full {@code async-http.*} property.
 *
 * @author async-http
 * @since 0.1.0
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String property;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the property path relative to the client, such as
	 * {@code pool.max-connections}
	 * @param reason what is wrong, without repeating secret values
	 * @param action how to fix it
	 */
	public InvalidSettingException(String property, String reason, String action) {
		super("Invalid setting '" + property + "': " + reason + ". " + action);
		this.property = property;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * The property path of the setting, relative to the client.
	 * @return the property path
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

	static void positive(String property, @Nullable Integer value) {
		check(property, value, (v) -> v > 0, "it must be greater than 0", "Set a positive number.");
	}

	static void notNegative(String property, @Nullable Integer value) {
		check(property, value, (v) -> v >= 0, "it must not be negative", "Set 0 or a positive number.");
	}

	static void positive(String property, @Nullable Duration value) {
		check(property, value, (v) -> !v.isNegative() && !v.isZero(), "it must be longer than 0",
				"Set a positive duration such as 10s or 500ms.");
	}

	static void notNegative(String property, @Nullable Duration value) {
		check(property, value, (v) -> !v.isNegative(), "it must not be negative",
				"Set 0 or a positive duration such as 30s.");
	}

	static <T> void check(String property, @Nullable T value, Predicate<T> valid, String reason, String action) {
		if (value != null && !valid.test(value)) {
			throw new InvalidSettingException(property, reason + " (was " + value + ")", action);
		}
	}

}
