/**
 * Auto-configuration of shared rate limits and cool-downs through Redis, on the Lettuce
 * client of Spring Boot's Redis auto-configuration.
 */
@NullMarked
package dev.asynchttp.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
