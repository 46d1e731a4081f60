package org.modelmarket.gateway.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.token.ApiTokens;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code GET /api/whoami-v2}'s {@code orgs}: the vendors catalog lists for {@code member=me} (asked with the caller's
 * own token, or an API token's forwarded JWT), narrowed for a restricted API token; with catalog down or failing, the
 * token's {@code namespaces} claim, and whoami still answers.
 */
@QuarkusTest
class WhoAmIOrgsTest {

    /** What catalog's {@code GET /api/v1/vendors?member=me} answers for a member of two vendors. */
    static final String TWO_VENDORS = """
            {"total":2,"page":0,"size":100,"items":[
             {"namespace":"acme","displayName":"ACME AI","verified":true,"members":["m"],"version":3},
             {"namespace":"beta","displayName":"Beta Labs","verified":false,"members":["m","n"],"version":1}]}""";

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aMembersOrgsAreTheirVendorsInCatalog() {
        String bearer = TestTokens.bearer("alice-" + UUID.randomUUID(), "vendor");
        stub.json("catalog", 200, TWO_VENDORS);
        given().header("Authorization", bearer)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs.name", contains("acme", "beta"))
                .body("orgs.type", contains("org", "org"))
                .body("orgs.id", contains("acme", "beta"))
                .body("orgs.fullname", contains("ACME AI", "Beta Labs"))
                .body("orgs.roleInOrg", contains("admin", "admin"))
                .body("orgs.canPay", contains(false, false))
                .body("orgs[0].periodEnd", nullValue())
                .body("auth.accessToken.role", equalTo("write"));
        var call = stub.onlyCall("catalog");
        assertThat(call.method() + " " + call.uri()).isEqualTo("GET /api/v1/vendors?member=me&size=100");
        assertThat(call.header("Authorization")).as("asked as the caller").isEqualTo(bearer);
    }

    @Test
    void aBuyerInNoVendorHasNoOrgsWhateverTheClaimSays() {
        // catalog is the truth: a namespaces claim naming a vendor the caller has left shows nothing
        stub.json("catalog", 200, """
                {"total":0,"page":0,"size":100,"items":[]}""");
        given().header("Authorization", TestTokens.bearerOf("bob-" + UUID.randomUUID(), List.of("gone"), "buyer"))
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs", empty())
                .body("auth.accessToken.role", equalTo("read"));
    }

    @Test
    void catalogDownOrFailingLeavesTheClaimsOrgsAndWhoamiAnswers() {
        String claimed = TestTokens.bearerOf("carol-" + UUID.randomUUID(), List.of("acme"), "vendor");
        stub.down("catalog");
        given().header("Authorization", claimed)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("id", startsWith("carol-"))
                .body("orgs.name", contains("acme"))
                .body("orgs.type", contains("org"));
        assertThat(stub.calls("catalog")).as("catalog was asked").isNotEmpty();

        stub.reset();
        stub.json("catalog", 503, """
                {"type":"https://modelmarket.org/problems/unavailable","title":"Unavailable","status":503}""");
        given().header("Authorization", claimed)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs.name", contains("acme"));

        // A Keycloak token of the demo realm carries no namespaces claim: no orgs, still a 200.
        stub.down("catalog");
        given().header("Authorization", TestTokens.bearer("dave-" + UUID.randomUUID(), "buyer"))
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs", empty())
                .body("auth.type", equalTo("access_token"));
    }

    @Test
    void anApiTokenAsksWithItsForwardedJwtAndARestrictedOneSeesOnlyItsNamespace() {
        String owner = "erin-" + UUID.randomUUID();
        String ownerBearer = TestTokens.bearerOf(owner, List.of("acme"), "buyer", "vendor");
        String unrestricted = "Bearer " + ApiTokens.create(ownerBearer, "{\"name\":\"all\",\"scopes\":[\"read\"]}");
        String inAcme = "Bearer "
                + ApiTokens.create(
                        ownerBearer, "{\"name\":\"acme-only\",\"scopes\":[\"publish\"],\"namespace\":\"acme\"}");
        String oneListing = "Bearer "
                + ApiTokens.create(
                        ownerBearer, "{\"name\":\"one\",\"scopes\":[\"read\"],\"listings\":[\"beta/model\"]}");
        stub.json("catalog", 200, TWO_VENDORS);

        given().header("Authorization", unrestricted)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("id", equalTo(owner))
                .body("orgs.name", contains("acme", "beta"))
                .body("auth.accessToken.displayName", equalTo("all"));
        String forwarded = stub.onlyCall("catalog").header("Authorization");
        assertThat(forwarded)
                .as("the gateway's JWT for the owner, never the hf_ secret")
                .startsWith("Bearer ey")
                .isNotEqualTo(unrestricted);

        given().header("Authorization", inAcme)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs.name", contains("acme"))
                .body("orgs.fullname", contains("ACME AI"));
        given().header("Authorization", oneListing)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs.name", contains("beta"));

        // Catalog down: the forwarded JWT's claim, narrowed the same way (the owner's namespaces at creation: acme).
        stub.down("catalog");
        given().header("Authorization", inAcme)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs.name", contains("acme"));
        given().header("Authorization", oneListing)
                .get("/api/whoami-v2")
                .then()
                .statusCode(200)
                .body("orgs", empty());
    }
}
