package org.modelmarket.catalog.listing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.modelmarket.catalog.Catalog.PROBLEM;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.catalog.Catalog;
import org.modelmarket.catalog.Catalog.Fixture;
import org.modelmarket.catalog.Catalog.Who;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The two catalog events artifact-service's access and revisions depend on: {@code TermsAccepted} (POST
 * {@code terms/acceptance}, once per terms version) and {@code VersionPublished} carrying the commit the version
 * names; both shaped like the example events in {@code src/test/resources/events/}.
 */
@QuarkusTest
class TermsAndVersionEventsTest {

    private static final String COMMIT = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";

    @Inject
    Pool pool;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void acceptingTermsPublishesTermsAcceptedOncePerTermsVersion() throws Exception {
        Fixture fixture = Catalog.draft();
        Map<String, Object> body = Catalog.fullBody(fixture.namespace(), fixture.name());
        body.put("gated", true);
        body.put("gateTerms", "Do no harm.");
        fixture.as(Who.OWNER)
                .header("If-Match", "\"1\"")
                .contentType(ContentType.JSON)
                .body(body)
                .put(fixture.path())
                .then()
                .statusCode(200);
        Catalog.publish(fixture);

        given().post(fixture.path() + "/terms/acceptance").then().statusCode(401).contentType(PROBLEM);
        fixture.as(Who.BUYER)
                .post(fixture.path() + "/terms/acceptance")
                .then()
                .statusCode(200)
                .body("accepted", equalTo(true));
        fixture.as(Who.BUYER).post(fixture.path() + "/terms/acceptance").then().statusCode(200);

        List<JsonNode> events = events(fixture.listingId(), "org.modelmarket.catalog.TermsAccepted");
        assertThat(events).as("a repeated acceptance of the same terms publishes nothing").hasSize(1);
        JsonNode data = events.get(0).get("data");
        assertThat(data.get("subject").asText()).isEqualTo("buyer-1");
        assertThat(data.get("termsVersion").asText()).isEqualTo(sha256("Do no harm."));
        assertThat(data.get("listingId").asText()).isEqualTo(fixture.listingId());
        assertThat(data.hasNonNull("acceptedAt")).isTrue();
        assertThat(shape(events.get(0))).isEqualTo(shape(fixture("/events/terms-accepted.json")));
    }

    @Test
    void aPublishedVersionNamesItsCommit() throws Exception {
        Fixture fixture = Catalog.inStatus("published");
        String versions = fixture.path() + "/versions";
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "1.0.0", "releaseNotes", "first", "commit", "NOT-HEX"))
                .post(versions)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("commit"));
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("version", "1.0.0", "releaseNotes", "first", "commit", COMMIT))
                .post(versions)
                .then()
                .statusCode(201)
                .body("commit", equalTo(COMMIT));
        fixture.as(Who.OWNER).post(versions + "/1.0.0/publish").then().statusCode(200);
        // Frozen: the commit cannot change after publication.
        fixture.as(Who.OWNER)
                .contentType(ContentType.JSON)
                .body(Map.of("commit", "0".repeat(40)))
                .put(versions + "/1.0.0")
                .then()
                .statusCode(409);
        given().get(versions + "/1.0.0").then().statusCode(200).body("commit", equalTo(COMMIT));

        List<JsonNode> events = events(fixture.listingId(), "org.modelmarket.catalog.VersionPublished");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/data/commit").asText()).isEqualTo(COMMIT);
        assertThat(events.get(0).at("/data/version").asText()).isEqualTo("1.0.0");
        assertThat(shape(events.get(0))).isEqualTo(shape(fixture("/events/version-published.json")));
    }

    private List<JsonNode> events(String listingId, String type) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (Row row : pool.preparedQuery("select payload::text as p from outbox where aggregateid = $1 and type = $2")
                .execute(Tuple.of(listingId, type))
                .await()
                .atMost(Duration.ofSeconds(10))) {
            found.add(json.readTree(row.getString("p")));
        }
        return found;
    }

    private JsonNode fixture(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Field paths and node types (traceparent is optional and left out). */
    private static Set<String> shape(JsonNode node) {
        Set<String> shape = new TreeSet<>();
        collect("", node, shape);
        shape.removeIf(s -> s.startsWith("traceparent"));
        return shape;
    }

    private static void collect(String path, JsonNode node, Set<String> shape) {
        shape.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> collect(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), shape));
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
