package org.modelmarket.artifact.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.modelmarket.artifact.TestListings.ALICE;
import static org.modelmarket.artifact.TestListings.PROBLEM;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A listing's own open-file rule ({@code GET/PUT/DELETE .../file-access}) against the real PostgreSQL: it decides
 * which files a non-buyer may read and which downloads count, listings without one keep the service's default, bad
 * patterns are refused with nothing stored, only owners and admins may change it, and catalog's later listing events
 * leave it alone.
 */
@QuarkusTest
class FileAccessTest {

    private static final String BUYER = TestTokens.bearer("buyer-" + UUID.randomUUID(), "buyer");
    private static final String CAROL = TestTokens.bearer("carol", "vendor");
    private static final String ADMIN = TestTokens.bearer("root-" + UUID.randomUUID(), "admin");

    @Inject
    Pool pool;

    @Inject
    ArtifactConfig config;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aListingThatOpensOnlyItsReadmeRefusesItsConfigToANonBuyer() {
        Ref ref = paidListingWithFiles("readme-only");
        // The default rule first: the config is open.
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(200);

        put(ALICE, ref, List.of("README.md"))
                .then()
                .statusCode(200)
                .body("listing", equalTo(ref.namespace() + "/model"))
                .body("openFiles", contains("README.md"))
                .body("source", equalTo("listing"))
                .body("updatedAt", notNullValue());

        given().get(ref.file("README.md")).then().statusCode(200).body(equalTo("# Model"));
        given().get(ref.file("config.json"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/login-required"));
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(402)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/subscription-required"));
        given().header("Authorization", BUYER)
                .header("X-ModelMarket-Redirect", "signed")
                .redirects()
                .follow(false)
                .get(ref.file("config.json"))
                .then()
                .statusCode(402);
        given().header("Authorization", ALICE)
                .get(ref.file("config.json"))
                .then()
                .statusCode(200);

        // Visible to anyone who sees the listing, and in its file list.
        given().get(ref.base() + "/file-access")
                .then()
                .statusCode(200)
                .body("openFiles", contains("README.md"))
                .body("source", equalTo("listing"))
                .body("defaultOpenFiles", equalTo(config.access().openFiles()));
        JsonPath list = given().get(ref.base() + "/files")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getList("openFiles")).containsExactly("README.md");
        assertThat(openByPath(list))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("README.md", true, "config.json", false, "model.safetensors", false));
        assertThat(storedRule(ref)).containsExactly("README.md");
        // The tree answers carry the same flag.
        JsonPath tree = given().get(ref.base() + "/tree/main")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(openByPath(tree, "entries"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("README.md", true, "config.json", false, "model.safetensors", false));
        given().get(ref.base() + "/tree/main/config.json")
                .then()
                .statusCode(200)
                .body("entries.path", contains("config.json"))
                .body("entries.open", contains(false));
    }

    @Test
    void aListingThatOpensJsonFilesServesThemAndProtectsTheRest() {
        Ref ref = paidListingWithFiles("json-open");
        TestListings.uploaded(ref, "configs/tokenizer.json", "{\"t\":1}");
        TestListings.uploaded(ref, "docs/guide/intro.txt", "hello");

        put(ALICE, ref, List.of("*.json", "docs/**")).then().statusCode(200);

        given().get(ref.file("config.json")).then().statusCode(200).body(equalTo("{}"));
        given().get(ref.file("configs/tokenizer.json")).then().statusCode(200);
        given().get(ref.file("docs/guide/intro.txt")).then().statusCode(200).body(equalTo("hello"));
        // The README is no longer open: this listing's rule replaces the default, it does not add to it.
        given().header("Authorization", BUYER).get(ref.file("README.md")).then().statusCode(402);
        given().header("Authorization", BUYER)
                .get(ref.file("model.safetensors"))
                .then()
                .statusCode(402);

        // The tree flags files by the same rule (patterns with '/' on the whole path); folders carry no flag.
        JsonPath tree = given().get(ref.base() + "/tree/main?recursive=true")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Boolean> expected = new java.util.HashMap<>();
        expected.put("README.md", false);
        expected.put("config.json", true);
        expected.put("model.safetensors", false);
        expected.put("configs", null);
        expected.put("configs/tokenizer.json", true);
        expected.put("docs", null);
        expected.put("docs/guide", null);
        expected.put("docs/guide/intro.txt", true);
        assertThat(openByPath(tree, "entries")).containsExactlyInAnyOrderEntriesOf(expected);
        given().get(ref.base() + "/tree/main/docs")
                .then()
                .statusCode(200)
                .body("entries.path", contains("docs/guide"))
                .body("entries[0].type", equalTo("directory"))
                .body("entries[0].open", nullValue());
    }

    @Test
    void listingsWithoutARuleKeepTheDefaultAndDeleteReturnsToIt() {
        Ref untouched = paidListingWithFiles("default");
        Ref changed = paidListingWithFiles("cleared");
        put(ALICE, changed, List.of("README.md")).then().statusCode(200);

        given().get(untouched.base() + "/file-access")
                .then()
                .statusCode(200)
                .body("source", equalTo("default"))
                .body("openFiles", equalTo(config.access().openFiles()))
                .body("updatedAt", nullValue());
        given().header("Authorization", BUYER)
                .get(untouched.file("config.json"))
                .then()
                .statusCode(200);
        given().header("Authorization", BUYER)
                .get(untouched.file("model.safetensors"))
                .then()
                .statusCode(402);
        given().header("Authorization", BUYER)
                .get(changed.file("config.json"))
                .then()
                .statusCode(402);

        given().header("Authorization", ALICE)
                .delete(changed.base() + "/file-access")
                .then()
                .statusCode(200)
                .body("source", equalTo("default"))
                .body("openFiles", equalTo(config.access().openFiles()))
                .body("updatedAt", notNullValue());
        assertThat(storedRule(changed)).isNull();
        given().header("Authorization", BUYER)
                .get(changed.file("config.json"))
                .then()
                .statusCode(200);
    }

    @Test
    void theRuleDecidesWhichDownloadsCount() {
        Ref ref = TestListings.create("count-rule");
        TestListings.uploaded(ref, "config.json", "{}");
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(200);
        assertThat(tallied(ref, "config.json")).isZero();

        put(ALICE, ref, List.of("README.md")).then().statusCode(200);
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(200);
        assertThat(tallied(ref, "config.json")).isOne();
    }

    @Test
    void catalogsLaterListingEventsKeepTheRule() {
        Ref ref = paidListingWithFiles("kept");
        put(ALICE, ref, List.of("README.md")).then().statusCode(200);

        TestListings.apply(ref, 2, "public", "paid", null);

        assertThat(storedRule(ref)).containsExactly("README.md");
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(402);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"openFiles\":[\"[a-\"]}",
                "{\"openFiles\":[\"{a,{b}}\"]}",
                "{\"openFiles\":[\"\"]}",
                "{\"openFiles\":[\"  \"]}",
                "{\"openFiles\":[null]}",
                "{\"openFiles\":[\"/etc/passwd\"]}",
                "{\"openFiles\":[\"../*.json\"]}",
                "{\"openFiles\":[\"docs//*.md\"]}",
                "{\"openFiles\":[\"a\\\\*.md\"]}",
                "{\"openFiles\":[\"a\\u0000b\"]}",
                "{\"openFiles\":[\"README.md\",\"README.md\"]}",
            })
    void badPatternsAreRefusedAndNothingIsStored(String body) {
        Ref ref = paidListingWithFiles("bad");
        put(ALICE, ref, List.of("README.md")).then().statusCode(200);

        given().header("Authorization", ALICE)
                .contentType("application/json")
                .body(body)
                .put(ref.base() + "/file-access")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/validation"))
                .body("errors.field", contains(body.contains(",\"README.md") ? "openFiles[1]" : "openFiles[0]"));

        assertThat(storedRule(ref)).containsExactly("README.md");
    }

    @Test
    void malformedBodiesAndTooManyPatternsAreRefused() {
        Ref ref = paidListingWithFiles("malformed");
        List<String> many =
                IntStream.range(0, 101).mapToObj(i -> "f" + i + ".md").toList();
        List<String> tooLong = List.of("a".repeat(257));
        for (Object body : List.of("{}", "{\"openFiles\":\"README.md\"}", "[\"README.md\"]", "not json")) {
            given().header("Authorization", ALICE)
                    .contentType("application/json")
                    .body(body)
                    .put(ref.base() + "/file-access")
                    .then()
                    .statusCode(400)
                    .contentType(PROBLEM);
        }
        put(ALICE, ref, many).then().statusCode(400).contentType(PROBLEM).body("errors.field", contains("openFiles"));
        put(ALICE, ref, tooLong).then().statusCode(400).body("errors[0].message", containsString("at most 256"));
        given().header("Authorization", ALICE)
                .contentType("text/plain")
                .body("README.md")
                .put(ref.base() + "/file-access")
                .then()
                .statusCode(415);
        assertThat(storedRule(ref)).isNull();

        // Nothing open at all is a valid rule: every file is then a weight file.
        put(ALICE, ref, List.of()).then().statusCode(200).body("openFiles", equalTo(List.of()));
        assertThat(storedRule(ref)).isEmpty();
        given().header("Authorization", BUYER).get(ref.file("README.md")).then().statusCode(402);
    }

    @Test
    void onlyOwnersAndAdminsMayChangeTheRule() {
        Ref ref = paidListingWithFiles("who");
        put(ALICE, ref, List.of("README.md")).then().statusCode(200);

        given().contentType("application/json")
                .body("{\"openFiles\":[\"*\"]}")
                .put(ref.base() + "/file-access")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
        given().delete(ref.base() + "/file-access").then().statusCode(401).contentType(PROBLEM);
        put(BUYER, ref, List.of("*"))
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/forbidden"));
        put(CAROL, ref, List.of("*"))
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/not-listing-owner"));
        given().header("Authorization", CAROL)
                .delete(ref.base() + "/file-access")
                .then()
                .statusCode(403)
                .body("type", equalTo("https://modelmarket.org/problems/not-listing-owner"));
        assertThat(storedRule(ref)).containsExactly("README.md");
        given().header("Authorization", BUYER)
                .get(ref.file("config.json"))
                .then()
                .statusCode(402);

        // An admin may.
        put(ADMIN, ref, List.of("README.md", "config.json")).then().statusCode(200);
        assertThat(storedRule(ref)).containsExactly("README.md", "config.json");
        assertThat(storedBy(ref)).startsWith("root-");
    }

    @Test
    void ifMatchRefusesAStaleRuleAndTheEtagFollowsEachChange() throws Exception {
        Ref ref = paidListingWithFiles("if-match");
        given().get(ref.base() + "/file-access").then().statusCode(200).header("ETag", "\"0\"");

        put(ALICE, ref, List.of("README.md"), "\"0\"")
                .then()
                .statusCode(200)
                .header("ETag", "\"1\"")
                .body("openFiles", contains("README.md"));
        // Another editor still holding revision 0: refused, nothing changes.
        put(ALICE, ref, List.of("*.json"), "\"0\"")
                .then()
                .statusCode(412)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/precondition-failed"))
                .body("detail", containsString("\"1\""));
        // A weak tag never matches (strong comparison), so neither does W/"1".
        put(ALICE, ref, List.of("*.json"), "W/\"1\"").then().statusCode(412);
        given().header("Authorization", ALICE)
                .header("If-Match", "\"0\"")
                .delete(ref.base() + "/file-access")
                .then()
                .statusCode(412)
                .contentType(PROBLEM);
        assertThat(storedRule(ref)).containsExactly("README.md");
        assertThat(accessEvents(ref)).hasSize(1);

        // One of several tags, or *, matches; without If-Match the last writer wins (the header is optional).
        put(ALICE, ref, List.of("*.json"), "\"7\", \"1\"")
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
        put(ALICE, ref, List.of("*.md"), "*").then().statusCode(200).header("ETag", "\"3\"");
        put(ALICE, ref, List.of("README.md")).then().statusCode(200).header("ETag", "\"4\"");
        given().header("Authorization", ALICE)
                .header("If-Match", "\"4\"")
                .delete(ref.base() + "/file-access")
                .then()
                .statusCode(200)
                .header("ETag", "\"5\"")
                .body("source", equalTo("default"));
        given().get(ref.base() + "/file-access").then().statusCode(200).header("ETag", "\"5\"");
        assertThat(storedRule(ref)).isNull();
        // A refused caller learns nothing from If-Match: the ownership check comes first.
        put(CAROL, ref, List.of("*"), "\"5\"")
                .then()
                .statusCode(403)
                .body("type", equalTo("https://modelmarket.org/problems/not-listing-owner"));
    }

    @Test
    void eachChangePublishesFileAccessChangedAndARepeatPublishesNothing() throws Exception {
        Ref ref = paidListingWithFiles("event");
        put(ALICE, ref, List.of("README.md", "*.json")).then().statusCode(200).header("ETag", "\"1\"");

        List<JsonNode> events = accessEvents(ref);
        assertThat(events).hasSize(1);
        JsonNode set = events.get(0);
        assertThat(set.get("type").asText()).isEqualTo("org.modelmarket.artifact.FileAccessChanged");
        assertThat(set.get("subject").asText()).isEqualTo(ref.id().toString());
        assertThat(set.at("/data/listingId").asText()).isEqualTo(ref.id().toString());
        assertThat(set.at("/data/listing").asText()).isEqualTo(ref.namespace() + "/model");
        assertThat(set.at("/data/version").asLong()).isEqualTo(1);
        assertThat(set.at("/data/source").asText()).isEqualTo("listing");
        assertThat(json.convertValue(set.at("/data/openFiles"), List.class)).containsExactly("README.md", "*.json");
        assertThat(set.at("/data/changedBy").asText()).isEqualTo("alice");
        // The same shape as the example event consumers test against (traceparent only when a trace was active).
        ((ObjectNode) set).remove("traceparent");
        assertThat(shape(set)).isEqualTo(shape(fixture()));

        // Setting the rule it has already changes nothing: no event, the same ETag.
        put(ALICE, ref, List.of("README.md", "*.json")).then().statusCode(200).header("ETag", "\"1\"");
        assertThat(accessEvents(ref)).hasSize(1);
        // A refused change publishes nothing either.
        put(ALICE, ref, List.of("../x")).then().statusCode(400);
        put(CAROL, ref, List.of("*")).then().statusCode(403);
        assertThat(accessEvents(ref)).hasSize(1);

        given().header("Authorization", ADMIN)
                .delete(ref.base() + "/file-access")
                .then()
                .statusCode(200);
        events = accessEvents(ref);
        assertThat(events).hasSize(2);
        JsonNode cleared = events.get(1);
        assertThat(cleared.at("/data/version").asLong()).isEqualTo(2);
        assertThat(cleared.at("/data/source").asText()).isEqualTo("default");
        assertThat(json.convertValue(cleared.at("/data/openFiles"), List.class))
                .isEqualTo(config.access().openFiles());
        assertThat(cleared.at("/data/changedBy").asText()).startsWith("root-");
        // Clearing a listing that has no rule of its own is no change.
        given().header("Authorization", ALICE)
                .delete(ref.base() + "/file-access")
                .then()
                .statusCode(200)
                .header("ETag", "\"2\"");
        assertThat(accessEvents(ref)).hasSize(2);
    }

    @Test
    void privateAndUnknownListingsAreNotFound() {
        Ref hidden = TestListings.create("private-rule", "private", "free", null);
        given().get(hidden.base() + "/file-access")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        put(CAROL, hidden, List.of("*")).then().statusCode(404).contentType(PROBLEM);
        given().header("Authorization", ALICE)
                .get(hidden.base() + "/file-access")
                .then()
                .statusCode(200);
        Ref unknown = new Ref(
                UUID.randomUUID(), "nobody-" + UUID.randomUUID().toString().substring(0, 8), "model");
        put(ALICE, unknown, List.of("*"))
                .then()
                .statusCode(404)
                .body("type", equalTo("https://modelmarket.org/problems/listing-not-found"));
        assertThat(storedRule(hidden)).isNull();
    }

    private static Ref paidListingWithFiles(String prefix) {
        Ref ref = TestListings.create(prefix, "public", "paid", null);
        TestListings.uploaded(ref, "README.md", "# Model");
        TestListings.uploaded(ref, "config.json", "{}");
        TestListings.uploaded(ref, "model.safetensors", "weights");
        return ref;
    }

    private static Response put(String token, Ref ref, List<String> patterns) {
        return given().header("Authorization", token)
                .contentType("application/json")
                .body(Map.of("openFiles", patterns))
                .put(ref.base() + "/file-access");
    }

    private static Response put(String token, Ref ref, List<String> patterns, String ifMatch) {
        return given().header("Authorization", token)
                .header("If-Match", ifMatch)
                .contentType("application/json")
                .body(Map.of("openFiles", patterns))
                .put(ref.base() + "/file-access");
    }

    /** The listing's FileAccessChanged events in the outbox, oldest first. */
    private List<JsonNode> accessEvents(Ref ref) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (Row row : pool.preparedQuery("select payload::text as p from outbox where aggregateid = $1 and type = $2"
                        + " and topic = 'artifact.commits' order by seq")
                .execute(Tuple.of(ref.id().toString(), "org.modelmarket.artifact.FileAccessChanged"))
                .await()
                .atMost(Duration.ofSeconds(10))) {
            events.add(json.readTree(row.getString("p")));
        }
        return events;
    }

    private JsonNode fixture() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/events/file-access-changed.json")) {
            assertThat(in).as("fixture").isNotNull();
            return json.readTree(in);
        }
    }

    /** Field paths and JSON node types: values differ between events, shapes may not. */
    private static Set<String> shape(JsonNode node) {
        Set<String> shape = new TreeSet<>();
        collect("", node, shape);
        return shape;
    }

    private static void collect(String path, JsonNode node, Set<String> shape) {
        shape.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(field -> collect(
                            path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), shape));
        } else if (node.isArray()) {
            node.forEach(element -> collect(path + "[]", element, shape));
        }
    }

    private static Map<String, Boolean> openByPath(JsonPath list) {
        return openByPath(list, "files");
    }

    /** The {@code open} flag of each entry of a file list ({@code files}) or tree ({@code entries}) by path. */
    private static Map<String, Boolean> openByPath(JsonPath list, String entries) {
        List<String> paths = list.getList(entries + ".path");
        List<Boolean> open = list.getList(entries + ".open");
        Map<String, Boolean> byPath = new java.util.HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            byPath.put(paths.get(i), open.get(i));
        }
        return byPath;
    }

    /** The listing's stored patterns, straight from PostgreSQL; {@code null} when it has no rule of its own. */
    private List<String> storedRule(Ref ref) {
        Row row = pool.preparedQuery("select open_files from listing where listing_id = $1")
                .execute(Tuple.of(ref.id()))
                .await()
                .indefinitely()
                .iterator()
                .next();
        String[] patterns = row.getArrayOfStrings("open_files");
        return patterns == null ? null : Collections.unmodifiableList(new ArrayList<>(Arrays.asList(patterns)));
    }

    private String storedBy(Ref ref) {
        return pool.preparedQuery("select open_files_updated_by from listing where listing_id = $1")
                .execute(Tuple.of(ref.id()))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
    }

    private long tallied(Ref ref, String path) {
        return pool.preparedQuery("select count(*) from download_tally where listing_id = $1 and path = $2")
                .execute(Tuple.of(ref.id(), path))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
