/**
 * Shared rate limits and 429 cool-downs across instances, through Redis: Bucket4j's
 * compare-and-swap token bucket on Lettuce, and cool-down keys with a TTL announced over
 * pub/sub.
 */
@NullMarked
package dev.asynchttp.client.redis;

import org.jspecify.annotations.NullMarked;
