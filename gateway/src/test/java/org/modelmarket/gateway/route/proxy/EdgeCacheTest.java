package org.modelmarket.gateway.route.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The edge cache of anonymous reads ({@link EdgeCache}) against a scripted catalog on a real socket: what is served
 * from it (the service sees one request), for how long, how it is revalidated, and what never enters it.
 */
@QuarkusTest
class EdgeCacheTest {

    /** Long enough that no answer expires during a test, even on a loaded machine. */
    private static final String SHARED = "public, max-age=0, s-maxage=60";

    /** What catalog-service sends by default: one second. */
    private static final String SHORT = "public, max-age=0, s-maxage=1";

    @Inject
    DownstreamStub stub;

    /** The listing body the scripted catalog answers with, and its ETag. */
    private final AtomicReference<String> version = new AtomicReference<>("1");

    @BeforeEach
    void reset() {
        stub.reset();
        version.set("1");
    }

    /** A listing path no other test has cached. */
    private static String freshListing() {
        return "/api/v1/listings/acme/cached-" + UUID.randomUUID();
    }

    /** Catalog answers the current {@link #version} with {@code cacheControl}, and 304 to its ETag. */
    private void catalogAnswers(String cacheControl) {
        stub.answer("catalog", (request, response) -> {
            String etag = "\"" + version.get() + "\"";
            response.putHeader("Cache-Control", cacheControl).putHeader("ETag", etag);
            if (etag.equals(request.header("If-None-Match"))) {
                response.setStatusCode(304).end();
                return;
            }
            response.putHeader("Content-Type", "application/json").end("{\"version\":" + version.get() + "}");
        });
    }

    @Test
    void anAnonymousReadIsServedFromTheCacheWithItsAgeAndPerRequestHeaders() {
        catalogAnswers(SHARED);
        String listing = freshListing();

        Response first = given().header("X-Request-Id", "first-read").get(listing);
        Response second = given().header("X-Request-Id", "second-read")
                .header("Origin", "http://localhost:3000")
                .get(listing);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("X-Cache")).isEqualTo("MISS");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.header("X-Cache")).isEqualTo("HIT");
        assertThat(second.header("Age")).matches("[0-9]+");
        assertThat(second.asString()).isEqualTo(first.asString()).isEqualTo("{\"version\":1}");
        assertThat(second.header("Content-Length")).isEqualTo(first.header("Content-Length"));
        assertThat(second.header("ETag")).isEqualTo("\"1\"");
        assertThat(second.header("Cache-Control")).isEqualTo(SHARED);
        assertThat(second.header("Content-Type")).startsWith("application/json");
        // Per request, not cached: the request id, the rate limit's count, CORS.
        assertThat(first.header("X-Request-Id")).isEqualTo("first-read");
        assertThat(second.header("X-Request-Id")).isEqualTo("second-read");
        // The limiter ran for the cached answer too (it is what sets these headers, taking from the caller's bucket).
        assertThat(second.header("RateLimit")).startsWith("\"api\";r=");
        assertThat(second.header("RateLimit-Policy")).startsWith("\"api\";q=");
        assertThat(second.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(first.header("Access-Control-Allow-Origin")).isNull();
        // The service saw the first read only.
        assertThat(stub.calls("catalog")).hasSize(1);
        assertThat(stub.onlyCall("catalog").header("X-Request-Id")).isEqualTo("first-read");
    }

    @Test
    void aChangeIsSeenOnceTheServicesSharedMaxAgeHasPassed() {
        catalogAnswers(SHORT);
        String listing = freshListing();
        given().get(listing).then().statusCode(200);

        version.set("2");

        // Within s-maxage (1 s) the old answer may still come from the cache; after it, the new one must.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().get(listing).asString().equals("{\"version\":2}"));
        // Then it is the new answer that is cached.
        Response after = given().get(listing);
        assertThat(after.asString()).isEqualTo("{\"version\":2}");
        assertThat(after.header("ETag")).isEqualTo("\"2\"");
        // The stale copy was revalidated with its ETag, which no longer matched.
        assertThat(stub.calls("catalog"))
                .extracting(call -> call.header("If-None-Match"))
                .contains("\"1\"");
    }

    @Test
    void aStaleCopyIsRevalidatedWithIfNoneMatchAndA304RefreshesIt() {
        catalogAnswers(SHORT);
        String listing = freshListing();
        given().get(listing).then().statusCode(200);
        // The 304 brings a Cache-Control of its own, which the refreshed copy then follows (RFC 9111 4.3.4).
        catalogAnswers(SHARED);

        Response revalidated = Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().get(listing), answer -> !"HIT".equals(answer.header("X-Cache")));

        assertThat(revalidated.header("X-Cache")).isEqualTo("REVALIDATED");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.asString()).isEqualTo("{\"version\":1}");
        assertThat(revalidated.header("Content-Length")).isEqualTo("13");
        assertThat(revalidated.header("Age")).isEqualTo("0");
        // The copy's headers were updated with the 304's.
        assertThat(revalidated.header("Cache-Control")).isEqualTo(SHARED);
        assertThat(stub.calls("catalog")).hasSize(2);
        assertThat(stub.calls("catalog").get(1).header("If-None-Match")).isEqualTo("\"1\"");
        // Refreshed: served from the cache again.
        assertThat(given().get(listing).header("X-Cache")).isEqualTo("HIT");
        assertThat(stub.calls("catalog")).hasSize(2);
    }

    @Test
    void aConditionalReadIsA304FromTheCache() {
        catalogAnswers(SHARED);
        String listing = freshListing();
        given().get(listing).then().statusCode(200);

        Response notModified = given().header("If-None-Match", "\"0\", W/\"1\"").get(listing);

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.header("X-Cache")).isEqualTo("HIT");
        assertThat(notModified.header("ETag")).isEqualTo("\"1\"");
        assertThat(notModified.asByteArray()).isEmpty();
        // Another ETag is the whole answer, still from the cache.
        Response other = given().header("If-None-Match", "\"0\"").get(listing);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.asString()).isEqualTo("{\"version\":1}");
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void aSignedInReadIsNeverServedFromTheCacheNorFillsIt() {
        catalogAnswers(SHARED);
        String listing = freshListing();
        String token = TestTokens.bearer("bob", "buyer");

        // A signed-in read first: it must not fill the cache...
        Response signedIn = given().header("Authorization", token).get(listing);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.header("X-Cache")).isNull();
        Response anonymous = given().get(listing);
        assertThat(anonymous.header("X-Cache")).isEqualTo("MISS");
        // ...nor be answered from what anonymous reads filled.
        Response again = given().header("Authorization", token).get(listing);
        assertThat(again.header("X-Cache")).isNull();
        assertThat(again.header("Age")).isNull();
        // A cookie is a credential too.
        assertThat(given().cookie("session", "abc").get(listing).header("X-Cache"))
                .isNull();

        assertThat(stub.calls("catalog"))
                .extracting(call -> call.header("Authorization"))
                .containsExactly(token, null, token, null);
        // The anonymous copy is still there for anonymous callers.
        assertThat(given().get(listing).header("X-Cache")).isEqualTo("HIT");
        assertThat(stub.calls("catalog")).hasSize(4);
    }

    /** Answers the service did not mark as shareable, or that are not a 200, are never stored. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "200 | private, no-cache",
                "200 | no-store",
                "200 | public, no-cache, s-maxage=60",
                "200 | max-age=60",
                "200 | public, s-maxage=0",
                "200 | ''",
                "404 | public, max-age=0, s-maxage=60",
                "410 | public, s-maxage=60",
            })
    void whatTheServiceDidNotMarkSharedIsNeverStored(int status, String cacheControl) {
        stub.answer("catalog", (request, response) -> {
            if (!cacheControl.isEmpty()) {
                response.putHeader("Cache-Control", cacheControl);
            }
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("ETag", "\"1\"")
                    .end("{\"status\":" + status + "}");
        });
        String listing = freshListing();

        for (int i = 0; i < 3; i++) {
            Response answer = given().get(listing);
            assertThat(answer.statusCode()).isEqualTo(status);
            assertThat(answer.header("X-Cache")).isNull();
            assertThat(answer.header("Age")).isNull();
        }
        assertThat(stub.calls("catalog")).hasSize(3);
    }

    @Test
    void answersThatBelongToOneCallerAreNeverStored() {
        String listing = freshListing();
        stub.answer(
                "catalog",
                (request, response) -> response.putHeader("Cache-Control", SHARED)
                        .putHeader("Set-Cookie", "id=1")
                        .end("{}"));
        given().get(listing).then().statusCode(200);
        given().get(listing).then().statusCode(200);
        stub.answer(
                "catalog",
                (request, response) -> response.putHeader("Cache-Control", SHARED)
                        .putHeader("Vary", "Accept-Language")
                        .end("{}"));
        given().get(listing).then().statusCode(200);
        given().get(listing).then().statusCode(200);

        assertThat(stub.calls("catalog")).hasSize(4);
    }

    @Test
    void aCallerAskingToBypassCachesGoesToTheService() {
        catalogAnswers(SHARED);
        String listing = freshListing();
        given().get(listing).then().statusCode(200);

        Response bypass = given().header("Cache-Control", "no-cache").get(listing);

        assertThat(bypass.header("X-Cache")).isNull();
        assertThat(stub.calls("catalog")).hasSize(2);
    }

    @Test
    void aHeadIsAnsweredFromTheCopyOfTheGet() {
        catalogAnswers(SHARED);
        String listing = freshListing();
        given().get(listing).then().statusCode(200);

        Response head = given().head(listing);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.header("X-Cache")).isEqualTo("HIT");
        assertThat(head.header("Content-Length")).isEqualTo("13");
        assertThat(head.asByteArray()).isEmpty();
        assertThat(stub.calls("catalog")).hasSize(1);
    }
}
