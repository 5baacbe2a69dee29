package dev.asynchttp.sample;

import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that call upstreams through HTTP interfaces instead of the imperative API:
 * {@code GET /interface/demo/delay/{ms}?id=...} (offline, through {@link DemoApi}) and
 * {@code GET /interface/github/repos/{owner}/{repo}} (online only, through the blocking
 * {@link GitHubApi}, called off the event loop).
 */
@RestController
class InterfaceController {

	private final DemoApi demo;

	private final GitHubApi github;

	InterfaceController(DemoApi demo, GitHubApi github) {
		this.demo = demo;
		this.github = github;
	}

	@GetMapping("/interface/demo/delay/{ms}")
	Mono<DemoApi.Delay> delay(@PathVariable long ms,
			@RequestParam(defaultValue = "interface") String id) {
		return this.demo.delay(ms, id);
	}

	@GetMapping("/interface/github/repos/{owner}/{repo}")
	Mono<Map<String, Object>> repository(@PathVariable String owner, @PathVariable String repo) {
		// A blocking interface method must not run on a Netty event loop.
		return Mono.fromCallable(() -> this.github.repository(owner, repo)).subscribeOn(Schedulers.boundedElastic());
	}

}
