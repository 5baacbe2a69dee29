/**
 * Auto-configuration that backs Spring's HTTP service groups with async-http clients.
 * <p>
 * Code map: {@link dev.asynchttp.autoconfigure.service.AsyncHttpServiceGroupAutoConfiguration}
 * registers {@link dev.asynchttp.autoconfigure.service.AsyncApiClientServiceGroups}, which,
 * for every group named like an async-http client, gives the group's proxy factory a
 * {@link dev.asynchttp.client.service.AsyncApiClientAdapter} over that client. A call on a
 * group's interface then goes the way of any {@link dev.asynchttp.client.AsyncApiClient}
 * request (see {@link dev.asynchttp.client.service}). Other groups stay as Boot makes them.
 */
@NullMarked
package dev.asynchttp.autoconfigure.service;

import org.jspecify.annotations.NullMarked;
