package dev.asynchttp.autoconfigure.redis;

import java.util.Map;

import dev.asynchttp.client.redis.RedisSharedLimits;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of shared rate limits ({@code /actuator/health/asynchttpShared}), from the state
 * the clients already track, so it costs no Redis call. UP while Redis is used; while it
 * is unreachable, UP when every shared client falls back to its local limits (the service
 * works, the limit is per instance) and DOWN when a client fails its calls instead. The
 * details give each client's mode, the outage start and the last error.
 *
 * @author async-http
 */
final class SharedLimitsHealthIndicator implements HealthIndicator {

	private final RedisSharedLimits sharedLimits;

	SharedLimitsHealthIndicator(RedisSharedLimits sharedLimits) {
		this.sharedLimits = sharedLimits;
	}

	@Override
	public Health health() {
		boolean failing = false;
		Health.Builder health = Health.up();
		for (String client : this.sharedLimits.clientNames()) {
			Map<String, Object> state = this.sharedLimits.state(client);
			failing |= "failing".equals(state.get("mode"));
			health.withDetail(client, state);
		}
		return failing ? health.down().build() : health.build();
	}

}
