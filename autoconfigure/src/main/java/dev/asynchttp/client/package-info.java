/**
 * Named, tuned, non-blocking HTTP API clients on WebClient and Reactor Netty.
 */
@NullMarked
package dev.asynchttp.client;

import org.jspecify.annotations.NullMarked;
