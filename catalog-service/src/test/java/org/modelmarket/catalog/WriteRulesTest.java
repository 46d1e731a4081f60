package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.modelmarket.catalog.Catalog.PROBLEM;
import static org.modelmarket.catalog.Catalog.PROBLEMS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;
import org.modelmarket.catalog.listing.rest.Listings;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Edits and their rules: full information model round trip, If-Match (428/412, concurrent edits), bad input on every
 * write endpoint (400 problem+json, nothing stored), vendors, versions, taxonomy.
 */
@QuarkusTest
class WriteRulesTest {

    @Test
    void theFullInformationModelRoundTripsAndEditsBumpTheETag() {
        Fixture fixture = Catalog.draft();
        Map<String, Object> body = Catalog.fullBody(fixture.namespace(), fixture.name());
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200)
                .header("ETag", matchesPattern("\"2-[0-9a-f]{16}\""))
                .body("version", equalTo(2))
                .body("modelCard", equalTo("# Model\n\nA residual network."))
                .body("license", equalTo("other"))
                .body("eula", notNullValue())
                .body("formats", contains("safetensors", "onnx"))
                .body("datasets", contains("imagenet-1k"))
                .body("baseModel", equalTo("microsoft/resnet-50"))
                .body("evaluationResults[0].metric", equalTo("top-1 accuracy"))
                .body("evaluationResults[0].value", equalTo(0.761f))
                .body("signature.inputs[0].shape", contains(-1, 3, 224, 224))
                .body("signature.outputs[0].name", equalTo("logits"))
                .body("hardware.accelerators", contains("nvidia-t4"))
                .body("exampleUsage", notNullValue())
                .body("gated", equalTo(true))
                .body("gateTerms", equalTo("Do not use for surveillance."))
                .body("vendor.namespace", equalTo(fixture.namespace()))
                .body("vendor.verified", equalTo(false))
                .body("owners", contains(fixture.ownerSubject()))
                .body("stats.downloads", equalTo(0))
                .body("stats.rating", equalTo(0.0f));
        // The same through the id.
        fixture.as(Who.OWNER)
                .get("/api/v1/listings/by-id/" + fixture.listingId())
                .then()
                .statusCode(200)
                .body("id", equalTo(fixture.id()))
                .body("datasets", contains("imagenet-1k"));
        // Gated access: acceptance is recorded per user and queryable.
        Catalog.publish(fixture);
        fixture.as(Who.BUYER)
                .get(fixture.path() + "/gate/acceptance")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(false));
        fixture.as(Who.BUYER)
                .post(fixture.path() + "/gate/acceptance")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(true))
                .body("acceptedAt", notNullValue());
        fixture.as(Who.BUYER)
                .get(fixture.path() + "/gate/acceptance")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(true))
                .body("subject", equalTo("buyer-1"));
        fixture.as(Who.OWNER)
                .get(fixture.path() + "/gate/acceptances")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].subject", equalTo("buyer-1"));
    }

    @Test
    void editsNeedIfMatch428AndAStaleOneIs412() {
        Fixture fixture = Catalog.draft();
        Map<String, Object> body = Listings.body(fixture.namespace(), fixture.name());
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(428)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "precondition-required"));
        body.put("title", "Changed");
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200);
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(412)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "precondition-failed"));
        // Submitted listings are under review: no edits.
        Catalog.act(fixture, "submit", fixture.owner(), null);
        fixture.as(Who.OWNER)
                .header("If-Match", Catalog.etag(fixture))
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEMS + "invalid-transition"));
    }

    @Test
    void ofTwoConcurrentEditsWithTheSameETagOneWinsAndTheOtherGets412() throws Exception {
        for (int round = 0; round < 3; round++) {
            Fixture fixture = Catalog.draft();
            String etag = Catalog.etag(fixture);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> edits = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Map<String, Object> body = Listings.body(fixture.namespace(), fixture.name());
                body.put("title", "Edit " + i);
                edits.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return fixture.as(Who.OWNER)
                            .header("If-Match", etag)
                            .contentType(ContentType.JSON)
                            .body(body)
                            .put(fixture.path())
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> edit : edits) {
                statuses.add(edit.get());
            }
            Collections.sort(statuses);
            assertThat(statuses).containsExactly(200, 412);
            fixture.as(Who.OWNER).get(fixture.path()).then().body("version", equalTo(2));
        }
    }

    static Stream<Arguments> badListingEdits() {
        return Stream.of(
                bad("task", b -> b.put("task", "mind-reading")),
                bad("modality", b -> b.put("modality", "smell")),
                bad("languages[1]", b -> b.put("languages", List.of("en", "xx"))),
                bad("languages[0]", b -> b.put("languages", List.of("pt-BR"))),
                bad("gateTerms", b -> b.put("gated", true)),
                bad(
                        "evaluationResults[0].metric",
                        b -> b.put("evaluationResults", List.of(Map.of("task", "t", "dataset", "d", "value", 1)))),
                bad(
                        "signature.inputs[0].dtype",
                        b -> b.put("signature", Map.of("inputs", List.of(Map.of("name", "x", "dtype", "Float 32"))))),
                bad(
                        "signature.outputs[0].shape[1]",
                        b -> b.put(
                                "signature",
                                Map.of(
                                        "outputs",
                                        List.of(Map.of("name", "y", "dtype", "int64", "shape", List.of(1, -2)))))),
                bad("hardware.minMemoryGb", b -> b.put("hardware", Map.of("minMemoryGb", -1))),
                bad("baseModel", b -> b.put("baseModel", "not a model id")),
                bad("datasets[0]", b -> b.put("datasets", List.of("bad dataset"))),
                bad("formats[0]", b -> b.put("formats", List.of("Safe Tensors"))),
                bad("modelCard", b -> b.put("modelCard", "x".repeat(100_001))),
                bad("title", b -> b.remove("title")),
                bad("name", b -> b.put("name", "other-name")),
                bad("draft", b -> b.put("draft", true)),
                bad("visibility", b -> b.put("visibility", "secret")));
    }

    private static Arguments bad(String field, Consumer<Map<String, Object>> breaker) {
        return Arguments.of(field, breaker);
    }

    @ParameterizedTest(name = "PUT listing with bad {0}")
    @MethodSource("badListingEdits")
    void badEditsAre400ProblemsAndChangeNothing(String field, Consumer<Map<String, Object>> breaker) {
        Fixture fixture = Catalog.draft();
        Map<String, Object> body = Listings.body(fixture.namespace(), fixture.name());
        breaker.accept(body);
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", hasItem(field))
                .body("errors.message", everyItem(notNullValue()));
        fixture.as(Who.OWNER)
                .get(fixture.path())
                .then()
                .body("version", equalTo(1))
                .body("title", equalTo("ResNet-50"));
    }

    /** One bad request against another write endpoint, and how to check that nothing was stored. */
    record BadWrite(String name, String field, Consumer<Fixture> call, Consumer<Fixture> nothingStored) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadWrite> badWrites() {
        return Stream.of(
                new BadWrite(
                        "POST /vendors bad namespace",
                        "namespace",
                        f -> f.as(Who.BUYER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("namespace", "Bad NS", "displayName", "x"))
                                .post("/api/v1/vendors")
                                .then()
                                .statusCode(400)
                                .contentType(PROBLEM)
                                .body("errors.field", hasItem("namespace")),
                        f -> given().get("/api/v1/vendors/Bad NS").then().statusCode(404)),
                new BadWrite(
                        "POST /vendors reserved namespace",
                        "namespace",
                        f -> f.as(Who.BUYER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("namespace", "by-id", "displayName", "x"))
                                .post("/api/v1/vendors")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("namespace")),
                        f -> given().get("/api/v1/vendors/by-id").then().statusCode(404)),
                new BadWrite(
                        "POST /vendors missing displayName and bad website",
                        "displayName",
                        f -> f.as(Who.BUYER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("namespace", "v-" + f.namespace(), "website", "ftp://x"))
                                .post("/api/v1/vendors")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItems("displayName", "website")),
                        f -> given().get("/api/v1/vendors/v-" + f.namespace())
                                .then()
                                .statusCode(404)),
                new BadWrite(
                        "PUT /vendors/{ns} bad website",
                        "website",
                        f -> f.as(Who.OWNER)
                                .header("If-Match", "\"1\"")
                                .contentType(ContentType.JSON)
                                .body(Map.of("displayName", "X", "website", "not a url"))
                                .put("/api/v1/vendors/" + f.namespace())
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("website")),
                        f -> given().get("/api/v1/vendors/" + f.namespace())
                                .then()
                                .body("displayName", equalTo(f.namespace()))
                                .body("website", nullValue())),
                new BadWrite(
                        "PUT /vendors/{ns}/verification without flag",
                        "verified",
                        f -> f.as(Who.ADMIN)
                                .contentType(ContentType.JSON)
                                .body(Map.of())
                                .put("/api/v1/vendors/" + f.namespace() + "/verification")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("verified")),
                        f -> given().get("/api/v1/vendors/" + f.namespace())
                                .then()
                                .body("verified", equalTo(false))),
                new BadWrite(
                        "POST /versions bad version",
                        "version",
                        f -> f.as(Who.OWNER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("version", "1.0"))
                                .post(f.path() + "/versions")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("version")),
                        f -> f.as(Who.OWNER).get(f.path() + "/versions").then().body("total", equalTo(0))),
                new BadWrite(
                        "POST /versions missing version",
                        "version",
                        f -> f.as(Who.OWNER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("releaseNotes", "x"))
                                .post(f.path() + "/versions")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("version")),
                        f -> f.as(Who.OWNER).get(f.path() + "/versions").then().body("total", equalTo(0))),
                new BadWrite(
                        "PUT /reviews/me rating 6",
                        "rating",
                        f -> f.as(Who.BUYER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("rating", 6))
                                .put(f.path() + "/reviews/me")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("rating")),
                        f -> given().get(f.path() + "/reviews").then().body("total", equalTo(0))),
                new BadWrite(
                        "PUT /reviews/me without rating",
                        "rating",
                        f -> f.as(Who.BUYER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("body", "meh"))
                                .put(f.path() + "/reviews/me")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("rating")),
                        f -> given().get(f.path() + "/reviews").then().body("total", equalTo(0))),
                new BadWrite(
                        "PUT /reviews/{id}/reply blank",
                        "body",
                        f -> f.as(Who.OWNER)
                                .contentType(ContentType.JSON)
                                .body(Map.of("body", " "))
                                .put(f.path() + "/reviews/" + java.util.UUID.randomUUID() + "/reply")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("body")),
                        f -> given().get(f.path() + "/reviews").then().body("total", equalTo(0))),
                new BadWrite(
                        "POST reject without reason",
                        "reason",
                        f -> f.as(Who.ADMIN)
                                .post(f.path() + "/reject")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("reason")),
                        f -> given().get(f.path()).then().body("status", equalTo("published"))),
                new BadWrite(
                        "POST deprecate malformed JSON",
                        "body",
                        f -> f.as(Who.OWNER)
                                .contentType(ContentType.JSON)
                                .body("{\"successor\": ")
                                .post(f.path() + "/deprecate")
                                .then()
                                .statusCode(400)
                                .contentType(PROBLEM),
                        f -> given().get(f.path()).then().body("status", equalTo("published"))),
                new BadWrite(
                        "GET /vendors/{ns}/listings size=0",
                        "size",
                        f -> given().queryParam("size", 0)
                                .get("/api/v1/vendors/" + f.namespace() + "/listings")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("size")),
                        f -> {}),
                new BadWrite(
                        "GET /listings status=bogus",
                        "status",
                        f -> given().queryParam("status", "bogus")
                                .get("/api/v1/listings")
                                .then()
                                .statusCode(400)
                                .body("errors.field", hasItem("status")),
                        f -> {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badWrites")
    void badInputOnOtherWriteEndpointsIsA400ProblemAndStoresNothing(BadWrite write) {
        Fixture fixture = Catalog.inStatus("published");
        write.call().accept(fixture);
        write.nothingStored().accept(fixture);
    }

    @Test
    void vendorsHaveProfilesMembersAndAListingQuery() {
        Fixture fixture = Catalog.inStatus("published");
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "displayName", "ACME AI", "description", "Vision models", "website", "https://acme.example"))
                .put("/api/v1/vendors/" + fixture.namespace())
                .then()
                .statusCode(200)
                .body("displayName", equalTo("ACME AI"))
                .body("members", contains(fixture.ownerSubject()));
        given().get("/api/v1/vendors/" + fixture.namespace())
                .then()
                .statusCode(200)
                .body("website", equalTo("https://acme.example"))
                .body("members", nullValue());
        fixture.as(Who.OWNER)
                .put("/api/v1/vendors/" + fixture.namespace() + "/members/colleague")
                .then()
                .statusCode(200)
                .body("members", contains(fixture.ownerSubject(), "colleague"));
        // The listing shows its vendor to everyone, its owners (members) to members only.
        given().get(fixture.path())
                .then()
                .body("vendor.displayName", equalTo("ACME AI"))
                .body("$", not(hasKey("owners")));
        fixture.as(Who.OWNER)
                .get(fixture.path())
                .then()
                .body("vendor.displayName", equalTo("ACME AI"))
                .body("owners", contains(fixture.ownerSubject(), "colleague"));
        // The new member may act for the vendor.
        given().header("Authorization", org.modelmarket.stack.test.TestTokens.bearer("colleague"))
                .contentType(ContentType.JSON)
                .body(Listings.body(fixture.namespace(), "by-colleague"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201);
        // The vendor's listings: the public sees the published one, members the draft too.
        given().get("/api/v1/vendors/" + fixture.namespace() + "/listings")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo(fixture.id()));
        fixture.as(Who.OWNER)
                .queryParam("status", "draft")
                .get("/api/v1/vendors/" + fixture.namespace() + "/listings")
                .then()
                .body("total", equalTo(1))
                .body("items[0].name", equalTo("by-colleague"));
        fixture.as(Who.OWNER)
                .queryParam("size", 1)
                .queryParam("page", 1)
                .get("/api/v1/vendors/" + fixture.namespace() + "/listings")
                .then()
                .body("total", equalTo(2))
                .body("page", equalTo(1))
                .body("items.size()", equalTo(1));
        // A buyer becomes a vendor by creating a namespace, then may list in it.
        String namespace = Listings.freshNamespace();
        String bob = org.modelmarket.stack.test.TestTokens.bearer("bob-" + namespace);
        given().header("Authorization", bob)
                .contentType(ContentType.JSON)
                .body(Map.of("namespace", namespace, "displayName", "Bob's models"))
                .post("/api/v1/vendors")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/vendors/" + namespace));
        given().header("Authorization", bob)
                .contentType(ContentType.JSON)
                .body(Listings.body(namespace, "m"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("draft"));
        given().header("Authorization", bob)
                .contentType(ContentType.JSON)
                .body(Map.of("namespace", namespace, "displayName", "again"))
                .post("/api/v1/vendors")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEMS + "vendor-exists"));
        // The last member stays.
        given().header("Authorization", bob)
                .delete("/api/v1/vendors/" + namespace + "/members/bob-" + namespace)
                .then()
                .statusCode(409);
    }

    @Test
    void versionsAreImmutableOncePublishedAndLatestIsTheNewestPublished() {
        Fixture fixture = Catalog.inStatus("published");
        String versions = fixture.path() + "/versions";
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "1.0.0", "releaseNotes", "first"))
                .post(versions)
                .then()
                .statusCode(201)
                .body("status", equalTo("draft"))
                .header("Location", org.hamcrest.Matchers.endsWith("/versions/1.0.0"));
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "1.0.0"))
                .post(versions)
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEMS + "version-exists"));
        given().get(versions + "/latest").then().statusCode(404);
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("releaseNotes", "first, edited"))
                .put(versions + "/1.0.0")
                .then()
                .statusCode(200)
                .body("releaseNotes", equalTo("first, edited"));
        fixture.as(Who.OWNER)
                .post(versions + "/1.0.0/publish")
                .then()
                .statusCode(200)
                .body("status", equalTo("published"))
                .body("publishedAt", notNullValue());
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("releaseNotes", "rewrite"))
                .put(versions + "/1.0.0")
                .then()
                .statusCode(409)
                .body("type", equalTo(PROBLEMS + "immutable"));
        fixture.as(Who.OWNER).post(versions + "/1.0.0/publish").then().statusCode(409);
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "3f2c9ab"))
                .post(versions)
                .then()
                .statusCode(201);
        fixture.as(Who.OWNER).post(versions + "/3f2c9ab/publish").then().statusCode(200);
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "2.0.0-rc.1"))
                .post(versions)
                .then()
                .statusCode(201);
        given().get(versions + "/latest").then().statusCode(200).body("version", equalTo("3f2c9ab"));
        given().get(versions)
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.version", contains("3f2c9ab", "1.0.0"));
        fixture.as(Who.OWNER).get(versions).then().body("total", equalTo(3));
    }

    @Test
    void theTaxonomyMapsModalitiesToEveryHuggingFaceTaskAndTheStudysSubtypes() {
        List<String> tasks = given().get("/api/v1/taxonomy")
                .then()
                .statusCode(200)
                .body(
                        "modalities.id",
                        contains("image", "text", "video", "audio", "multimodal", "tabular", "reinforcement-learning"))
                .extract()
                .path("modalities.tasks.flatten().id");
        assertThat(tasks)
                .contains(
                        "image-classification",
                        "object-detection",
                        "image-segmentation",
                        "depth-estimation",
                        "text-classification",
                        "token-classification",
                        "question-answering",
                        "translation",
                        "summarization",
                        "text-generation",
                        "fill-mask",
                        "sentence-similarity",
                        "automatic-speech-recognition",
                        "text-to-speech",
                        "audio-classification",
                        "text-to-image",
                        "image-to-text",
                        "visual-question-answering",
                        "tabular-classification",
                        "tabular-regression",
                        "reinforcement-learning",
                        "robotics",
                        "zero-shot-image-classification",
                        "feature-extraction",
                        "video-classification",
                        "text-to-video",
                        "image-text-to-text",
                        "any-to-any",
                        "time-series-forecasting",
                        "mask-generation",
                        "text-ranking",
                        "pose-estimation",
                        "super-resolution",
                        "style-transfer")
                .doesNotHaveDuplicates();
    }
}
