package org.modelmarket.launcher;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.CreateListingRequest;
import org.modelmarket.gateway.grpc.v1.MarketplaceGrpc;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SearchResponse;
import org.modelmarket.stack.Ports;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The walking skeleton end to end: the five packaged services on the real engines, driven through the gateway with
 * real Keycloak tokens, the demo data loaded by the launcher exactly as {@code deploy/run.sh} does.
 */
class MarketplaceIT {

    private static Marketplace marketplace;
    private static final Map<ServiceApp, Integer> PORTS = new EnumMap<>(ServiceApp.class);

    @BeforeAll
    static void start() {
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "marketplace-it-" + UUID.randomUUID());
        long begin = System.nanoTime();
        marketplace = Marketplace.start(MarketplaceConfig.forTests(dataDir, true));
        System.out.printf("[e2e] marketplace with demo data ready in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        RestAssured.baseURI = marketplace.gatewayUrl();
        for (ServiceApp app : ServiceApp.values()) {
            PORTS.put(app, marketplace.port(app));
        }
    }

    @AfterAll
    static void stop() {
        List<Integer> enginePorts = List.of(
                marketplace.stack().postgres().port(),
                marketplace.stack().kafka().port(),
                marketplace.stack().elasticsearch().port(),
                marketplace.stack().keycloak().port());
        marketplace.close();
        PORTS.values()
                .forEach(port -> assertThat(Ports.inUse(port))
                        .as("service port %d released", port)
                        .isFalse());
        enginePorts.forEach(port -> assertThat(Ports.inUse(port))
                .as("engine port %d released", port)
                .isFalse());
    }

    private static String bearer(String user) {
        return "Bearer " + marketplace.stack().keycloak().passwordToken("modelmarket-web", user, user);
    }

    @Test
    void gatewayIsReadyAndSearchReturnsTheDemoListings() {
        given().get("/q/health/ready").then().statusCode(200);
        given().queryParam("size", 100)
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("total", greaterThanOrEqualTo(34))
                .body("items.id", hasItem("acme/whisper-small"));
        given().queryParam("q", "speech recognition")
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("items.id", hasItem("acme/whisper-small"));
    }

    @Test
    void aVendorsNewListingIsSearchableOverRestWithinSeconds() {
        String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", bearer("alice"))
                .contentType(ContentType.JSON)
                .body(Map.ofEntries(
                        Map.entry("namespace", "alice"),
                        Map.entry("name", name),
                        Map.entry("title", "Quokka detector " + name),
                        Map.entry("summary", "Finds quokkas in holiday photos"),
                        Map.entry("modality", "image"),
                        Map.entry("task", "object-detection"),
                        Map.entry("license", "mit"),
                        Map.entry("priceType", "free"),
                        Map.entry("tags", List.of("wildlife")),
                        Map.entry("frameworks", List.of("onnx"))))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("id", equalTo("alice/" + name));
        long created = System.nanoTime();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().queryParam("q", "quokka " + name)
                        .get("/api/v1/search")
                        .then()
                        .statusCode(200)
                        .body("items.id", hasItem("alice/" + name)));
        System.out.printf("[e2e] write-to-searchable: %d ms%n", (System.nanoTime() - created) / 1_000_000);
    }

    @Test
    void anUnverifiedVendorsListingIsADraftAndSearchableOnlyOnceAnAdminApprovesIt() {
        // The demo vendors are verified by the loader (their listings skip review); bob, a buyer, becomes an unverified
        // vendor, all through the gateway.
        String bob = bearer("bob");
        String namespace = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", bob)
                .contentType(ContentType.JSON)
                .body(Map.of("namespace", namespace, "displayName", "Bob's models"))
                .post("/api/v1/vendors")
                .then()
                .statusCode(201)
                .body("verified", equalTo(false));
        given().header("Authorization", bob)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "namespace",
                        namespace,
                        "name",
                        "wombat",
                        "title",
                        "Wombat counter " + namespace,
                        "summary",
                        "Counts wombats at night",
                        "modality",
                        "image",
                        "task",
                        "object-detection",
                        "license",
                        "mit",
                        "priceType",
                        "free"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("draft"));
        given().header("Authorization", bob)
                .post("/api/v1/listings/" + namespace + "/wombat/submit")
                .then()
                .statusCode(200)
                .body("status", equalTo("submitted"));
        given().get("/api/v1/listings/" + namespace + "/wombat").then().statusCode(404);
        given().queryParam("q", "wombat " + namespace)
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("items.id", not(hasItem(namespace + "/wombat")));

        given().header("Authorization", bob)
                .post("/api/v1/listings/" + namespace + "/wombat/approve")
                .then()
                .statusCode(403);
        given().header("Authorization", bearer("admin"))
                .post("/api/v1/listings/" + namespace + "/wombat/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("published"));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> given().queryParam("q", "wombat " + namespace)
                        .get("/api/v1/search")
                        .then()
                        .statusCode(200)
                        .body("items.id", hasItem(namespace + "/wombat")));
        given().get("/api/v1/listings/" + namespace + "/wombat")
                .then()
                .statusCode(200)
                .body("status", equalTo("published"));
    }

    @Test
    void onlyVendorsMayCreateListings() {
        Map<String, Object> body = Map.of(
                "namespace",
                "bob",
                "name",
                "not-allowed",
                "title",
                "No",
                "summary",
                "No",
                "modality",
                "text",
                "task",
                "text-classification",
                "license",
                "mit",
                "priceType",
                "free");
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/listings")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", bearer("bob"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/listings")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-token")
                .queryParam("q", "x")
                .get("/api/v1/search")
                .then()
                .statusCode(401);
    }

    @Test
    void filesComeBackWithTheirSha256() throws Exception {
        byte[] content = ("weights " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        given().header("Authorization", bearer("acme"))
                .contentType("application/octet-stream")
                .body(content)
                .put("/api/v1/listings/acme/resnet-50-imagenet/files/weights/model.bin")
                .then()
                .statusCode(201)
                .body("sha256", equalTo(sha256))
                .body("size", equalTo(content.length));
        Response download = given().get("/api/v1/listings/acme/resnet-50-imagenet/files/weights/model.bin");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.asByteArray()).isEqualTo(content);
        assertThat(download.header("X-Checksum-Sha256")).isEqualTo(sha256);
        given().get("/api/v1/listings/acme/resnet-50-imagenet/files")
                .then()
                .statusCode(200)
                .body("files.path", hasItem("README.md"));
        // The download travels artifact-service's outbox -> artifact.downloads -> catalog-service's stats projection.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/api/v1/listings/acme/resnet-50-imagenet")
                        .then()
                        .statusCode(200)
                        .body("stats.downloads", greaterThanOrEqualTo(1)));
    }

    @Test
    void freeListingsAreEntitledAndPaidOnesAreNot() {
        String bob = bearer("bob");
        given().header("Authorization", bob)
                .get("/api/v1/entitlements/acme/bert-base-uncased")
                .then()
                .statusCode(200)
                .body("granted", equalTo(true));
        given().header("Authorization", bob)
                .get("/api/v1/entitlements/nimbus/yolo-edge-s")
                .then()
                .statusCode(200)
                .body("granted", equalTo(false));
        given().get("/api/v1/entitlements/acme/bert-base-uncased").then().statusCode(401);
    }

    @Test
    void grpcSearchFindsAListingCreatedOverGrpc() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(Ports.LOOPBACK, marketplace.port(ServiceApp.GATEWAY))
                .usePlaintext()
                .build();
        try {
            MarketplaceGrpc.MarketplaceBlockingStub anonymous =
                    MarketplaceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(30));
            String name = "grpc-" + UUID.randomUUID().toString().substring(0, 8);
            CreateListingRequest create = CreateListingRequest.newBuilder()
                    .setNamespace("alice")
                    .setName(name)
                    .setTitle("Platypus tracker " + name)
                    .setSummary("Tracks platypuses in river footage")
                    .setModality("video")
                    .setTask("object-detection")
                    .setLicense("mit")
                    .setPriceType("free")
                    .build();
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                    StatusRuntimeException.class, () -> anonymous.createListing(create))
                            .getStatus()
                            .getCode())
                    .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);

            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), bearer("alice"));
            MarketplaceGrpc.MarketplaceBlockingStub vendor =
                    anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            assertThat(vendor.createListing(create).getId()).isEqualTo("alice/" + name);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        SearchResponse found = anonymous.search(SearchRequest.newBuilder()
                                .setQuery("platypus " + name)
                                .build());
                        assertThat(found.getItemsList())
                                .extracting(hit -> hit.getId())
                                .contains("alice/" + name);
                    });
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * The Hub write API on the real services (gateway README, "Write API"): create_repo, preupload, an LFS object
     * through the batch API's single PUT into artifact-service, a commit naming an object never uploaded refused
     * with nothing written, the NDJSON commit, the file downloaded back through resolve, and create_tag as a version.
     */
    @Test
    void aVendorPublishesWithTheHubWriteApi() throws Exception {
        String token = bearer("acme");
        String name = "hub-" + UUID.randomUUID().toString().substring(0, 8);
        String repo = "acme/" + name;
        byte[] weights = ("weights " + UUID.randomUUID()).repeat(100).getBytes(StandardCharsets.UTF_8);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
        String missing =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));

        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"organization\":\"acme\",\"type\":\"model\"}")
                .post("/api/repos/create")
                .then()
                .statusCode(200)
                .body("name", equalTo(repo));
        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body("{\"files\":[{\"path\":\"model.safetensors\",\"size\":" + weights.length + ",\"sample\":\"\"}]}")
                .post("/api/models/" + repo + "/preupload/main")
                .then()
                .statusCode(200)
                .body("files[0].uploadMode", equalTo("lfs"));
        String href = given().header("Authorization", token)
                .contentType("application/vnd.git-lfs+json")
                .accept("application/vnd.git-lfs+json")
                .body("{\"operation\":\"upload\",\"transfers\":[\"basic\",\"multipart\"],\"objects\":[{\"oid\":\""
                        + sha256 + "\",\"size\":" + weights.length + "}],\"hash_algo\":\"sha256\"}")
                .post("/" + repo + ".git/info/lfs/objects/batch")
                .then()
                .statusCode(200)
                .extract()
                .path("objects[0].actions.upload.href");
        given().body(weights).put(href).then().statusCode(200);

        String header = "{\"key\":\"header\",\"value\":{\"summary\":\"Add weights\"}}\n";
        given().header("Authorization", token)
                .contentType("application/x-ndjson")
                .body((header + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"other.bin\",\"algo\":\"sha256\",\"oid\":\""
                                + missing + "\",\"size\":1}}")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/models/" + repo + "/commit/main")
                .then()
                .statusCode(400);
        given().header("Authorization", token)
                .get("/api/models/" + repo + "/tree/main")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));

        String commit = given().header("Authorization", token)
                .contentType("application/x-ndjson")
                .body((header
                                + "{\"key\":\"file\",\"value\":{\"path\":\"README.md\",\"content\":\"IyBIdWIK\",\"encoding\":\"base64\"}}\n"
                                + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"model.safetensors\",\"algo\":\"sha256\",\"oid\":\""
                                + sha256 + "\",\"size\":" + weights.length + "}}")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/models/" + repo + "/commit/main")
                .then()
                .statusCode(200)
                .extract()
                .path("commitOid");
        Response download = given().header("Authorization", token).get("/" + repo + "/resolve/main/model.safetensors");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("X-Repo-Commit")).isEqualTo(commit);
        assertThat(download.asByteArray()).isEqualTo(weights);

        given().header("Authorization", token)
                .contentType(ContentType.JSON)
                .body("{\"tag\":\"v1.0.0\"}")
                .post("/api/models/" + repo + "/tag/main")
                .then()
                .statusCode(200)
                .body("targetCommit", equalTo(commit));
        // The version reaches artifact-service through catalog.events (VersionPublished).
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().header("Authorization", token)
                        .get("/api/models/" + repo + "/revision/1.0.0")
                        .then()
                        .statusCode(200)
                        .body("sha", equalTo(commit)));
    }
}
