package dev.asynchttp.sample;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * The demo upstream as an HTTP interface. Registered in the {@code demo} group
 * ({@link HttpInterfacesConfiguration}), so its calls go through the {@code demo}
 * async-http client: its pool, retries, deadline and metrics.
 */
@HttpExchange("/demo")
public interface DemoApi {

	/**
	 * {@code GET /demo/delay/{ms}}: an answer after {@code ms} milliseconds.
	 * @param ms the delay
	 * @param id echoed back
	 * @return the reply
	 */
	@GetExchange("/delay/{ms}")
	Mono<Delay> delay(@PathVariable long ms, @RequestParam String id);

	/**
	 * {@code GET /demo/status/{code}}: an answer with that status. A 503 is retried by the
	 * client; what is left fails as a {@code WebClientResponseException}.
	 * @param code the status
	 * @return the JSON body
	 */
	@GetExchange("/status/{code}")
	Mono<Map<String, Object>> status(@PathVariable int code);

	/**
	 * The demo upstream's delayed answer.
	 * @param delayMs how long the upstream waited
	 * @param id the id sent
	 */
	record Delay(long delayMs, String id) {
	}

}
