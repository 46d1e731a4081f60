package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Optional;

import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.junit.jupiter.api.Test;

/**
 * The auth cache of the Elasticsearch client's HTTP client: off without a user (it only costs a deserialization per
 * request), kept with one (preemptive Basic authentication needs it). Apache's builder does not expose the flag, so
 * the test reads its field.
 */
class ElasticsearchHttpClientConfigTest {

    @Test
    void withoutAUserTheAuthCacheIsOff() throws ReflectiveOperationException {
        assertThat(authCachingDisabled(new ElasticsearchHttpClientConfig(Optional.empty())))
                .isTrue();
        assertThat(authCachingDisabled(new ElasticsearchHttpClientConfig(Optional.of(" "))))
                .isTrue();
    }

    @Test
    void withAUserTheAuthCacheStaysSoCredentialsGoOutPreemptively() throws ReflectiveOperationException {
        assertThat(authCachingDisabled(new ElasticsearchHttpClientConfig(Optional.of("modelmarket"))))
                .isFalse();
    }

    private static boolean authCachingDisabled(ElasticsearchHttpClientConfig config)
            throws ReflectiveOperationException {
        HttpAsyncClientBuilder builder = config.customizeHttpClient(HttpAsyncClientBuilder.create());
        Field field = HttpAsyncClientBuilder.class.getDeclaredField("authCachingDisabled");
        field.setAccessible(true);
        return field.getBoolean(builder);
    }
}
