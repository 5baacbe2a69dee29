/**
 * Auto-configuration that backs Spring's HTTP service groups with async-http clients.
 */
@NullMarked
package dev.asynchttp.autoconfigure.service;

import org.jspecify.annotations.NullMarked;
