package dev.asynchttp.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Decides whether calls get an observation of their own
 * ({@code AsyncApiClientFactory.setCallObservationRegistry}): only when tracing is on,
 * that is with an {@link ObservationRegistry} and a Micrometer Tracing {@link Tracer} bean
 * other than {@link Tracer#NOOP} (which Boot defines when Micrometer Tracing has no
 * bridge). Without tracing the attempts' {@code http.client.requests} observations give
 * every meter, and a parent per call would only double their cost.
 */
final class CallObservationRegistry {

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	private CallObservationRegistry() {
	}

	static @Nullable ObservationRegistry of(ListableBeanFactory beanFactory) {
		ObservationRegistry registry = beanFactory.getBeanProvider(ObservationRegistry.class).getIfUnique();
		if (registry == null || registry.isNoop()
				|| !ClassUtils.isPresent(TRACER, CallObservationRegistry.class.getClassLoader())) {
			return null;
		}
		return Tracing.isOn(beanFactory) ? registry : null;
	}

	/**
	 * Loaded only when Micrometer Tracing is on the classpath.
	 */
	private static final class Tracing {

		static boolean isOn(ListableBeanFactory beanFactory) {
			Tracer tracer = beanFactory.getBeanProvider(Tracer.class).getIfUnique();
			return tracer != null && tracer != Tracer.NOOP;
		}

	}

}
