package dev.asynchttp.autoconfigure.metrics;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.asynchttp.client.SafeText;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation.HighCardinalityKeyNames;
import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * The {@code http.client.requests} convention of one async-http client: Spring's default,
 * except that {@code client.name} is the client's logical name rather than the request's
 * host, and that the client records at most {@code maxUriTags} distinct {@code uri} values.
 * URIs built by concatenation instead of from a template (such as
 * {@code uri("/items/" + id)}) would otherwise add a meter per value; past the cap they are
 * recorded as {@value #OVERFLOW}, and a warning is logged once. The constant values
 * {@code none} (no template) and {@code /} are not counted. Query values in the
 * {@code uri} tag (a key written into the template) and in the {@code http.url} key value
 * are masked, as everywhere async-http shows a URI ({@link SafeText}).
 *
 * @author async-http
 */
final class AsyncApiClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

	static final String OVERFLOW = "OVERFLOW";

	private static final Log logger = LogFactory.getLog(AsyncApiClientRequestObservationConvention.class);

	private static final KeyValue URI_OVERFLOW = KeyValue.of(LowCardinalityKeyNames.URI, OVERFLOW);

	// Every observation asks for the method, the outcome and the contextual name twice and for
	// the status once; for the standard methods and status codes, the series and the exception
	// types the answers are kept, as Spring's convention keeps its constant ones.
	private static final List<HttpMethod> STANDARD_METHODS = List.of(HttpMethod.values());

	private static final List<KeyValue> METHOD_TAGS = STANDARD_METHODS.stream()
		.map((method) -> KeyValue.of(LowCardinalityKeyNames.METHOD, method.name()))
		.toList();

	private static final List<String> CONTEXTUAL_NAMES = STANDARD_METHODS.stream()
		.map((method) -> "http " + method.name().toLowerCase(Locale.ROOT))
		.toList();

	private static final List<KeyValue> OUTCOME_TAGS = Arrays.stream(HttpStatus.Series.values())
		.map((series) -> KeyValue.of(LowCardinalityKeyNames.OUTCOME, series.name()))
		.toList();

	private static final ClassValue<KeyValue> EXCEPTION_TAGS = new ClassValue<>() {

		@Override
		protected KeyValue computeValue(Class<?> type) {
			String simpleName = type.getSimpleName();
			return KeyValue.of(LowCardinalityKeyNames.EXCEPTION,
					StringUtils.hasText(simpleName) ? simpleName : type.getName());
		}

	};

	private static final int FIRST_STATUS = 100;

	/** The {@code status} tag by code from {@value #FIRST_STATUS} to 599, made when first seen. */
	private final AtomicReferenceArray<KeyValue> statusTags = new AtomicReferenceArray<>(500);

	/** Slots for recent key value sets; a power of two. */
	private static final int KEPT_SETS = 64;

	private final AtomicReferenceArray<KeptSet> keptSets = new AtomicReferenceArray<>(KEPT_SETS);

	private final AtomicReferenceArray<KeptUrl> keptUrls = new AtomicReferenceArray<>(KEPT_SETS);

	private final KeyValue clientName;

	private final int maxUriTags;

	private final Set<String> uris = ConcurrentHashMap.newKeySet();

	/** Templates seen, with their tag; at most {@code maxUriTags} of them. */
	private final Map<String, KeyValue> uriByTemplate = new ConcurrentHashMap<>();

	private final AtomicBoolean warned = new AtomicBoolean();

	AsyncApiClientRequestObservationConvention(String name, String clientName, int maxUriTags) {
		super(name);
		this.clientName = KeyValue.of(LowCardinalityKeyNames.CLIENT_NAME, clientName);
		this.maxUriTags = maxUriTags;
	}

	/**
	 * Spring's six key values, as one set that is kept for each recent combination of its
	 * values, so that an observation's start and stop, and the meter handler's look-ups
	 * after them, find the same set rather than a new one each time.
	 */
	@Override
	public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
		KeyValue exception = exception(context);
		KeyValue method = method(context);
		KeyValue outcome = outcome(context);
		KeyValue status = status(context);
		KeyValue uri = uri(context);
		int slot = (System.identityHashCode(method) + 31 * System.identityHashCode(status)
				+ 961 * System.identityHashCode(uri) + System.identityHashCode(outcome)
				+ System.identityHashCode(exception)) & (KEPT_SETS - 1);
		KeptSet kept = this.keptSets.get(slot);
		if (kept != null && kept.holds(exception, method, outcome, status, uri)) {
			return kept.values();
		}
		// Sorted by key, as Spring's convention gives them.
		KeyValues values = KeyValues.of(this.clientName, exception, method, outcome, status, uri);
		this.keptSets.set(slot, new KeptSet(exception, method, outcome, status, uri, values));
		return values;
	}

	@Override
	protected KeyValue clientName(ClientRequestObservationContext context) {
		return this.clientName;
	}

	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		// Every observation asks twice (start and stop), and the answer depends on the template
		// only: Spring's regex and the masking run once per template.
		String template = context.getUriTemplate();
		KeyValue known = (template != null) ? this.uriByTemplate.get(template) : null;
		if (known != null) {
			return known;
		}
		KeyValue uri = tag(context);
		if (template != null && uri != URI_OVERFLOW && this.uriByTemplate.size() < this.maxUriTags) {
			this.uriByTemplate.put(template, uri);
		}
		return uri;
	}

	private KeyValue tag(ClientRequestObservationContext context) {
		KeyValue uri = super.uri(context);
		String value = SafeText.uri(uri.getValue());
		if (!value.equals(uri.getValue())) {
			uri = KeyValue.of(LowCardinalityKeyNames.URI, value);
		}
		// Constant values (no template, or the root) need no room under the cap.
		if (KeyValue.NONE_VALUE.equals(value) || "/".equals(value) || this.uris.contains(value)) {
			return uri;
		}
		synchronized (this.uris) {
			if (this.uris.contains(value)) {
				return uri;
			}
			if (this.uris.size() < this.maxUriTags) {
				this.uris.add(value);
				return uri;
			}
		}
		if (this.warned.compareAndSet(false, true)) {
			logger.warn("async-http client '" + this.clientName.getValue() + "' reached " + this.maxUriTags
					+ " distinct 'uri' tag values in " + getName() + "; further ones are recorded as uri=" + OVERFLOW
					+ ". Build URIs from templates with variables, such as get(\"/items/{id}\", Item.class, id), not by"
					+ " concatenation, or raise async-http.clients." + this.clientName.getValue()
					+ ".metrics.max-uri-tags.");
		}
		return URI_OVERFLOW;
	}

	@Override
	protected KeyValue method(ClientRequestObservationContext context) {
		int index = standardMethod(context);
		return (index >= 0) ? METHOD_TAGS.get(index) : super.method(context);
	}

	@Override
	protected KeyValue status(ClientRequestObservationContext context) {
		ClientResponse response = context.getResponse();
		if (response != null && !context.isAborted()) {
			int code = response.statusCode().value();
			if (code >= FIRST_STATUS && code < FIRST_STATUS + this.statusTags.length()) {
				KeyValue tag = this.statusTags.get(code - FIRST_STATUS);
				if (tag == null) {
					tag = super.status(context);
					this.statusTags.set(code - FIRST_STATUS, tag);
				}
				return tag;
			}
		}
		return super.status(context);
	}

	@Override
	protected KeyValue outcome(ClientRequestObservationContext context) {
		ClientResponse response = context.getResponse();
		if (response != null && !context.isAborted() && !response.statusCode().is2xxSuccessful()
				&& response.statusCode() instanceof HttpStatus status) {
			return OUTCOME_TAGS.get(status.series().ordinal());
		}
		return super.outcome(context);
	}

	@Override
	protected KeyValue exception(ClientRequestObservationContext context) {
		Throwable error = context.getError();
		return (error != null) ? EXCEPTION_TAGS.get(error.getClass()) : super.exception(context);
	}

	@Override
	public @Nullable String getContextualName(ClientRequestObservationContext context) {
		int index = standardMethod(context);
		return (index >= 0) ? CONTEXTUAL_NAMES.get(index) : super.getContextualName(context);
	}

	/** The index of the request's method in {@link #STANDARD_METHODS}, or {@code -1}. */
	private static int standardMethod(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		return (request != null) ? STANDARD_METHODS.indexOf(request.method()) : -1;
	}

	/**
	 * Spring's single high-cardinality key value: the URL, masked. The start and the stop of
	 * an observation ask for the same request URI, so the last sets are kept by that URI.
	 */
	@Override
	public KeyValues getHighCardinalityKeyValues(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		if (request == null) {
			return super.getHighCardinalityKeyValues(context);
		}
		URI url = request.url();
		int slot = System.identityHashCode(url) & (KEPT_SETS - 1);
		KeptUrl kept = this.keptUrls.get(slot);
		if (kept != null && kept.url() == url) {
			return kept.values();
		}
		KeyValues values = super.getHighCardinalityKeyValues(context);
		this.keptUrls.set(slot, new KeptUrl(url, values));
		return values;
	}

	@Override
	protected KeyValue httpUrl(ClientRequestObservationContext context) {
		KeyValue url = super.httpUrl(context);
		String value = SafeText.uri(url.getValue());
		return value.equals(url.getValue()) ? url : KeyValue.of(HighCardinalityKeyNames.HTTP_URL, value);
	}

	/** The high-cardinality key values of one request URI. */
	private record KeptUrl(URI url, KeyValues values) {

	}

	/** One kept set of key values with the values it was made of, compared by identity. */
	private record KeptSet(KeyValue exception, KeyValue method, KeyValue outcome, KeyValue status, KeyValue uri,
			KeyValues values) {

		boolean holds(KeyValue exception, KeyValue method, KeyValue outcome, KeyValue status, KeyValue uri) {
			return this.method == method && this.status == status && this.uri == uri && this.outcome == outcome
					&& this.exception == exception;
		}

	}

}
