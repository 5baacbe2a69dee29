package dev.asynchttp.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * A small part of the GitHub REST API as a blocking HTTP interface. Its group
 * {@code github} keeps the default client type (a RestClient group), yet it is backed by
 * the {@code github} async-http client all the same, whose total deadline bounds each call.
 */
public interface GitHubApi {

	/**
	 * {@code GET /repos/{owner}/{repo}}.
	 * @param owner the owner
	 * @param repo the repository
	 * @return the repository as JSON
	 */
	@GetExchange("/repos/{owner}/{repo}")
	Map<String, Object> repository(@PathVariable String owner, @PathVariable String repo);

}
