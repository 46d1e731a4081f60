package org.modelmarket.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.modelmarket.stack.Http;
import org.modelmarket.stack.StackException;
import org.modelmarket.stack.keycloak.KeycloakEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Loads the demo listings ({@code demo/listings.json}: every modality, free, paid and trial, with model cards,
 * evaluation results and versions) and their files through
 * the gateway's public API, as their vendors, with real Keycloak tokens. Listings that already exist are skipped,
 * so a restart on kept data loads nothing twice.
 * <p>
 * The catalog reviews listings of unverified vendors (a new listing is a draft until an admin approves it); listings
 * of verified vendors are published at once. So before loading, each demo vendor gets its vendor namespace (created
 * by the vendor's own user) and is verified by the realm's {@code admin} user, which makes their listings, and those
 * they create later (alice in the end-to-end tests), searchable within seconds as before. Both calls are idempotent.
 * <p>
 * Paid and trial listings carry their vendor's {@code pricing} (plans, usage dimensions, free trial days; billing's
 * {@code POST .../pricing} body), published once billing knows the listing: without it a buyer cannot subscribe, and
 * the quickstart's story (402, subscribe, download) would end at the 402. Pricing is checked for every demo listing
 * on each load, so data kept from a run before the demo had pricing gets it too.
 */
final class DemoData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final KeycloakEngine keycloak;
    private final Map<String, String> tokens = new HashMap<>();
    private final JsonNode listings = readListings();

    DemoData(String gatewayUrl, KeycloakEngine keycloak) {
        this.gatewayUrl = gatewayUrl;
        this.keycloak = keycloak;
    }

    /** What a load created: listings, and pricing versions (of new listings, or of kept ones that had none). */
    record Loaded(int listings, int pricings) {}

    /** Loads what is missing. */
    Loaded load() {
        verifyVendors();
        int created = 0;
        for (JsonNode listing : listings) {
            String id = listing.get("namespace").asText() + "/"
                    + listing.get("name").asText();
            if (Http.status(gatewayUrl + "/api/v1/listings/" + id) == 200) {
                continue;
            }
            String bearer = "Bearer "
                    + tokens.computeIfAbsent(
                            listing.get("vendor").asText(),
                            vendor -> keycloak.passwordToken("modelmarket-web", vendor, vendor));
            ObjectNode body = listing.deepCopy();
            body.remove("vendor");
            body.remove("files");
            body.remove("versions");
            body.remove("pricing");
            expect(
                    201,
                    Http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/listings"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", bearer)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build()),
                    "create " + id);
            String head = null;
            for (Iterator<Map.Entry<String, JsonNode>> files =
                            listing.get("files").fields();
                    files.hasNext(); ) {
                Map.Entry<String, JsonNode> file = files.next();
                head = upload(id, file.getKey(), file.getValue().asText(), bearer);
            }
            for (JsonNode version : listing.path("versions")) {
                addVersion(id, version, head, bearer);
            }
            created++;
        }
        // After every listing: billing has had the whole load's time to consume their catalog events, so the waits
        // in price() are normally none.
        int priced = 0;
        for (JsonNode listing : listings) {
            if (listing.has("pricing") && price(listing)) {
                priced++;
            }
        }
        return new Loaded(created, priced);
    }

    /** Publishes the listing's demo pricing as its vendor unless billing already shows one; whether it published. */
    private boolean price(JsonNode listing) {
        String id =
                listing.get("namespace").asText() + "/" + listing.get("name").asText();
        String url = gatewayUrl + "/api/v1/listings/" + id + "/pricing";
        if (Http.status(url) == 200) {
            return false;
        }
        String bearer = "Bearer "
                + tokens.computeIfAbsent(
                        listing.get("vendor").asText(),
                        vendor -> keycloak.passwordToken("modelmarket-web", vendor, vendor));
        // Billing learns the listing from the catalog's event: a 404 (listing-not-found) until it has.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = Http.send(json(url, bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(
                            listing.get("pricing").toString()))
                    .build());
            if (response.statusCode() != 404 || System.nanoTime() > deadline) {
                expect(201, response, "price " + id);
                return true;
            }
            sleep();
        }
    }

    /** Creates each demo vendor's namespace (as that vendor) and verifies it (as admin); both idempotent. */
    private void verifyVendors() {
        String admin = "Bearer " + keycloak.passwordToken("modelmarket-web", "admin", "admin");
        Set<String> done = new HashSet<>();
        for (JsonNode listing : listings) {
            String namespace = listing.get("namespace").asText();
            if (!done.add(namespace)) {
                continue;
            }
            String bearer = "Bearer "
                    + tokens.computeIfAbsent(
                            listing.get("vendor").asText(),
                            vendor -> keycloak.passwordToken("modelmarket-web", vendor, vendor));
            ObjectNode vendor = JSON.createObjectNode()
                    .put("namespace", namespace)
                    .put("displayName", namespace.substring(0, 1).toUpperCase() + namespace.substring(1));
            HttpResponse<String> created = Http.send(json(gatewayUrl + "/api/v1/vendors", bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(vendor.toString()))
                    .build());
            if (created.statusCode() != 409) {
                expect(201, created, "create vendor " + namespace);
            }
            expect(
                    200,
                    Http.send(json(gatewayUrl + "/api/v1/vendors/" + namespace + "/verification", admin)
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"verified\":true}"))
                            .build()),
                    "verify vendor " + namespace);
        }
    }

    /**
     * Creates a version of {@code id} naming {@code commit} (the commit of the listing's last demo file, so that the
     * version resolves to those files for good) and publishes it unless it says {@code "publish": false} (a draft).
     */
    private void addVersion(String id, JsonNode version, String commit, String bearer) {
        String name = version.get("version").asText();
        ObjectNode body = JSON.createObjectNode()
                .put("version", name)
                .put("releaseNotes", version.path("releaseNotes").asText(""));
        if (commit != null) {
            body.put("commit", commit);
        }
        expect(
                201,
                Http.send(json(gatewayUrl + "/api/v1/listings/" + id + "/versions", bearer)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build()),
                "create version " + id + "@" + name);
        if (version.path("publish").asBoolean(true)) {
            expect(
                    200,
                    Http.send(json(gatewayUrl + "/api/v1/listings/" + id + "/versions/" + name + "/publish", bearer)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build()),
                    "publish version " + id + "@" + name);
        }
    }

    private static HttpRequest.Builder json(String url, String bearer) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer)
                .header("Content-Type", "application/json");
    }

    /** Uploads one file; the commit it made on {@code main}. */
    private String upload(String id, String path, String content, String bearer) {
        // The artifact service learns the listing from the catalog's event: retry briefly until it has.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = Http.send(
                    HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/listings/" + id + "/files/" + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", bearer)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                            .build());
            if (response.statusCode() != 404 || System.nanoTime() > deadline) {
                expect(201, response, "upload " + id + "/" + path);
                return readCommit(response.body(), "upload " + id + "/" + path);
            }
            sleep();
        }
    }

    private static String readCommit(String body, String what) {
        try {
            return JSON.readTree(body).path("commit").asText(null);
        } catch (IOException e) {
            throw new StackException("Demo data: " + what + " answered no JSON: " + body, e);
        }
    }

    private static void expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new StackException(
                    "Demo data: " + what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static JsonNode readListings() {
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/listings.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("demo/listings.json is part of the launcher jar", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while loading demo data", e);
        }
    }
}
