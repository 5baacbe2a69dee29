package dev.asynchttp.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The async-http sample: a WebFlux application that serves its own slow demo upstream
 * ({@code /demo/**}), crawls it ({@code /crawl}) and downloads from it ({@code /download})
 * through the {@code demo} client configured in {@code application.yml}.
 */
@SpringBootApplication
public class SampleApplication {

	private static final Logger logger = LoggerFactory.getLogger(SampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/**
	 * Once the server is up, run one short crawl and say what to try next. It runs in the
	 * background and a failure is only logged.
	 * @param crawler the crawler
	 * @return the listener
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> startupCrawl(Crawler crawler) {
		return (event) -> {
			Environment environment = event.getApplicationContext().getEnvironment();
			String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
			String base = "http://localhost:" + port;
			crawler.crawl(100, 50, 0).subscribe((result) -> logger.info("""
					Startup crawl through the 'demo' client: {}
					Try:
					  {}/crawl?n=2000&delayMs=50
					  {}/download?mb=100
					  {}/actuator/metrics
					  {}/actuator/asynchttp
					  {}/actuator/health""", result, base, base, base, base, base),
					(ex) -> logger.warn("Startup crawl failed (the application keeps running)", ex));
		};
	}

}
