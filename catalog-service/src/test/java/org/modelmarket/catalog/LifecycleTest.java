package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.modelmarket.catalog.Catalog.ADMIN;
import static org.modelmarket.catalog.Catalog.PROBLEM;
import static org.modelmarket.catalog.Catalog.PROBLEMS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The lifecycle with review: every allowed transition, every forbidden one (409), history, verified vendors. */
@QuarkusTest
class LifecycleTest {

    private static final List<String> STATUSES =
            List.of("draft", "submitted", "published", "rejected", "deprecated", "archived");

    /** action -> statuses it may start from, and where it leads. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "submit", Set.of("draft", "rejected"),
            "withdraw", Set.of("submitted"),
            "approve", Set.of("submitted"),
            "reject", Set.of("submitted"),
            "deprecate", Set.of("published"),
            "archive", Set.of("deprecated", "draft", "rejected"));

    private static final Map<String, String> TARGET = Map.of(
            "submit",
            "submitted",
            "withdraw",
            "draft",
            "approve",
            "published",
            "reject",
            "rejected",
            "deprecate",
            "deprecated",
            "archive",
            "archived");

    static Stream<Arguments> everyActionFromEveryStatus() {
        List<Arguments> cases = new ArrayList<>();
        for (String action : ALLOWED.keySet().stream().sorted().toList()) {
            for (String status : STATUSES) {
                cases.add(Arguments.of(action, status, ALLOWED.get(action).contains(status)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} from {1}: allowed={2}")
    @MethodSource("everyActionFromEveryStatus")
    void transitionsFollowTheLifecycle(String action, String from, boolean allowed) {
        Fixture fixture = Catalog.inStatus(from);
        String token = action.equals("approve") || action.equals("reject") ? ADMIN : fixture.owner();
        Map<String, Object> body = Map.of("reason", "because " + action);
        String etagBefore = Catalog.etag(fixture);
        if (allowed) {
            Catalog.transition(fixture, action, token, body)
                    .statusCode(200)
                    .body("status", equalTo(TARGET.get(action)));
            given().header("Authorization", fixture.owner())
                    .get(fixture.path() + "/history")
                    .then()
                    .statusCode(200)
                    .body("items[-1].action", equalTo(action))
                    .body("items[-1].from", equalTo(from))
                    .body("items[-1].to", equalTo(TARGET.get(action)))
                    .body("items[-1].reason", equalTo("because " + action))
                    .body("items[-1].at", notNullValue());
        } else {
            Catalog.transition(fixture, action, token, body)
                    .statusCode(409)
                    .contentType(PROBLEM)
                    .body("type", equalTo(PROBLEMS + "invalid-transition"));
            // Nothing changed.
            given().header("Authorization", fixture.owner())
                    .get(fixture.path())
                    .then()
                    .body("status", equalTo(from))
                    .header("ETag", equalTo(etagBefore));
        }
    }

    @Test
    void aNewListingIsADraftUntilReviewedAndItsHistorySaysWhoDidWhatAndWhy() {
        Fixture fixture = Catalog.draft();
        given().get(fixture.path()).then().statusCode(404); // drafts are not public
        Catalog.act(fixture, "submit", fixture.owner(), null);
        Catalog.act(fixture, "reject", ADMIN, Map.of("reason", "add a model card"));
        given().header("Authorization", fixture.owner())
                .get(fixture.path())
                .then()
                .body("status", equalTo("rejected"))
                .body("rejectionReason", equalTo("add a model card"));
        Catalog.act(fixture, "submit", fixture.owner(), null);
        Catalog.act(fixture, "approve", ADMIN, null);
        given().get(fixture.path())
                .then()
                .statusCode(200)
                .body("status", equalTo("published"))
                .body("publishedAt", notNullValue())
                .body("rejectionReason", nullValue());
        Fixture successor = Catalog.inStatus("published");
        Catalog.act(fixture, "deprecate", fixture.owner(), Map.of("successor", successor.id(), "reason", "v2 is out"));
        given().get(fixture.path())
                .then()
                .body("status", equalTo("deprecated"))
                .body("successor", equalTo(successor.id()));
        Catalog.act(fixture, "archive", fixture.owner(), null);

        given().get(fixture.path() + "/history")
                .then()
                .statusCode(200)
                .body("id", equalTo(fixture.id()))
                .body(
                        "items.action",
                        contains("create", "submit", "reject", "submit", "approve", "deprecate", "archive"))
                .body(
                        "items.to",
                        contains("draft", "submitted", "rejected", "submitted", "published", "deprecated", "archived"))
                .body(
                        "items.actor",
                        contains(
                                fixture.ownerSubject(),
                                fixture.ownerSubject(),
                                "root",
                                fixture.ownerSubject(),
                                "root",
                                fixture.ownerSubject(),
                                fixture.ownerSubject()))
                .body("items[2].reason", equalTo("add a model card"));
    }

    @Test
    void rejectingNeedsAReasonAndDeprecatingNeedsAnExistingSuccessor() {
        Fixture submitted = Catalog.inStatus("submitted");
        Catalog.transition(submitted, "reject", ADMIN, null)
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("reason"));
        Fixture published = Catalog.inStatus("published");
        Catalog.transition(published, "deprecate", published.owner(), Map.of("successor", "nobody/nothing"))
                .statusCode(400)
                .body("errors.field", hasItem("successor"));
        Catalog.transition(published, "deprecate", published.owner(), Map.of("successor", published.id()))
                .statusCode(400)
                .body("errors.field", hasItem("successor"));
        Catalog.transition(published, "deprecate", published.owner(), Map.of("successor", "Not An Id"))
                .statusCode(400)
                .body("errors.field", hasItem("successor"));
        given().get(published.path()).then().body("status", equalTo("published"));
    }

    @Test
    void theReviewChecklistRequiresAEulaForOtherLicences() {
        String namespace = Listings.freshNamespace();
        String owner = TestTokens.bearer("eula-owner-" + namespace, "vendor");
        Map<String, Object> body = Listings.body(namespace, "proprietary");
        body.put("license", "other");
        given().header("Authorization", owner)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/listings")
                .then()
                .statusCode(201);
        given().header("Authorization", owner)
                .post("/api/v1/listings/" + namespace + "/proprietary/submit")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "incomplete-listing"))
                .body("errors.field", hasItem("eula"));
    }

    @Test
    void verifiedVendorsPublishWithoutReviewUnlessTheyAskForADraft() {
        Fixture fixture = Catalog.draft();
        given().header("Authorization", ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("verified", true))
                .put("/api/v1/vendors/" + fixture.namespace() + "/verification")
                .then()
                .statusCode(200)
                .body("verified", equalTo(true));
        given().header("Authorization", fixture.owner())
                .contentType(ContentType.JSON)
                .body(Listings.body(fixture.namespace(), "direct"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("published"))
                .body("vendor.verified", equalTo(true));
        given().get("/api/v1/listings/" + fixture.namespace() + "/direct/history")
                .then()
                .body("items.action", contains("create", "publish"))
                .body("items[1].reason", equalTo("verified vendor: review waived"));

        Map<String, Object> draft = Listings.body(fixture.namespace(), "kept-draft");
        draft.put("draft", true);
        given().header("Authorization", fixture.owner())
                .contentType(ContentType.JSON)
                .body(draft)
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("draft"));
        // The earlier draft, submitted by a now verified vendor, is published at once.
        Catalog.transition(fixture, "submit", fixture.owner(), null)
                .statusCode(200)
                .body("status", equalTo("published"));
    }

    @Test
    void theReviewQueueListsSubmittedListingsForAdmins() {
        Fixture submitted = Catalog.inStatus("submitted");
        given().header("Authorization", ADMIN)
                .queryParam("status", "submitted")
                .queryParam("size", 100)
                .queryParam("namespace", submitted.namespace())
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo(submitted.id()));
        given().queryParam("status", "submitted")
                .queryParam("namespace", submitted.namespace())
                .get("/api/v1/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }
}
