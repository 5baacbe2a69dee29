/**
 * Declarative HTTP interfaces ({@code @HttpExchange}) backed by async-http clients.
 */
@NullMarked
package dev.asynchttp.client.service;

import org.jspecify.annotations.NullMarked;
