package org.modelmarket.billing.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.modelmarket.billing.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Test steps in the API's own terms: listings arrive from catalog events, the rest goes through the REST API. */
public final class Billing {

    public static final String ADMIN = TestTokens.bearer("admin-1", "admin");

    private Billing() {}

    /** A bearer token of a buyer. */
    public static String buyer(String subject) {
        return TestTokens.bearer(subject, "buyer");
    }

    /** A bearer token of a vendor. */
    public static String vendor(String subject) {
        return TestTokens.bearer(subject, "vendor");
    }

    /** A listing published by the catalog, owned by {@code owner}; returns its id once billing knows it. */
    public static UUID listing(String namespace, String name, String priceType, String owner) {
        UUID id = UUID.randomUUID();
        ListingEvents.send(id, ListingEvents.listingChanged(id, namespace, name, 1, priceType, List.of(owner)));
        await().atMost(Duration.ofSeconds(90))
                .until(() -> given().header("Authorization", buyer("probe"))
                                .get("/api/v1/entitlements/" + namespace + "/" + name)
                                .statusCode()
                        == 200);
        return id;
    }

    /** Pricing terms: one monthly plan {@code basic} at {@code price}, optionally a trial and a dimension. */
    public static Map<String, Object> terms(
            String currency, int trialDays, String price, List<Map<String, Object>> dimensions) {
        return Map.of(
                "currency", currency,
                "trialDays", trialDays,
                "plans", List.of(Map.of("code", "basic", "period", "month", "price", price)),
                "dimensions", dimensions);
    }

    public static Map<String, Object> dimension(String name, String unitPrice, long per, long included) {
        return Map.of("name", name, "unitPrice", unitPrice, "per", per, "includedQuantity", included);
    }

    /** Publishes pricing as the owning vendor; fails the test unless it is accepted. */
    public static JsonPath price(String listing, String vendorToken, Object terms) {
        return given().header("Authorization", vendorToken)
                .contentType(ContentType.JSON)
                .body(Map.of("terms", terms))
                .post("/api/v1/listings/" + listing + "/pricing")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    public static Response subscribeResponse(String buyerToken, String listing, String plan, UUID offerId) {
        var body = new java.util.HashMap<String, Object>(
                Map.of("listing", listing, "plan", plan, "termsVersion", "eula-v3"));
        if (offerId != null) {
            body.put("offerId", offerId.toString());
        }
        return given().header("Authorization", buyerToken)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/subscriptions");
    }

    /** Subscribes; fails the test unless it is accepted; returns the subscription. */
    public static JsonPath subscribe(String buyerToken, String listing, String plan) {
        Response response = subscribeResponse(buyerToken, listing, plan, null);
        if (response.statusCode() != 201) {
            throw new AssertionError("subscribe answered " + response.statusCode() + ": " + response.asString());
        }
        return response.jsonPath();
    }

    public static Response post(String token, String path) {
        return given().header("Authorization", token).post(path);
    }

    public static JsonPath get(String token, String path) {
        return given().header("Authorization", token)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
