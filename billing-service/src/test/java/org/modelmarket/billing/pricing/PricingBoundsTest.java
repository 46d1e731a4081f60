package org.modelmarket.billing.pricing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.modelmarket.billing.support.Billing.buyer;
import static org.modelmarket.billing.support.Billing.dimension;
import static org.modelmarket.billing.support.Billing.terms;
import static org.modelmarket.billing.support.Billing.vendor;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.billing.support.Billing;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A price that cannot be kept as a long count of minor units is refused when it is published, not when a buyer
 * subscribes to it: before, 10^26 EUR was stored and every subscription to it was a 500 (an overflow in the fee).
 * Likewise a date the database cannot bind (a 500 before).
 */
@QuarkusTest
class PricingBoundsTest {

    private final String ns = "bounds-" + UUID.randomUUID().toString().substring(0, 8);
    private final String owner = "vendor-" + ns;
    private final String listing = ns + "/model";

    @Test
    void aPriceBeyondTheBoundIsRefusedAndNothingIsStored() {
        Billing.listing(ns, "model", "paid", owner);
        given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "terms",
                        terms(
                                "EUR",
                                0,
                                "99999999999999999999999999",
                                List.of(dimension("requests", "1000000000.01", 1, 0)))))
                .post("/api/v1/listings/" + listing + "/pricing")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("errors.field", hasItem("terms.plans[0].price"))
                .body("errors.field", hasItem("terms.dimensions[0].unitPrice"))
                .body("errors.message", hasItem("must be at most 1000000000"));
        given().get("/api/v1/listings/" + listing + "/pricing").then().statusCode(404);
    }

    @Test
    void aDateBeyondTheYear9999IsRefusedAndNothingIsStored() {
        Billing.listing(ns, "model", "paid", owner);
        String far = "+999999999-12-31T23:59:59Z";
        given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of("effectiveFrom", far, "terms", terms("EUR", 0, "10.00", List.of())))
                .post("/api/v1/listings/" + listing + "/pricing")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("effectiveFrom"))
                .body("errors[0].message", equalTo("must be before the year 10000"));
        given().get("/api/v1/listings/" + listing + "/pricing/versions").then().body("size()", equalTo(0));
        given().header("Authorization", vendor(owner))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "listing",
                        listing,
                        "buyer",
                        "buyer-" + ns,
                        "expiresAt",
                        far,
                        "terms",
                        terms("EUR", 0, "10.00", List.of())))
                .post("/api/v1/offers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("expiresAt"));
        given().header("Authorization", vendor(owner))
                .get("/api/v1/offers")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void thePriceAtTheBoundIsSubscribedTo() {
        Billing.listing(ns, "model", "paid", owner);
        Billing.price(listing, vendor(owner), terms("EUR", 0, "1000000000", List.of()));
        Billing.subscribeResponse(buyer("buyer-" + ns), listing, "basic", null)
                .then()
                .statusCode(201)
                .body("status", equalTo("active"));
    }
}
