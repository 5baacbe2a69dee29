package dev.asynchttp.sample;

import java.util.Map;

import dev.asynchttp.client.AsyncApiClient;
import dev.asynchttp.client.AsyncHttpException;
import dev.asynchttp.client.AsyncHttpInvalidRequestException;
import dev.asynchttp.client.AsyncHttpTimeoutException;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * {@code GET /github/repos/{owner}/{repo}}: the guide's API client example. <b>Online
 * only</b>: it calls https://api.github.com (unauthenticated, so GitHub allows 60 calls an
 * hour); offline it answers 502 with the typed error's message.
 */
@RestController
class GitHubController {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
			new ParameterizedTypeReference<>() {
			};

	private final AsyncApiClient github;

	GitHubController(@Qualifier("github") AsyncApiClient github) {
		this.github = github;
	}

	@GetMapping("/github/repos/{owner}/{repo}")
	Mono<ResponseEntity<Map<String, Object>>> repo(@PathVariable String owner, @PathVariable String repo) {
		return this.github.get("/repos/{owner}/{repo}", JSON_OBJECT, owner, repo)
			.map(ResponseEntity::ok)
			.onErrorResume(WebClientResponseException.class,
					(ex) -> error(ex.getStatusCode().value(), "GitHub answered " + ex.getStatusCode()))
			.onErrorResume(AsyncHttpException.class, (ex) -> error(status(ex).value(), ex.getMessage()));
	}

	private static HttpStatus status(AsyncHttpException ex) {
		if (ex instanceof AsyncHttpInvalidRequestException) {
			return HttpStatus.BAD_REQUEST;
		}
		return (ex instanceof AsyncHttpTimeoutException) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
	}

	private static Mono<ResponseEntity<Map<String, Object>>> error(int status, String message) {
		Map<String, Object> body = Map.of("status", status, "error", String.valueOf(message));
		return Mono.just(ResponseEntity.status(status).body(body));
	}

}
