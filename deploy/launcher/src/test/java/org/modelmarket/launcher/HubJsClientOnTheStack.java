package org.modelmarket.launcher;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.modelmarket.stack.ModelMarketHome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * Issue 11's acceptance on the whole stack: the real {@code @huggingface/hub} client (2.17.5, the gateway's pinned
 * {@code src/test/hub-client}, script {@code hub-stack.mjs}) against the gateway in front of the real catalog,
 * search, artifact and billing services, with real {@code hf_} API tokens made from real Keycloak tokens. A vendor
 * publishes a folder ({@code createRepo}, {@code uploadFiles}: inline files, an LFS single PUT and a multipart
 * upload) and tags it; a buyer lists with paging, reads model info and the recursive tree, downloads with a checked
 * SHA-256, resumes a ranged read, is refused a gated and a paid listing's weights with {@code GatedRepo} naming where
 * to accept or subscribe, accepts and subscribes through catalog and billing, then downloads them, and finally
 * {@code snapshotDownload}s the tagged version. Each step is checked against the services' own APIs.
 *
 * <p>Run from {@link MarketplaceIT} on its started marketplace, whose gateway has small Hub pages and a small
 * multipart threshold ({@link #GATEWAY_PROPERTIES}) so that paging and multipart happen with a few MiB.
 */
final class HubJsClientOnTheStack {

    /** The gateway settings this check needs: pages of 5 models, multipart above 2 MiB in parts of 1 MiB. */
    static final Map<String, String> GATEWAY_PROPERTIES = Map.of(
            "modelmarket.gateway.hub.page-size", "5",
            "modelmarket.gateway.hub.lfs.multipart-threshold", "2M",
            "modelmarket.gateway.hub.lfs.chunk-size", "1M");

    private static final int CHUNK = 1024 * 1024;
    private static final Path CLIENT = ModelMarketHome.root().resolve("gateway/src/test/hub-client");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Marketplace marketplace;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    HubJsClientOnTheStack(Marketplace marketplace) {
        this.marketplace = marketplace;
    }

    void run() throws Exception {
        assertThat(CLIENT.resolve("node_modules/@huggingface/hub"))
                .as("the gateway's Maven build installs the client with npm ci (phase process-test-resources)")
                .exists();
        String alice = bearer("alice");
        String bob = bearer("bob");
        String vendorToken = apiToken(alice, List.of("read", "publish", "download"));
        String buyerToken = apiToken(bob, List.of("read", "download"));
        String repo = "alice/hub-js-" + suffix;

        // 1. The vendor publishes a folder with the JS client, then tags it as a version.
        Path folder = Files.createTempDirectory("hub-js-folder");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(
                "README.md",
                ("# Hub JS " + suffix + "\n\nPublished with @huggingface/hub.\n").getBytes(StandardCharsets.UTF_8));
        files.put("config.json", "{\"model_type\": \"bert\"}\n".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer/vocab.txt", "[PAD]\n[UNK]\nhello\nworld\n".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", random(1536 * 1024 + 7, 1)); // LFS, one PUT
        files.put("weights/full.bin", random(5 * CHUNK + 123, 2)); // LFS multipart: 6 parts
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = folder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        JsonNode published = script(
                "publish", Map.of("hubUrl", hubUrl(), "token", vendorToken, "repo", repo, "folder", folder.toString()));
        assertThat(published.at("/whoami/name").asText())
                .as("whoami: %s", published)
                .isEqualTo("alice");
        assertThat(published.at("/whoami/role").asText()).isEqualTo("write");
        // alice is a member of the demo vendor alice (DemoData): catalog's memberships are her Hub organisations.
        assertThat(published.at("/whoami/orgs").findValuesAsText("name"))
                .as("whoami orgs: %s", published)
                .contains("alice");
        assertThat(published.at("/whoami/orgs/0/type").asText()).isEqualTo("org");
        assertThat(published.at("/created/repoUrl").asText())
                .as("createRepo: %s", published)
                .endsWith("/" + repo);
        String commit = published.at("/upload/oid").asText();
        assertThat(commit).as("uploadFiles: %s", published).matches("[0-9a-f]{40}");
        assertThat(published.at("/upload/url").asText()).endsWith("/" + repo + "/commit/" + commit);
        // What artifact-service now holds at main: exactly the folder's bytes, in the client's one commit.
        JsonNode tree = given().header("Authorization", alice)
                .queryParam("recursive", true)
                .get("/api/v1/listings/" + repo + "/tree/main")
                .then()
                .statusCode(200)
                .extract()
                .as(JsonNode.class);
        assertThat(tree.path("commit").asText()).isEqualTo(commit);
        Map<String, String> stored = new LinkedHashMap<>();
        tree.path("entries").forEach(e -> {
            if ("file".equals(e.path("type").asText())) {
                stored.put(e.path("path").asText(), e.path("sha256").asText());
            }
        });
        Map<String, String> expected = new LinkedHashMap<>();
        files.forEach((path, bytes) -> expected.put(path, sha256(bytes)));
        assertThat(stored).isEqualTo(expected);
        // The transfers the client was offered: plain LFS (never xet), one single PUT and one of six parts.
        List<JsonNode> objects = new ArrayList<>();
        published.path("lfs").forEach(batch -> {
            assertThat(batch.path("transfer").asText()).isEqualTo("basic");
            batch.path("objects").forEach(objects::add);
        });
        assertThat(objects).hasSize(2);
        JsonNode multipart = objects.stream()
                .filter(o -> !o.path("chunkSize").isNull())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no multipart transfer offered: " + published.path("lfs")));
        assertThat(multipart.path("size").asLong()).isEqualTo(files.get("weights/full.bin").length);
        assertThat(multipart.path("chunkSize").asText()).isEqualTo(String.valueOf(CHUNK));
        assertThat(multipart.path("parts").asInt()).isEqualTo(6);
        assertThat(objects).anySatisfy(o -> {
            assertThat(o.path("size").asLong()).isEqualTo(files.get("model.safetensors").length);
            assertThat(o.path("chunkSize").isNull()).isTrue();
            assertThat(o.path("upload").asBoolean()).isTrue();
        });
        assertThat(published.path("puts")).hasSize(1 + 6).allSatisfy(put -> {
            assertThat(put.path("status").asInt()).isBetween(200, 299);
            assertThat(put.path("authorized").asBoolean())
                    .as("upload URLs authorize themselves")
                    .isFalse();
        });
        // And downloaded back by the same client: the same bytes.
        expected.forEach((path, sha) -> assertThat(published
                        .at("/downloaded/" + path.replace("/", "~1") + "/sha256")
                        .asText())
                .as("%s downloaded back: %s", path, published.path("downloaded"))
                .isEqualTo(sha));

        given().header("Authorization", "Bearer " + vendorToken)
                .contentType(ContentType.JSON)
                .body("{\"tag\":\"v1.0.0\",\"message\":\"First release\"}")
                .post("/api/models/" + repo + "/tag/main")
                .then()
                .statusCode(200)
                .body("targetCommit", equalTo(commit));

        // 2. A gated and a paid listing of the vendor, with weights.
        String gated = StackListings.publish(
                alice, "hub-gated-" + suffix, Map.of("gated", true, "gateTerms", "Be kind to numbats."));
        String paid = StackListings.publish(alice, "hub-paid-" + suffix, Map.of("priceType", "paid"));
        StackListings.price(
                alice, paid, StackListings.terms(List.of(StackListings.plan("monthly", "month", "9.00")), List.of()));
        byte[] weights = random(300_000, 3);
        for (String id : List.of(gated, paid)) {
            StackListings.upload(alice, id, "model.safetensors", weights);
        }

        // 3. The buyer browses and downloads with the JS client.
        int cut = 3 * CHUNK + 17;
        Map<String, Object> readParams = new LinkedHashMap<>();
        readParams.put("hubUrl", hubUrl());
        readParams.put("token", buyerToken);
        readParams.put("author", "acme");
        readParams.put("repo", repo);
        readParams.put("file", "weights/full.bin");
        readParams.put("cut", cut);
        readParams.put("gated", gated);
        readParams.put("paid", paid);
        readParams.put("protectedFile", "model.safetensors");
        JsonNode read = script("read", readParams);

        List<String> acme = demoListings("acme");
        List<String> listed = strings(read.path("list"));
        assertThat(listed)
                .as("listModels: %s", read.path("list"))
                .containsAll(acme)
                .doesNotHaveDuplicates();
        assertThat(listed).allMatch(name -> name.startsWith("acme/"));
        JsonNode pages = read.path("listPages");
        assertThat(pages.size()).as("pages: %s", pages).isGreaterThanOrEqualTo((acme.size() + 4) / 5);
        for (int i = 0; i < pages.size(); i++) {
            assertThat(pages.get(i).path("status").asInt()).isEqualTo(200);
            if (i < pages.size() - 1) {
                assertThat(pages.get(i).path("link").asText())
                        .as("an absolute next link the client followed")
                        .startsWith("<" + hubUrl() + "/api/models?")
                        .endsWith(">; rel=\"next\"")
                        .contains(pages.get(i + 1).path("url").asText());
            }
        }
        assertThat(pages.get(pages.size() - 1).path("link").isNull()).isTrue();

        assertThat(read.at("/info/name").asText())
                .as("modelInfo: %s", read.path("info"))
                .isEqualTo(repo);
        assertThat(read.at("/info/sha").asText()).isEqualTo(commit);
        assertThat(read.at("/info/gated").asBoolean()).isFalse();
        assertThat(strings(read.at("/info/siblings"))).containsExactlyInAnyOrderElementsOf(files.keySet());

        List<String> treeSeen = new ArrayList<>();
        read.path("tree")
                .forEach(e -> treeSeen.add(
                        e.path("type").asText() + " " + e.path("path").asText()));
        List<String> treeExpected = new ArrayList<>(List.of("directory tokenizer", "directory weights"));
        files.keySet().forEach(path -> treeExpected.add("file " + path));
        assertThat(treeSeen).as("listFiles: %s", read.path("tree")).containsExactlyInAnyOrderElementsOf(treeExpected);
        read.path("tree").forEach(e -> {
            if ("file".equals(e.path("type").asText())) {
                byte[] bytes = files.get(e.path("path").asText());
                assertThat(e.path("size").asLong()).isEqualTo(bytes.length);
                assertThat(e.path("lfs").asText()).isEqualTo(sha256(bytes));
            }
        });

        byte[] full = files.get("weights/full.bin");
        assertThat(read.at("/download/sha256").asText())
                .as("download: %s", read.path("download"))
                .isEqualTo(sha256(full));
        assertThat(read.at("/download/size").asLong()).isEqualTo(full.length);
        JsonNode resumed = read.path("resumed");
        assertThat(resumed.path("sha256").asText()).as("resumed: %s", resumed).isEqualTo(sha256(full));
        assertThat(resumed.path("firstSize").asInt()).isEqualTo(cut);
        List<String> ranges = new ArrayList<>();
        resumed.path("reads")
                .forEach(r -> ranges.add(
                        r.path("range").asText() + " " + r.path("status").asInt() + " "
                                + r.path("contentRange").asText()));
        assertThat(ranges)
                .containsExactly(
                        "bytes=0-0 206 bytes 0-0/" + full.length,
                        "bytes=0-" + (cut - 1) + " 206 bytes 0-" + (cut - 1) + "/" + full.length,
                        "bytes=" + cut + "-" + (full.length - 1) + " 206 bytes " + cut + "-" + (full.length - 1) + "/"
                                + full.length);
        assertThat(read.path("missing").asText())
                .as("a missing file is null for the client")
                .isEqualTo("null");

        // Refused: the metadata stays visible ("manual"), the weights are GatedRepo, 403 with a token, 401 without,
        // with a message that names where to accept the terms or subscribe.
        for (String key : List.of("gated", "paid")) {
            String id = key.equals("gated") ? gated : paid;
            assertThat(read.at("/" + key + "Info/gated").asText())
                    .as("%sInfo: %s", key, read)
                    .isEqualTo("manual");
            assertThat(read.at("/" + key + "/statusCode").asInt())
                    .as("%s: %s", key, read.path(key))
                    .isEqualTo(403);
            assertThat(read.at("/" + key + "Anonymous/statusCode").asInt()).isEqualTo(401);
        }
        assertThat(read.at("/gated/error").asText())
                .contains("Access to model " + gated + " is restricted")
                .contains("POST " + marketplace.gatewayUrl() + "/api/v1/listings/" + gated + "/terms/acceptance");
        assertThat(read.at("/paid/error").asText())
                .contains("Access to model " + paid + " is restricted")
                .contains("subscribe at " + marketplace.gatewayUrl() + "/api/v1/subscriptions")
                .contains("(POST {\"listing\": \"" + paid + "\"")
                .contains("GET " + marketplace.gatewayUrl() + "/api/v1/listings/" + paid + "/pricing lists the plans");
        assertThat(read.path("refusals"))
                .hasSize(4)
                .allSatisfy(refusal -> assertThat(refusal.path("status").asInt())
                        .isEqualTo(refusal.path("authorized").asBoolean() ? 403 : 401));

        // 4. The buyer accepts the terms where the message said, and subscribes, through catalog and billing.
        String gatedMessage = read.at("/gated/error").asText();
        String acceptUrl =
                gatedMessage.substring(gatedMessage.indexOf("POST ") + 5).split("[ ,]")[0];
        given().header("Authorization", bob).post(acceptUrl).then().statusCode(200);
        given().header("Authorization", bob)
                .get("/api/v1/listings/" + paid + "/pricing")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("\"monthly\""));
        StackListings.subscribe(bob, paid, "monthly");
        // artifact-service learns both from events (catalog.events, billing.entitlements).
        for (String id : List.of(gated, paid)) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> given().header("Authorization", "Bearer " + buyerToken)
                            .header("Range", "bytes=0-0")
                            .get("/" + id + "/resolve/main/model.safetensors")
                            .then()
                            .statusCode(206));
        }
        JsonNode after = script(
                "after",
                Map.of(
                        "hubUrl",
                        hubUrl(),
                        "token",
                        buyerToken,
                        "gated",
                        gated,
                        "paid",
                        paid,
                        "protectedFile",
                        "model.safetensors"));
        assertThat(after.at("/gated/sha256").asText()).as("after: %s", after).isEqualTo(sha256(weights));
        assertThat(after.at("/paid/sha256").asText()).isEqualTo(sha256(weights));

        // 5. snapshotDownload of the tagged version: the snapshot folder is named by its commit and holds the bytes.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/api/models/" + repo + "/revision/v1.0.0")
                        .then()
                        .statusCode(200)
                        .body("sha", equalTo(commit)));
        Path cache = Files.createTempDirectory("hub-js-cache");
        JsonNode snapshot = script(
                "snapshot",
                Map.of(
                        "hubUrl",
                        hubUrl(),
                        "token",
                        buyerToken,
                        "repo",
                        repo,
                        "revision",
                        "v1.0.0",
                        "cacheDir",
                        cache.toString()));
        assertThat(snapshot.at("/snapshot/folder").asText())
                .as("snapshotDownload: %s", snapshot)
                .endsWith("/models--alice--hub-js-" + suffix + "/snapshots/" + commit);
        Map<String, String> snapshotFiles = new LinkedHashMap<>();
        snapshot.at("/snapshot/files")
                .fields()
                .forEachRemaining(
                        f -> snapshotFiles.put(f.getKey(), f.getValue().asText()));
        assertThat(snapshotFiles).isEqualTo(expected);
    }

    private String hubUrl() {
        return marketplace.gatewayUrl();
    }

    private String bearer(String user) {
        return "Bearer " + marketplace.stack().keycloak().passwordToken("modelmarket-web", user, user);
    }

    private String apiToken(String bearer, List<String> scopes) {
        String token = given().header("Authorization", bearer)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "hub-js-" + String.join("-", scopes), "scopes", scopes))
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        assertThat(token).startsWith("hf_");
        return token;
    }

    /** Runs one step of the script and returns the JSON line it printed. */
    private static JsonNode script(String step, Map<String, ?> parameters) throws IOException, InterruptedException {
        Path output = Files.createTempFile("hub-js-" + step, ".out");
        Process node = new ProcessBuilder(List.of("node", "hub-stack.mjs", step, JSON.writeValueAsString(parameters)))
                .directory(CLIENT.toFile())
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        boolean done = node.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            node.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(done).as("%s finished: %s", step, lines).isTrue();
        assertThat(node.exitValue()).as("%s exit: %s", step, lines).isZero();
        assertThat(lines).as("%s printed its result", step).isNotEmpty();
        JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        System.out.printf("[e2e] hub-stack.mjs %s: %s%n", step, abbreviate(result.toString()));
        return result;
    }

    private static String abbreviate(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    private static List<String> demoListings(String namespace) throws IOException {
        try (InputStream in = HubJsClientOnTheStack.class.getResourceAsStream("/demo/listings.json")) {
            return StreamSupport.stream(JSON.readTree(in).spliterator(), false)
                    .filter(l -> namespace.equals(l.path("namespace").asText()))
                    .map(l -> namespace + "/" + l.path("name").asText())
                    .toList();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
