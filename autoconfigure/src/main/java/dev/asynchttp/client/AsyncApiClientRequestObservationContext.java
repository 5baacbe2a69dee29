package dev.asynchttp.client;

import java.util.Iterator;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;

/**
 * The context of an {@code http.client.requests} observation that async-http opens itself,
 * for an attempt that skips {@code WebClient}. It is a
 * {@link ClientRequestObservationContext} like {@code WebClient}'s, so conventions, filters
 * and handlers see no difference; its own type lets
 * {@link AsyncApiClientMeterObservationHandler} claim it, and that handler keeps its timing
 * state in fields here rather than in the context's map.
 * <p>
 * Its key values read and change as any context's do. While they are exactly the set the
 * convention last gave as a whole (the case unless a filter or handler adds or removes one
 * by one), that set is kept as it came, already sorted, instead of being copied into the
 * context's map at the start and at the stop and sorted again by every handler that asks.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientRequestObservationContext extends ClientRequestObservationContext {

	// Plain fields, as the context's own state: the observation's start and stop are ordered by
	// the Reactor signals between them.
	LongTaskTimer.@Nullable Sample activeSample;

	long startNanos;

	/** The low-cardinality key values while they are one whole set; {@code null} once in the map. */
	private volatile @Nullable KeyValues lowCardinality = KeyValues.empty();

	/** The high-cardinality key values while they are one whole set; {@code null} once in the map. */
	private volatile @Nullable KeyValues highCardinality = KeyValues.empty();

	AsyncApiClientRequestObservationContext(ClientRequest.Builder carrier) {
		super(carrier);
	}

	@Override
	public synchronized Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		KeyValues whole = this.lowCardinality;
		if (whole != null && replacesEveryKey(keyValues, whole)) {
			this.lowCardinality = keyValues;
			return this;
		}
		return super.addLowCardinalityKeyValues(keyValues);
	}

	@Override
	public synchronized Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		spillLow();
		return super.addLowCardinalityKeyValue(keyValue);
	}

	@Override
	public synchronized Observation.Context removeLowCardinalityKeyValue(String keyName) {
		spillLow();
		return super.removeLowCardinalityKeyValue(keyName);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		KeyValues whole = this.lowCardinality;
		return (whole != null) ? whole : super.getLowCardinalityKeyValues();
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		KeyValues whole = this.lowCardinality;
		return (whole != null) ? find(whole, key) : super.getLowCardinalityKeyValue(key);
	}

	@Override
	public synchronized Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		KeyValues whole = this.highCardinality;
		if (whole != null && replacesEveryKey(keyValues, whole)) {
			this.highCardinality = keyValues;
			return this;
		}
		return super.addHighCardinalityKeyValues(keyValues);
	}

	@Override
	public synchronized Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		spillHigh();
		return super.addHighCardinalityKeyValue(keyValue);
	}

	@Override
	public synchronized Observation.Context removeHighCardinalityKeyValue(String keyName) {
		spillHigh();
		return super.removeHighCardinalityKeyValue(keyName);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		KeyValues whole = this.highCardinality;
		return (whole != null) ? whole : super.getHighCardinalityKeyValues();
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		KeyValues whole = this.highCardinality;
		return (whole != null) ? find(whole, key) : super.getHighCardinalityKeyValue(key);
	}

	/** From here on the low-cardinality key values change one by one: they go into the map. */
	private void spillLow() {
		KeyValues whole = this.lowCardinality;
		if (whole != null) {
			this.lowCardinality = null;
			whole.forEach(super::addLowCardinalityKeyValue);
		}
	}

	/** From here on the high-cardinality key values change one by one: they go into the map. */
	private void spillHigh() {
		KeyValues whole = this.highCardinality;
		if (whole != null) {
			this.highCardinality = null;
			whole.forEach(super::addHighCardinalityKeyValue);
		}
	}

	/**
	 * Whether adding {@code replacement} to a context that holds exactly {@code whole} leaves
	 * it holding exactly {@code replacement}: every key of {@code whole} is in it. Both are
	 * sorted by key, as every {@link KeyValues} is.
	 */
	private static boolean replacesEveryKey(KeyValues replacement, KeyValues whole) {
		Iterator<KeyValue> candidates = replacement.iterator();
		for (KeyValue kept : whole) {
			String key = kept.getKey();
			int order;
			do {
				if (!candidates.hasNext()) {
					return false;
				}
				String candidate = candidates.next().getKey();
				// A convention names its keys with constants: the same strings each time.
				order = (candidate == key) ? 0 : candidate.compareTo(key);
			}
			while (order < 0);
			if (order > 0) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable KeyValue find(KeyValues keyValues, String key) {
		for (KeyValue keyValue : keyValues) {
			if (keyValue.getKey().equals(key)) {
				return keyValue;
			}
		}
		return null;
	}

}
