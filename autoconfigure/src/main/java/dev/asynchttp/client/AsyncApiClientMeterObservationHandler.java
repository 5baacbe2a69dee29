package dev.asynchttp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Records the meters of async-http's own {@code http.client.requests} observations
 * ({@link AsyncApiClientRequestObservationContext}) exactly as Micrometer's
 * {@link DefaultMeterObservationHandler} records them: a {@link Timer} named after the
 * observation, tagged with its low-cardinality key values at the stop and an {@code error}
 * tag, and, unless switched off, a {@link LongTaskTimer} named {@code <name>.active} tagged
 * with the key values at the start. Events go to the default handler unchanged.
 * <p>
 * The default handler builds the tags, the meter id and the registry look-up twice per
 * observation; that was the largest single cost of an observed call in the benchmark. Here
 * each distinct name and tag set is looked up once and its meter kept, at most
 * {@value #MAX_CACHED} of each kind (past that, meters are looked up per call as before).
 * The kept meters are dropped whenever the registry removes any meter, so that a removed
 * meter is never recorded to.
 *
 * @author async-http
 * @since 0.1.0
 */
public final class AsyncApiClientMeterObservationHandler
		implements MeterObservationHandler<AsyncApiClientRequestObservationContext> {

	static final int MAX_CACHED = 2048;

	/** Slots for recent look-ups; a power of two. */
	private static final int RECENT = 64;

	private static final String ACTIVE_SUFFIX = ".active";

	private final MeterRegistry registry;

	private final Clock clock;

	private final boolean longTaskTimer;

	private final DefaultMeterObservationHandler events;

	private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

	private final Map<MeterKey, LongTaskTimer> activeTimers = new ConcurrentHashMap<>();

	private final AtomicReferenceArray<Recent<Timer>> recentTimers = new AtomicReferenceArray<>(RECENT);

	private final AtomicReferenceArray<Recent<LongTaskTimer>> recentActiveTimers = new AtomicReferenceArray<>(
			RECENT);

	/** Changes whenever the registry removes a meter; a look-up that saw it change does not keep its meter. */
	private final AtomicInteger generation = new AtomicInteger();

	/**
	 * Record on {@code registry}.
	 * @param registry the registry
	 * @param longTaskTimer whether to record the {@code <name>.active} long task timer, as
	 * the default handler does unless told to ignore it
	 */
	public AsyncApiClientMeterObservationHandler(MeterRegistry registry, boolean longTaskTimer) {
		this.registry = registry;
		this.clock = registry.config().clock();
		this.longTaskTimer = longTaskTimer;
		// Events become counters only; the default handler's long task timer plays no part in them.
		this.events = new DefaultMeterObservationHandler(registry);
		registry.config().onMeterRemoved(this::forget);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof AsyncApiClientRequestObservationContext;
	}

	@Override
	public void onStart(AsyncApiClientRequestObservationContext context) {
		if (this.longTaskTimer) {
			String name = name(context);
			KeyValues tags = context.getLowCardinalityKeyValues();
			LongTaskTimer active = recent(this.recentActiveTimers, name, tags, null);
			if (active == null) {
				active = keep(this.recentActiveTimers, this.activeTimers, new MeterKey(name, tags, null),
						(k) -> this.registry.more().longTaskTimer(name + ACTIVE_SUFFIX, tags(k)));
			}
			context.activeSample = active.start();
		}
		context.startNanos = this.clock.monotonicTime();
	}

	@Override
	public void onStop(AsyncApiClientRequestObservationContext context) {
		Throwable error = context.getError();
		String name = name(context);
		KeyValues tags = context.getLowCardinalityKeyValues();
		String errorTag = (error != null) ? error.getClass().getSimpleName() : KeyValue.NONE_VALUE;
		Timer timer = recent(this.recentTimers, name, tags, errorTag);
		if (timer == null) {
			timer = keep(this.recentTimers, this.timers, new MeterKey(name, tags, errorTag),
					(k) -> this.registry.timer(k.name(), tags(k)));
		}
		timer.record(this.clock.monotonicTime() - context.startNanos, TimeUnit.NANOSECONDS);
		LongTaskTimer.Sample active = context.activeSample;
		if (active != null) {
			context.activeSample = null;
			active.stop();
		}
	}

	@Override
	public void onEvent(Observation.Event event, AsyncApiClientRequestObservationContext context) {
		this.events.onEvent(event, context);
	}

	private static String name(Observation.Context context) {
		String name = context.getName();
		// Never null once started: the observation's name, which a convention may change.
		return (name != null) ? name : "";
	}

	/**
	 * The meter of a recent look-up of the same name, tag set and error, compared by
	 * identity: the convention gives the same set for the same values (and
	 * {@code getSimpleName()} the same string), so most calls find their meter here
	 * without building and hashing a key.
	 */
	private <M extends Meter> @Nullable M recent(AtomicReferenceArray<Recent<M>> recent, String name, KeyValues tags,
			@Nullable String error) {
		Recent<M> kept = recent.get(slot(tags));
		if (kept != null && kept.tags() == tags && kept.name() == name && kept.error() == error
				&& kept.generation() == this.generation.get()) {
			return kept.meter();
		}
		return null;
	}

	private <M extends Meter> M keep(AtomicReferenceArray<Recent<M>> recent, Map<MeterKey, M> cache, MeterKey key,
			Function<MeterKey, M> lookUp) {
		int seen = this.generation.get();
		M meter = cached(cache, key, lookUp);
		recent.set(slot(key.tags()), new Recent<>(key.name(), key.tags(), key.error(), meter, seen));
		return meter;
	}

	private static int slot(KeyValues tags) {
		return System.identityHashCode(tags) & (RECENT - 1);
	}

	private <M extends Meter> M cached(Map<MeterKey, M> cache, MeterKey key, Function<MeterKey, M> lookUp) {
		M meter = cache.get(key);
		if (meter != null) {
			return meter;
		}
		int seen = this.generation.get();
		meter = lookUp.apply(key);
		if (cache.size() < MAX_CACHED) {
			cache.put(key, meter);
			if (this.generation.get() != seen) {
				// A meter was removed while this one was looked up: it may have been this one.
				cache.remove(key, meter);
			}
		}
		return meter;
	}

	private void forget(Meter removed) {
		this.generation.incrementAndGet();
		this.timers.clear();
		this.activeTimers.clear();
	}

	private static List<Tag> tags(MeterKey key) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : key.tags()) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		if (key.error() != null) {
			tags.add(Tag.of("error", key.error()));
		}
		return tags;
	}

	/** A meter's name and tags; {@code error} is {@code null} for the long task timer. */
	private record MeterKey(String name, KeyValues tags, @Nullable String error) {
	}

	/** A meter looked up recently, valid while no meter has been removed since. */
	private record Recent<M extends Meter>(String name, KeyValues tags, @Nullable String error, M meter,
			int generation) {
	}

}
