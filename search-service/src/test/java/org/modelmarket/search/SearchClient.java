package org.modelmarket.search;

import static io.restassured.RestAssured.given;

import java.util.List;

import io.restassured.http.ContentType;

/** Test helper: calls GET /api/v1/search as an anonymous caller. */
public final class SearchClient {

    private SearchClient() {}

    /** The listing ids of the first page of hits for {@code q}. */
    public static List<String> listingIds(String q) {
        return given().queryParam("q", q)
                .queryParam("size", 100)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath()
                .getList("items.listingId", String.class);
    }

    /** The title of listing {@code listingId} among the hits for {@code q}, or null. */
    public static String titleOf(String q, String listingId) {
        return given().queryParam("q", q)
                .queryParam("size", 100)
                .when()
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items.find { it.listingId == '" + listingId + "' }.title");
    }
}
