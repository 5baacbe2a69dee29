package dev.asynchttp.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * The sample's HTTP interfaces. Each group is named after an async-http client
 * ({@code async-http.clients.demo} and {@code .github} in {@code application.yml}), so each
 * proxy is backed by that client; nothing else is needed.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "demo", types = DemoApi.class, clientType = ClientType.WEB_CLIENT)
@ImportHttpServices(group = "github", types = GitHubApi.class)
class HttpInterfacesConfiguration {

}
