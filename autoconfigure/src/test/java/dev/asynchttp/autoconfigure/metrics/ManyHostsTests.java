package dev.asynchttp.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.asynchttp.autoconfigure.AsyncHttpAutoConfiguration;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpoint;
import dev.asynchttp.autoconfigure.actuate.AsyncHttpEndpointAutoConfiguration;
import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncApiClients;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crawl of 200 hosts: one Reactor Netty server on each of {@code 127.0.0.2} …
 * {@code 127.0.0.201}, one request each. While the hosts' pools live there are 200 of them,
 * at most {@code metrics.max-host-tags} with their own meters and the rest summed under
 * {@code OVERFLOW}; once they have been idle past {@code pool.max-idle-time} and empty
 * past {@code pool.dispose-inactive-after}, the pools, their meters and their endpoint
 * entries are gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManyHostsTests {

	private static final int HOSTS = 200;

	private static final int MAX_HOST_TAGS = 150;

	private static final String POOL = ConnectionPoolMeters.PREFIX + ".";

	private static final List<DisposableServer> servers = new ArrayList<>();

	@BeforeAll
	static void startOneServerPerLoopbackAddress() {
		for (int i = 0; i < HOSTS; i++) {
			servers.add(HttpServer.create()
				.host(address(i))
				.port(0)
				.route((routes) -> routes.get("/items/{id}",
						(request, response) -> response.sendString(Mono.just("item " + request.param("id")))))
				.bindNow());
		}
	}

	@AfterAll
	static void stopServers() {
		servers.forEach((server) -> server.disposeNow(Duration.ofSeconds(5)));
		servers.clear();
	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncHttpAutoConfiguration.class,
				AsyncHttpMetricsAutoConfiguration.class, AsyncHttpEndpointAutoConfiguration.class,
				MetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.metrics.use-global-registry=false",
				"management.endpoints.web.exposure.include=asynchttp",
				"async-http.clients.crawler.pool.max-connections=" + HOSTS,
				// Long enough that no pool goes before the crawl ends, short enough for a test.
				"async-http.clients.crawler.pool.max-idle-time=3s",
				"async-http.clients.crawler.pool.eviction-interval=250ms",
				"async-http.clients.crawler.pool.dispose-inactive-after=1s",
				"async-http.clients.crawler.metrics.max-host-tags=" + MAX_HOST_TAGS);

	@Test
	void poolsMetersAndEndpointEntriesOfIdleHostsAreDisposed(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			AsyncApiClient crawler = context.getBean(AsyncApiClients.class).get("crawler");
			AsyncHttpConnectionPools pools = context.getBean(AsyncHttpConnectionPools.class);
			List<String> bodies = Flux.range(0, HOSTS)
				.flatMap((i) -> crawler.get(url(i) + "/items/{id}", String.class, i), 50)
				.collectList()
				.block(Duration.ofSeconds(60));
			assertThat(bodies).hasSize(HOSTS);

			assertThat(pools.pools("crawler")).hasSize(HOSTS);
			assertThat(endpointEntries(context)).hasSize(HOSTS);
			Set<String> addresses = remoteAddressTags(context);
			assertThat(addresses).hasSize(MAX_HOST_TAGS + 1).contains(ConnectionPoolMeters.OVERFLOW);
			// Six gauges and two timers per own series, and once for the overflow series.
			assertThat(poolMeters(context)).hasSize((MAX_HOST_TAGS + 1) * 8);
			assertThat(registry(context).get(POOL + "total.connections")
				.tags("name", "crawler", "remote.address", ConnectionPoolMeters.OVERFLOW)
				.gauge()
				.value()).isEqualTo(HOSTS - MAX_HOST_TAGS);
			assertThat(output.getAll().split("has connection pools for " + MAX_HOST_TAGS + " hosts", -1))
				.hasSize(2);

			// Idle connections close after 3s (seen by the next sweep), the empty pools go
			// 1s to 1.5s later.
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				assertThat(pools.pools("crawler")).isEmpty();
				assertThat(poolMeters(context)).isEmpty();
				assertThat(endpointEntries(context)).isEmpty();
			});

			// A disposed host's pool comes back on the next call, meters and all.
			assertThat(crawler.get(url(0) + "/items/{id}", String.class, 0).block(Duration.ofSeconds(10)))
				.isEqualTo("item 0");
			assertThat(pools.pools("crawler")).extracting(AsyncHttpConnectionPools.ConnectionPool::remoteAddress)
				.containsExactly(address(0) + ":" + servers.get(0).port());
			assertThat(remoteAddressTags(context)).containsExactly(address(0) + ":" + servers.get(0).port());
		});
	}

	@Test
	void poolsStayWhenDisposalIsOff() {
		this.contextRunner.withPropertyValues("async-http.clients.crawler.pool.dispose-inactive-after=0")
			.run((context) -> {
				AsyncApiClient crawler = context.getBean(AsyncApiClients.class).get("crawler");
				AsyncHttpConnectionPools pools = context.getBean(AsyncHttpConnectionPools.class);
				int hosts = 5;
				Flux.range(0, hosts)
					.flatMap((i) -> crawler.get(url(i) + "/items/{id}", String.class, i))
					.blockLast(Duration.ofSeconds(30));
				// Past idle time + sweep + what dispose-inactive-after=1s would have taken.
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(pools.pools("crawler"))
						.allSatisfy((pool) -> assertThat(pool.metrics().allocatedSize()).isZero()));
				Thread.sleep(2500);
				assertThat(pools.pools("crawler")).hasSize(hosts);
				assertThat(remoteAddressTags(context)).hasSize(hosts);
			});
	}

	private static List<AsyncHttpEndpoint.ConnectionsDescriptor> endpointEntries(
			AssertableApplicationContext context) {
		return context.getBean(AsyncHttpEndpoint.class).client("crawler").state().connections();
	}

	private static List<Meter> poolMeters(AssertableApplicationContext context) {
		return registry(context).getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith(POOL)
					&& "crawler".equals(meter.getId().getTag("name")))
			.toList();
	}

	private static Set<String> remoteAddressTags(AssertableApplicationContext context) {
		return poolMeters(context).stream()
			.map((meter) -> meter.getId().getTag("remote.address"))
			.collect(Collectors.toSet());
	}

	private static MeterRegistry registry(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	private static String address(int i) {
		return "127.0.0." + (i + 2);
	}

	private static String url(int i) {
		return "http://" + address(i) + ":" + servers.get(i).port();
	}

}
