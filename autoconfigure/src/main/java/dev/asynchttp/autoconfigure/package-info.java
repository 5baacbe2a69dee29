/**
 * Auto-configuration of async-http clients from {@code async-http.*} properties.
 * <p>
 * Code map, from properties to a client bean:
 * <ol>
 * <li>{@link dev.asynchttp.autoconfigure.AsyncHttpProperties} binds {@code async-http.*}
 * ({@code defaults}, {@code clients}, {@code presets}), one
 * {@link dev.asynchttp.autoconfigure.AsyncApiClientProperties} per block;</li>
 * <li>{@link dev.asynchttp.autoconfigure.AsyncApiClientSettingsMapper} merges and checks
 * them into one {@link dev.asynchttp.client.AsyncApiClientSettings} per client (bad values
 * throw {@link dev.asynchttp.autoconfigure.InvalidAsyncHttpPropertyException}, reported by
 * {@link dev.asynchttp.autoconfigure.InvalidAsyncHttpPropertyFailureAnalyzer});
 * {@link dev.asynchttp.autoconfigure.SharedLimitsRequirement} checks
 * {@code rate-limit.shared} has something to share through;</li>
 * <li>{@link dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration} makes the
 * {@link dev.asynchttp.client.AsyncApiClientFactory} (with the customizers and observers of
 * the sub-packages) and the {@link dev.asynchttp.client.AsyncApiClients} registry, which
 * builds every client;</li>
 * <li>{@link dev.asynchttp.autoconfigure.AsyncApiClientBeanRegistrar} exposes each client as
 * a bean named after it.</li>
 * </ol>
 * Around the clients: {@code metrics}, {@code actuate} (endpoint and health),
 * {@code service} (HTTP service groups) and {@code redis} (shared limits).
 */
@NullMarked
package dev.asynchttp.autoconfigure;

import org.jspecify.annotations.NullMarked;
