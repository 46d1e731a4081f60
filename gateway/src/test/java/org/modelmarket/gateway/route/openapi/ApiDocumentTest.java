package org.modelmarket.gateway.route.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The merged OpenAPI document against scripted services' documents: routed operations come with their schemas, what
 * the route table does not route stays out, equal schemas are shared and different ones renamed, and a service that
 * cannot be read keeps the gateway's generic operations and is named.
 */
@QuarkusTest
class ApiDocumentTest {

    @Inject
    DownstreamStub stub;

    @Test
    void mergesTheRoutedOperationsOfEveryServiceWithTheirSchemas() {
        stub.reset();
        stub.json("catalog", 200, """
                {"openapi":"3.1.0","paths":{
                  "/api/v1/listings/{namespace}/{name}":{
                    "get":{"operationId":"getListing","responses":{"200":{"content":{"application/json":{
                      "schema":{"$ref":"#/components/schemas/ListingView"}}}}}},
                    "put":{"requestBody":{"content":{"application/json":{
                      "schema":{"$ref":"#/components/schemas/ListingRequest"}}}},"responses":{"200":{}}}},
                  "/api/v1/internal/reindex":{"post":{"responses":{"204":{}}}}},
                 "components":{"schemas":{
                  "ListingView":{"type":"object","properties":{"stats":{"$ref":"#/components/schemas/Stats"}}},
                  "Stats":{"type":"object","properties":{"downloads":{"type":"integer"}}},
                  "ListingRequest":{"type":"object","required":["modality"]},
                  "Unused":{"type":"string"},
                  "Problem":{"type":"object","properties":{"type":{"type":"string"}}}}}}""");
        stub.json("search", 200, """
                {"openapi":"3.1.0","paths":{
                  "/api/v1/search":{"get":{"responses":{"200":{"content":{"application/json":{
                      "schema":{"$ref":"#/components/schemas/SearchPage"}}}},
                      "400":{"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}}}},
                 "components":{"schemas":{
                  "SearchPage":{"type":"object","properties":{"stats":{"$ref":"#/components/schemas/Stats"}}},
                  "Stats":{"type":"object","properties":{"likes":{"type":"integer"}}},
                  "Problem":{"type":"object","properties":{"type":{"type":"string"}}}}}}""");
        stub.json("artifact", 200, """
                {"openapi":"3.1.0","paths":{
                  "/api/v1/listings/{namespace}/{name}/tree/{revision}/{path}":{"get":{"responses":{"200":{}}}}}}""");
        stub.down("billing");

        JsonPath document = given().when()
                .get("/api/v1/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        // The service's own operation, under the service's path template, replaces the generic route.
        assertThat(document.getString("paths.'/api/v1/listings/{namespace}/{name}'.get.operationId"))
                .isEqualTo("getListing");
        assertThat(document.getString("paths.'/api/v1/listings/{namespace}/{name}'.put.security[0]"))
                .as("a token route says so")
                .contains("bearer");
        assertThat(document.getMap("paths")).doesNotContainKey("/api/v1/listings/{ns}/{name}");
        assertThat(document.getMap("paths")).containsKey("/api/v1/listings/{namespace}/{name}/tree/{revision}/{path}");
        // Not routed by the gateway: not documented.
        assertThat(document.getMap("paths")).doesNotContainKey("/api/v1/internal/reindex");

        // Referenced schemas follow, transitively; equal ones are shared, different ones take the service's name.
        assertThat(document.getMap("components.schemas"))
                .containsKeys("ListingView", "Stats", "ListingRequest", "Problem", "SearchPage", "search.Stats")
                .doesNotContainKey("Unused");
        assertThat(document.getString("components.schemas.SearchPage.properties.stats.$ref"))
                .isEqualTo("#/components/schemas/search.Stats");
        assertThat(document.getString("components.schemas.'search.Stats'.properties.likes.type"))
                .isEqualTo("integer");
        assertThat(document.getString("components.schemas.Stats.properties.downloads.type"))
                .isEqualTo("integer");

        // billing is down: its routes keep the gateway's generic operations, and the document says it is partial.
        assertThat(document.getList("x-modelmarket-unavailable")).containsExactly("billing");
        assertThat(document.getMap("paths")).containsKey("/api/v1/subscriptions");
        // The gateway's own resources are there too.
        assertThat(document.getMap("paths")).containsKey("/api/v1/listings/{ns}/{name}/page");
        assertThat(stub.calls("catalog"))
                .extracting(DownstreamStub.Recorded::uri)
                .contains("/q/openapi?format=json");
    }
}
