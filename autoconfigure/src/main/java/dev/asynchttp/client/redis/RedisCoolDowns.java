package dev.asynchttp.client.redis;

import java.time.Duration;

import dev.asynchttp.client.CoolDownRegistry;

/**
 * Cool-downs shared by every instance with the same key. Calls check only the local view,
 * so no call pays a Redis round trip; the view is kept fresh by pub/sub: a pause is written
 * as a Redis key with the pause as TTL and announced on the key's channel, every instance
 * listening applies it at once, and an instance that (re)subscribes reads the keys still
 * alive. Pub/sub rather than a short-lived cache because a cache either costs a round trip
 * per host every few hundred milliseconds or lets calls through for up to its lifetime
 * after a 429, and the point of sharing is that no other instance sends into the pause.
 */
final class RedisCoolDowns implements CoolDownRegistry {

	private final RedisLink link;

	private final String sharedKey;

	private final CoolDownRegistry local;

	private final Duration timeout;

	RedisCoolDowns(RedisLink link, String sharedKey, CoolDownRegistry local, Duration timeout) {
		this.link = link;
		this.sharedKey = sharedKey;
		this.local = local;
		this.timeout = timeout;
	}

	@Override
	public void pause(String host, Duration pause) {
		this.local.pause(host, pause);
		this.link.announcePause(this.sharedKey, host, pause, this.timeout);
	}

	@Override
	public Duration remaining(String host) {
		return this.local.remaining(host);
	}

	@Override
	public boolean isEmpty() {
		return this.local.isEmpty();
	}

	/**
	 * A pause announced by any instance, this one included.
	 */
	void apply(String host, Duration pause) {
		this.local.pause(host, pause);
	}

}
