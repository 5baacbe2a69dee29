/**
 * Auto-configuration of async-http clients from {@code async-http.*} properties.
 */
@NullMarked
package dev.asynchttp.autoconfigure;

import org.jspecify.annotations.NullMarked;
