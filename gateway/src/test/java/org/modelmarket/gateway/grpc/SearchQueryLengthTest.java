package org.modelmarket.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.assertStatus;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.FacetedSearchRequest;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.Search;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SuggestRequest;
import org.modelmarket.gateway.search.SearchLimits;
import org.modelmarket.gateway.testing.DownstreamStub;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A search query longer than search-service takes ({@link SearchLimits}) is refused by the gateway, over gRPC with
 * INVALID_ARGUMENT naming the limit, before a URL too long for search-service is built (it answered that with a bare
 * 414, which reached the caller as "search answered 414").
 */
@QuarkusTest
class SearchQueryLengthTest {

    /** About 100 KB of text. */
    private static final String LONG_QUERY = "speech to text ".repeat(7000);

    @GrpcClient("marketplace")
    Search search;

    @GrpcClient("marketplace")
    Marketplace marketplace;

    @Inject
    DownstreamStub stub;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aQueryOverTheLimitIsInvalidArgumentNamingIt() {
        StatusRuntimeException faceted = assertStatus(
                () -> search.search(FacetedSearchRequest.newBuilder()
                                .setQuery(LONG_QUERY)
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(faceted.getStatus().getDescription()).isEqualTo("query: may be at most 256 characters");

        StatusRuntimeException first = assertStatus(
                () -> marketplace
                        .search(SearchRequest.newBuilder().setQuery(LONG_QUERY).build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(first.getStatus().getDescription()).isEqualTo("query: may be at most 256 characters");

        StatusRuntimeException suggest = assertStatus(
                () -> search.suggest(
                                SuggestRequest.newBuilder().setQuery(LONG_QUERY).build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(suggest.getStatus().getDescription()).isEqualTo("query: may be at most 64 characters");

        // One over the limit is refused as well, and nothing reached search-service.
        assertStatus(
                () -> search.search(FacetedSearchRequest.newBuilder()
                                .setQuery("a".repeat(SearchLimits.MAX_QUERY_LENGTH + 1))
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void aQueryAtTheLimitIsSearched() {
        stub.json("search", 200, "{\"total\":0,\"items\":[]}");
        search.search(FacetedSearchRequest.newBuilder()
                        .setQuery("a".repeat(SearchLimits.MAX_QUERY_LENGTH))
                        .build())
                .await()
                .atMost(WAIT);
        stub.json("search", 200, "{\"q\":\"a\",\"items\":[]}");
        search.suggest(SuggestRequest.newBuilder()
                        .setQuery("a".repeat(SearchLimits.MAX_SUGGEST_LENGTH))
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(stub.calls("search")).hasSize(2);
    }

    @Test
    void restAnswersTheSameLimitAsAProblem() throws Exception {
        // A long pasted text (2 KB): over search-service's limit, within the gateway's 16 KiB request line.
        HttpResponse<String> answer = get("api/v1/search?q=" + "speech+to+text+".repeat(140));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body())
                .contains("\"status\":400")
                .contains("\"detail\":\"q: may be at most 256 characters\"");

        HttpResponse<String> suggest =
                get("api/v1/search/suggest?q=" + "a".repeat(SearchLimits.MAX_SUGGEST_LENGTH + 1));
        assertThat(suggest.statusCode()).as(suggest.body()).isEqualTo(400);
        assertThat(suggest.body()).contains("\"detail\":\"q: may be at most 64 characters\"");
        assertThat(stub.calls("search")).isEmpty();

        // Beyond the request-line limit the HTTP server answers before any route (a bare 414, see README Errors).
        assertThat(get("api/v1/search?q=" + LONG_QUERY.replace(" ", "+")).statusCode())
                .isEqualTo(414);
        assertThat(stub.calls("search")).isEmpty();

        // At the limit the query goes on to search-service as it is.
        stub.json("search", 200, "{\"total\":0,\"items\":[]}");
        String atLimit = "a".repeat(SearchLimits.MAX_QUERY_LENGTH);
        assertThat(get("api/v1/search?q=" + atLimit).statusCode()).isEqualTo(200);
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search?q=" + atLimit);
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(gateway + path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
