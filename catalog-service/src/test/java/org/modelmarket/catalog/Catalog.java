package org.modelmarket.catalog;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.modelmarket.catalog.listing.rest.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Test helper: the five kinds of callers the authorization matrix distinguishes and short-hands to bring a listing
 * into each lifecycle status through the API.
 */
public final class Catalog {

    public static final String PROBLEM = "application/problem+json";
    public static final String PROBLEMS = "https://modelmarket.org/problems/";
    public static final String ADMIN = TestTokens.bearer("root", "admin");
    public static final String BUYER = TestTokens.bearer("buyer-1", "buyer");
    public static final String OTHER_VENDOR = TestTokens.bearer("other-vendor", "vendor");

    /** Who calls. */
    public enum Who {
        ANONYMOUS,
        BUYER,
        OWNER,
        OTHER_VENDOR,
        ADMIN
    }

    /** A fresh vendor namespace whose only member is {@link #owner}, with one listing {@code ns/model}. */
    public record Fixture(String namespace, String name, String ownerSubject, String listingId) {

        public String owner() {
            return TestTokens.bearer(ownerSubject, "vendor");
        }

        public String path() {
            return "/api/v1/listings/" + namespace + "/" + name;
        }

        public String id() {
            return namespace + "/" + name;
        }

        public RequestSpecification as(Who who) {
            RequestSpecification spec = given();
            return switch (who) {
                case ANONYMOUS -> spec;
                case BUYER -> spec.header("Authorization", BUYER);
                case OWNER -> spec.header("Authorization", owner());
                case OTHER_VENDOR -> spec.header("Authorization", OTHER_VENDOR);
                case ADMIN -> spec.header("Authorization", ADMIN);
            };
        }
    }

    private Catalog() {}

    /** A new vendor (owner = a fresh subject with the vendor role) and a draft listing in it. */
    public static Fixture draft() {
        String namespace = Listings.freshNamespace();
        String owner = "owner-" + UUID.randomUUID().toString().substring(0, 8);
        String listingId = given().header("Authorization", TestTokens.bearer(owner, "vendor"))
                .contentType(ContentType.JSON)
                .body(Listings.body(namespace, "model"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .extract()
                .path("listingId");
        return new Fixture(namespace, "model", owner, listingId);
    }

    /** A listing brought to {@code status} through the API ("draft" ... "archived"). */
    public static Fixture inStatus(String status) {
        Fixture fixture = draft();
        switch (status) {
            case "draft" -> {}
            case "submitted" -> act(fixture, "submit", fixture.owner(), null);
            case "rejected" -> {
                act(fixture, "submit", fixture.owner(), null);
                act(fixture, "reject", ADMIN, Map.of("reason", "needs evaluation results"));
            }
            case "published" -> publish(fixture);
            case "deprecated" -> {
                publish(fixture);
                act(fixture, "deprecate", fixture.owner(), null);
            }
            case "archived" -> {
                publish(fixture);
                act(fixture, "deprecate", fixture.owner(), null);
                act(fixture, "archive", fixture.owner(), null);
            }
            default -> throw new IllegalArgumentException(status);
        }
        return fixture;
    }

    public static void publish(Fixture fixture) {
        act(fixture, "submit", fixture.owner(), null);
        act(fixture, "approve", ADMIN, null);
    }

    public static void act(Fixture fixture, String action, String token, Map<String, Object> body) {
        transition(fixture, action, token, body).statusCode(200);
    }

    public static ValidatableResponse transition(
            Fixture fixture, String action, String token, Map<String, Object> body) {
        RequestSpecification request = given().header("Authorization", token);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(fixture.path() + "/" + action).then();
    }

    public static String etag(Fixture fixture) {
        return given().header("Authorization", fixture.owner())
                .get(fixture.path())
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
    }

    /** A full edit body for {@code fixture} (every optional field set). */
    public static Map<String, Object> fullBody(String namespace, String name) {
        Map<String, Object> body = new HashMap<>(Listings.body(namespace, name));
        body.put("modelCard", "# Model\n\nA residual network.");
        body.put("license", "other");
        body.put("eula", "You may use this model for evaluation only.");
        body.put("formats", List.of("safetensors", "onnx"));
        body.put("datasets", List.of("imagenet-1k"));
        body.put("baseModel", "microsoft/resnet-50");
        body.put(
                "evaluationResults",
                List.of(Map.of(
                        "task",
                        "image-classification",
                        "dataset",
                        "imagenet-1k",
                        "split",
                        "validation",
                        "metric",
                        "top-1 accuracy",
                        "value",
                        0.761)));
        body.put(
                "signature",
                Map.of(
                        "inputs",
                                List.of(Map.of(
                                        "name", "pixel_values", "dtype", "float32", "shape", List.of(-1, 3, 224, 224))),
                        "outputs", List.of(Map.of("name", "logits", "dtype", "float32", "shape", List.of(-1, 1000)))));
        body.put(
                "hardware",
                Map.of(
                        "acceleratorRequired",
                        false,
                        "accelerators",
                        List.of("nvidia-t4"),
                        "minMemoryGb",
                        2,
                        "minAcceleratorMemoryGb",
                        4,
                        "notes",
                        "CPU works"));
        body.put("exampleUsage", "model = load('acme/resnet-50')");
        body.put("gated", true);
        body.put("gateTerms", "Do not use for surveillance.");
        return body;
    }
}
