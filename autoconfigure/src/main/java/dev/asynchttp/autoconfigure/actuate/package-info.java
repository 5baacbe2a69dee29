/**
 * Actuator support for async-http: the asynchttp endpoint and per-client health checks.
 */
@NullMarked
package dev.asynchttp.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
