package org.modelmarket.search.query.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With Elasticsearch unreachable the service still starts, and searches fail fast with a 503 problem. */
@QuarkusTest
@TestProfile(SearchUnavailableTest.ElasticsearchDown.class)
class SearchUnavailableTest {

    @Test
    void searchAnswers503Quickly() {
        given().queryParam("q", "anything")
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(503)
                .time(lessThan(3L), TimeUnit.SECONDS)
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
    void suggestAnswers503Quickly() {
        given().queryParam("q", "whi")
                .when()
                .get("/api/v1/search/suggest")
                .then()
                .statusCode(503)
                .time(lessThan(3L), TimeUnit.SECONDS)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("https://modelmarket.org/problems/search-unavailable"))
                .body("instance", equalTo("/api/v1/search/suggest"));
    }

    @Test
    void validationStillComesFirst() {
        given().queryParam("size", 0).when().get("/api/v1/search").then().statusCode(400);
    }

    /** Elasticsearch on a port nobody listens on; no engines, no consumer, no token checks. */
    public static class ElasticsearchDown implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.elasticsearch.hosts", "127.0.0.1:" + closedPort(),
                    "mp.messaging.incoming.catalog-listings.enabled", "false",
                    "quarkus.oidc.tenant-enabled", "false",
                    // Without the local stack there is no gateway key either: the gateway-token tenant is off too.
                    "quarkus.oidc.gateway.tenant-enabled", "false");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
