package org.modelmarket.search.query.rest;

import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

/**
 * With Elasticsearch unresponsive (a port that takes connections and never answers: a hung node) the service still
 * starts, and searches end in a 503 problem once the client's own timeouts run out instead of hanging. No wall-clock
 * bound on the answer (a loaded machine may be slow): the test's HTTP client gives up only long after those timeouts,
 * so what fails it is a service that waits for Elasticsearch without end.
 */
@QuarkusTest
@TestProfile(SearchUnavailableTest.ElasticsearchHung.class)
class SearchUnavailableTest {

    /** The Elasticsearch client's timeouts in this profile: 1 s to connect, 1 s per read. */
    static final String CONNECTION_TIMEOUT = "1S";

    static final String SOCKET_TIMEOUT = "1S";
    /**
     * How long this test's HTTP client waits for the service: far beyond the timeouts above, so reaching it means the
     * service never gave up on Elasticsearch (a busy machine only makes the 503 later, not later than this).
     */
    static final int CLIENT_GIVES_UP_MS = 60_000;

    private static RequestSpecification given() {
        return RestAssured.given()
                .config(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", CLIENT_GIVES_UP_MS)
                                .setParam("http.socket.timeout", CLIENT_GIVES_UP_MS)));
    }

    @Test
    void searchAnswers503WhenElasticsearchDoesNotAnswer() {
        given().queryParam("q", "anything")
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://modelmarket.org/problems/search-unavailable"))
                .body("status", equalTo(503))
                .body("title", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("instance", equalTo("/api/v1/search"))
                // every 5xx carries an error id, also in its detail (and in the log line)
                .body("errorId", org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"))
                .body("detail", org.hamcrest.Matchers.containsString("error id"));
    }

    @Test
    void suggestAnswers503WhenElasticsearchDoesNotAnswer() {
        given().queryParam("q", "whi")
                .when()
                .get("/api/v1/search/suggest")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://modelmarket.org/problems/search-unavailable"))
                .body("instance", equalTo("/api/v1/search/suggest"));
    }

    @Test
    void validationStillComesFirst() {
        given().queryParam("size", 0).when().get("/api/v1/search").then().statusCode(400);
    }

    /**
     * Elasticsearch on a port that accepts connections (the kernel completes them into the listen backlog) but never
     * answers, like a hung node; no engines, no consumer, no token checks.
     */
    public static class ElasticsearchHung implements QuarkusTestProfile {

        static final ServerSocket NODE = hungNode();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.elasticsearch.hosts",
                    "127.0.0.1:" + NODE.getLocalPort(),
                    "quarkus.elasticsearch.connection-timeout",
                    CONNECTION_TIMEOUT,
                    "quarkus.elasticsearch.socket-timeout",
                    SOCKET_TIMEOUT,
                    "mp.messaging.incoming.catalog-listings.enabled",
                    "false",
                    "quarkus.oidc.tenant-enabled",
                    "false",
                    // Without the local stack there is no gateway key either: the gateway-token tenants are off too.
                    "modelmarket.gateway-tokens.enabled",
                    "false");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        private static ServerSocket hungNode() {
            try {
                // never accept()ed: connections wait in the backlog and no byte ever comes back; left open until the
                // test JVM ends, as the profile's Quarkus app may outlive this class
                return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
