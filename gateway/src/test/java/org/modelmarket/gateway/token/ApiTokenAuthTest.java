package org.modelmarket.gateway.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SearchResponse;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests authenticated by {@code hf_} API tokens on every surface (pass-through routes, the Hub API, gRPC): the
 * scope and restriction checks at the edge, the JWT the services receive instead of the secret, revocation, expiry
 * and the last-used time. The services are stubs; what they were sent is read back.
 */
@QuarkusTest
class ApiTokenAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String LISTING = "/api/v1/listings/acme/resnet-50";

    @Inject
    DownstreamStub stub;

    @Inject
    TokenService tokens;

    @GrpcClient("marketplace")
    Marketplace marketplace;

    private String owner;
    private String ownerBearer;

    @BeforeEach
    void reset() {
        stub.reset();
        owner = "alice-" + UUID.randomUUID();
        ownerBearer = TestTokens.bearerOf(owner, List.of("acme"), "buyer", "vendor");
    }

    private String token(String scopes) {
        return "Bearer " + ApiTokens.create(ownerBearer, "{\"name\":\"script\",\"scopes\":[" + scopes + "]}");
    }

    @Test
    void readTokenReadsListingsAndTheServiceGetsTheGatewaysJwt() throws Exception {
        String read = token("\"read\"");
        stub.json("catalog", 200, Listings.RESNET);

        given().header("Authorization", read)
                .when()
                .get(LISTING)
                .then()
                .statusCode(200)
                .body("namespace", equalTo("acme"));

        String forwarded = stub.onlyCall("catalog").header("Authorization");
        assertThat(forwarded).doesNotContain("hf_").startsWith("Bearer ey");
        JsonNode claims = ApiTokens.claims(forwarded);
        assertThat(claims.path("iss").asText()).isEqualTo(TestTokens.GATEWAY_ISSUER);
        assertThat(claims.path("sub").asText()).isEqualTo(owner);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(60);
        // vendor needs publish or meter: a read token forwards the buyer role only, and keeps the namespaces.
        assertThat(claims.path("realm_access").path("roles").toString()).isEqualTo("[\"buyer\"]");
        assertThat(claims.path("namespaces").toString()).isEqualTo("[\"acme\"]");
        assertThat(claims.path("scope").asText()).isEqualTo("read");
    }

    @Test
    void theForwardedJwtIsSignedByTheGatewaysKeyAndNamesItByItsThumbprint() throws Exception {
        String read = token("\"read\"");
        stub.json("catalog", 200, Listings.RESNET);

        given().header("Authorization", read).when().get(LISTING).then().statusCode(200);

        String jwt = stub.onlyCall("catalog").header("Authorization").substring("Bearer ".length());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(jwt);
        // kid = the RFC 7638 thumbprint of the signing key's public half, which the services look the key up by
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(TestTokens.gatewayKeyId());
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("RS256");
        jws.setKey(TestTokens.gatewayKeys().getPublic());
        assertThat(jws.verifySignature()).as("signed by the gateway's key").isTrue();
        jws.setKey(TestTokens.gatewayNextKeys().getPublic());
        assertThat(jws.verifySignature()).as("not by the set's other key").isFalse();
    }

    @Test
    void readTokenIsRefusedWritesAndDownloadsAtTheEdge() {
        String read = token("\"read\"");

        given().header("Authorization", read)
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\"}")
                .when()
                .put(LISTING)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/forbidden"))
                .body("detail", containsString("lacks the 'publish' scope"));
        given().header("Authorization", read)
                .when()
                .get(LISTING + "/files/model.bin")
                .then()
                .statusCode(403)
                .body("detail", containsString("lacks the 'download' scope"));
        given().header("Authorization", read)
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/metering")
                .then()
                .statusCode(403)
                .body("detail", containsString("'meter' scope"));
        given().header("Authorization", read)
                .when()
                .post(LISTING + "/approve")
                .then()
                .statusCode(403)
                .body("detail", containsString("'admin' scope"));
        // The Hub's file route answers in the Hub's error shape.
        given().header("Authorization", read)
                .when()
                .get("/acme/resnet-50/resolve/main/model.bin")
                .then()
                .statusCode(403)
                .header("X-Error-Message", containsString("'download' scope"))
                .body("error", containsString("'download' scope"));

        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void downloadAndPublishScopesPass() throws Exception {
        String download = token("\"download\"");
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(200)
                        .putHeader("Content-Type", "application/octet-stream")
                        .end("weights"));
        given().header("Authorization", download)
                .when()
                .get(LISTING + "/files/model.bin")
                .then()
                .statusCode(200)
                .body(equalTo("weights"));
        assertThat(ApiTokens.claims(stub.onlyCall("artifact").header("Authorization"))
                        .path("sub")
                        .asText())
                .isEqualTo(owner);

        String publish = token("\"publish\"");
        stub.json("catalog", 200, Listings.RESNET);
        given().header("Authorization", publish)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body("{\"title\":\"ResNet\"}")
                .when()
                .put(LISTING)
                .then()
                .statusCode(200);
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.body().toString()).isEqualTo("{\"title\":\"ResNet\"}");
        JsonNode roles = ApiTokens.claims(call.header("Authorization"))
                .path("realm_access")
                .path("roles");
        assertThat(roles).extracting(JsonNode::asText).containsExactlyInAnyOrder("buyer", "vendor");
    }

    @Test
    void anAdminTokenAlsoDoesOrdinaryWritesButNotDownloadsOrMetering() throws Exception {
        // admin implies publish (README "API tokens"): an admin's token for moderation also archives, edits, ...
        String adminOwner = TestTokens.bearerOf(owner, List.of("acme"), "buyer", "vendor", "admin");
        String admin = "Bearer " + ApiTokens.create(adminOwner, "{\"name\":\"ops\",\"scopes\":[\"admin\"]}");
        stub.json("catalog", 200, Listings.RESNET);

        given().header("Authorization", admin)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body("{\"title\":\"ResNet\"}")
                .when()
                .put(LISTING)
                .then()
                .statusCode(200);
        given().header("Authorization", admin)
                .when()
                .post(LISTING + "/approve")
                .then()
                .statusCode(200);

        assertThat(stub.calls("catalog"))
                .extracting(DownstreamStub.Recorded::method)
                .containsExactly("PUT", "POST");
        JsonNode claims = ApiTokens.claims(stub.calls("catalog").get(0).header("Authorization"));
        assertThat(claims.path("realm_access").path("roles"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("buyer", "vendor", "admin");

        // Weights and usage reports stay separate grants.
        given().header("Authorization", admin)
                .when()
                .get(LISTING + "/files/model.bin")
                .then()
                .statusCode(403)
                .body("detail", containsString("lacks the 'download' scope"));
        given().header("Authorization", admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/metering")
                .then()
                .statusCode(403)
                .body("detail", containsString("'meter' scope"));
        assertThat(stub.calls("artifact")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void restrictionsHoldAtTheEdge() {
        String acmeOnly = "Bearer "
                + ApiTokens.create(
                        ownerBearer, "{\"name\":\"acme\",\"scopes\":[\"read\",\"publish\"],\"namespace\":\"acme\"}");
        String oneListing = "Bearer "
                + ApiTokens.create(
                        ownerBearer,
                        "{\"name\":\"one\",\"scopes\":[\"read\",\"download\"],\"listings\":[\"acme/resnet-50\"]}");
        stub.json("catalog", 200, Listings.RESNET);

        given().header("Authorization", acmeOnly).when().get(LISTING).then().statusCode(200);
        given().header("Authorization", acmeOnly)
                .when()
                .put("/api/v1/listings/other/model")
                .then()
                .statusCode(403)
                .body("detail", containsString("restricted to namespace acme; other/model is outside it"));
        // A write that names no listing cannot be checked, so a restricted token may not make it.
        given().header("Authorization", acmeOnly)
                .contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/listings")
                .then()
                .statusCode(403)
                .body("detail", containsString("names no listing"));
        given().header("Authorization", oneListing)
                .when()
                .get("/api/v1/listings/acme/other/files/a.bin")
                .then()
                .statusCode(403)
                .body("detail", containsString("restricted to listings acme/resnet-50"));
        assertThat(stub.calls("catalog")).hasSize(1);
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void theModelPageKeepsToTheTokensRestriction() {
        String oneListing = "Bearer "
                + ApiTokens.create(
                        ownerBearer, "{\"name\":\"one\",\"scopes\":[\"read\"],\"listings\":[\"acme/resnet-50\"]}");
        // The page of another listing is outside the restriction like the listing itself: refused at the edge, no
        // service asked for any of its parts (QA: it answered 200 with the other listing's page).
        given().header("Authorization", oneListing)
                .when()
                .get("/api/v1/listings/other/model/page")
                .then()
                .statusCode(403)
                .body("detail", containsString("restricted to listings acme/resnet-50; other/model is outside it"));
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void unknownRevokedAndExpiredTokensAre401() {
        given().header("Authorization", "Bearer hf_" + "x".repeat(40))
                .when()
                .get(LISTING)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer hf_" + "x".repeat(40))
                .when()
                .get("/api/whoami-v2")
                .then()
                .statusCode(401)
                .header("X-Error-Message", equalTo("Invalid credentials in Authorization header"));

        var revoked = ApiTokens.createWithId(ownerBearer, "{\"name\":\"gone\",\"scopes\":[\"read\"]}");
        stub.json("catalog", 200, Listings.RESNET);
        given().header("Authorization", "Bearer " + revoked.get("token"))
                .when()
                .get(LISTING)
                .then()
                .statusCode(200);
        given().header("Authorization", ownerBearer)
                .when()
                .delete("/api/v1/tokens/" + revoked.get("id"))
                .then()
                .statusCode(204);
        given().header("Authorization", "Bearer " + revoked.get("token"))
                .when()
                .get(LISTING)
                .then()
                .statusCode(401);
        assertThat(stub.calls("catalog"))
                .as("the revoked token's call never reached the service")
                .hasSize(1);

        String expiring = "Bearer "
                + ApiTokens.create(
                        ownerBearer,
                        "{\"name\":\"brief\",\"scopes\":[\"read\"]," + "\"expiresAt\":\""
                                + Instant.now().plusSeconds(2) + "\"}");
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().header("Authorization", expiring)
                        .when()
                        .get(LISTING)
                        .then()
                        .statusCode(401));
        // Calls made while it was still valid reached the service; none after its expiry.
        int reached = stub.calls("catalog").size();
        given().header("Authorization", expiring).when().get(LISTING).then().statusCode(401);
        assertThat(stub.calls("catalog")).hasSize(reached);
    }

    @Test
    void lastUseIsRecordedInBatches() {
        var token = ApiTokens.createWithId(ownerBearer, "{\"name\":\"used\",\"scopes\":[\"read\"]}");
        stub.json("catalog", 200, Listings.RESNET);
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token.get("token"))
                    .when()
                    .get(LISTING)
                    .then()
                    .statusCode(200);
        }
        tokens.flushNow().await().atMost(WAIT);

        String lastUsed = given().header("Authorization", ownerBearer)
                .when()
                .get("/api/v1/tokens/" + token.get("id"))
                .then()
                .statusCode(200)
                .body("lastUsedAt", notNullValue())
                .extract()
                .path("lastUsedAt");
        assertThat(Instant.parse(lastUsed))
                .isAfter(before)
                .isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void whoamiShowsTheAccessToken() {
        var created = given().header("Authorization", ownerBearer)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"laptop\",\"scopes\":[\"read\",\"download\"]}")
                .when()
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract();
        String createdAt = created.path("createdAt");

        given().header("Authorization", "Bearer " + created.path("token"))
                .when()
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("id", equalTo(owner))
                .body("auth.type", equalTo("access_token"))
                .body("auth.accessToken.displayName", equalTo("laptop"))
                .body("auth.accessToken.role", equalTo("read"))
                .body(
                        "auth.accessToken.createdAt",
                        equalTo(org.modelmarket.gateway.hub.HubJson.date(Instant.parse(createdAt))))
                .body("orgs[0].name", equalTo("acme"));

        String publish = token("\"publish\"");
        given().header("Authorization", publish)
                .when()
                .get("/api/whoami-v2")
                .then()
                .body("auth.accessToken.role", equalTo("write"));
    }

    @Test
    void grpcTakesApiTokensWithTheSameScopes() throws Exception {
        String read = token("\"read\"");
        stub.json("search", 200, """
                {"total":1,"page":1,"size":5,"items":[{"id":"acme/resnet-50","listingId":"u1","title":"ResNet-50",
                 "priceType":"free","tags":[]}]}""");

        SearchResponse response = withToken(read)
                .search(SearchRequest.newBuilder().setQuery("resnet").build())
                .await()
                .atMost(WAIT);
        assertThat(response.getTotal()).isEqualTo(1);
        assertThat(ApiTokens.claims(stub.onlyCall("search").header("Authorization"))
                        .path("sub")
                        .asText())
                .isEqualTo(owner);

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> withToken(read)
                .downloadFile(DownloadFileRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setPath("model.bin")
                        .build())
                .collect()
                .asList()
                .await()
                .atMost(WAIT));
        assertThat(refused).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) refused).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("'download' scope");
        assertThat(stub.calls("artifact")).isEmpty();

        Throwable unknown =
                org.assertj.core.api.Assertions.catchThrowable(() -> withToken("Bearer hf_" + "y".repeat(40))
                        .search(SearchRequest.newBuilder().setQuery("x").build())
                        .await()
                        .atMost(WAIT));
        assertThat(((StatusRuntimeException) unknown).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private Marketplace withToken(String bearer) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, bearer);
        return GrpcClientUtils.attachHeaders(marketplace, headers);
    }
}
