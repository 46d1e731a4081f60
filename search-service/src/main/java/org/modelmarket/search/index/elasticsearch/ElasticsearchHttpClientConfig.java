package org.modelmarket.search.index.elasticsearch;

import java.util.Optional;

import jakarta.enterprise.context.Dependent;

import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.elasticsearch.client.RestClientBuilder;

import io.quarkus.elasticsearch.restclient.lowlevel.ElasticsearchClientConfig;

/**
 * Tunes the low-level Elasticsearch client's HTTP client: without a user to authenticate, no auth cache. The client
 * puts a Basic scheme in an auth cache for every node (for preemptive Basic authentication), and Apache's auth-cache
 * interceptor reads it back on every request by Java deserialization; with no credentials that work is for nothing
 * and was about 5 % of search-service's CPU per search (JFR under load). With {@code quarkus.elasticsearch.username}
 * set, the cache stays, so credentials keep going out preemptively instead of after a 401 on each request.
 */
@ElasticsearchClientConfig
@Dependent
public class ElasticsearchHttpClientConfig implements RestClientBuilder.HttpClientConfigCallback {

    private final boolean authenticated;

    public ElasticsearchHttpClientConfig(
            @ConfigProperty(name = "quarkus.elasticsearch.username") Optional<String> username) {
        this.authenticated = username.filter(user -> !user.isBlank()).isPresent();
    }

    @Override
    public HttpAsyncClientBuilder customizeHttpClient(HttpAsyncClientBuilder builder) {
        return authenticated ? builder : builder.disableAuthCaching();
    }
}
