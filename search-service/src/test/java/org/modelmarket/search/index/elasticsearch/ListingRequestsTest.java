package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.json.jackson.JacksonJsonpMapper;

/**
 * The shape of the hits' search that lets Elasticsearch skip matches: a page by relevance scores the text alone, adds
 * popularity by a rescore and counts up to a cap; a cursor walk keeps popularity in its query, its full order and an
 * exact count. What the answers mean is tested against the real node ({@code SearchQueryTest}, {@code RelevanceTest}).
 */
class ListingRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JacksonJsonpMapper MAPPER = new JacksonJsonpMapper();

    @Test
    void aPageByRelevanceRescoresTheBestMatchesWithPopularityAndCountsUpToTheCap() throws Exception {
        JsonNode body = body(query(ListingSort.RELEVANCE, 40, Optional.empty()), null);

        assertThat(body.get("track_total_hits").asInt()).isEqualTo(ListingRequests.TOTAL_HITS_CAP);
        assertThat(body.get("query").toString()).doesNotContain("function_score");
        assertThat(body.get("sort")).hasSize(1);
        assertThat(body.get("sort").toString()).contains("_score");
        JsonNode rescore = body.get("rescore").get(0);
        assertThat(rescore.get("window_size").asInt()).isEqualTo(ListingRequests.RESCORE_WINDOW);
        assertThat(rescore.get("query").get("rescore_query").toString())
                .contains("function_score", "stats.downloads", "stats.likes", "stats.rating");
    }

    @Test
    void aDeepPageIsRescoredUpToItsEnd() throws Exception {
        JsonNode body = body(query(ListingSort.RELEVANCE, 380, Optional.empty()), null);

        assertThat(body.get("rescore").get(0).get("window_size").asInt()).isEqualTo(400);
    }

    @Test
    void anotherOrderNeitherRescoresNorScoresPopularity() throws Exception {
        JsonNode body = body(query(ListingSort.DOWNLOADS, 0, Optional.empty()), null);

        assertThat(body.has("rescore")).isFalse();
        assertThat(body.get("query").toString()).doesNotContain("function_score");
        assertThat(body.get("track_total_hits").asInt()).isEqualTo(ListingRequests.TOTAL_HITS_CAP);
    }

    @Test
    void aCursorWalkScoresPopularityInItsQueryAndCountsExactly() throws Exception {
        JsonNode body = body(query(ListingSort.RELEVANCE, 0, Optional.of(ListingQuery.Cursor.START)), "pit-1");

        assertThat(body.has("rescore")).isFalse();
        assertThat(body.get("track_total_hits").asBoolean()).isTrue();
        assertThat(body.get("query").toString()).contains("function_score", "stats.downloads");
        assertThat(body.get("sort").toString()).contains("_score", "stats.downloads", "listingId");
    }

    @Test
    void theFacetsSearchCountsEveryMatchUnderAllFilters() throws Exception {
        ListingQuery query = query(ListingSort.RELEVANCE, 0, Optional.empty());
        JsonNode body = JSON.readTree(ListingRequests.json(ListingRequests.facets(query, "listings-read"), MAPPER));

        assertThat(body.get("aggregations").has(ListingRequests.TOTAL_AGGREGATION))
                .isTrue();
        assertThat(body.get("query").toString()).doesNotContain("function_score");
    }

    @Test
    void eachHighlightedFieldMatchesTheExactWordsInItselfOnly() throws Exception {
        JsonNode highlight =
                body(query(ListingSort.RELEVANCE, 0, Optional.empty()), null).get("highlight");

        assertThat(highlight.has("highlight_query")).isFalse();
        assertThat(highlight.get("fields")).hasSize(3);
        for (JsonNode entry : highlight.get("fields")) {
            String field = entry.fieldNames().next();
            JsonNode match = entry.get(field).get("highlight_query").get("match");
            assertThat(match.get(field).get("query").asText()).isEqualTo("speech");
            assertThat(match.toString()).doesNotContain("fuzziness");
        }
        assertThat(highlight
                        .get("fields")
                        .get(2)
                        .get("modelCard")
                        .get("number_of_fragments")
                        .asInt())
                .isEqualTo(2);
    }

    private static JsonNode body(ListingQuery query, String pointInTime) throws Exception {
        return JSON.readTree(
                ListingRequests.json(ListingRequests.search(query, "listings-read", pointInTime, "2m"), MAPPER));
    }

    private static ListingQuery query(ListingSort sort, int from, Optional<ListingQuery.Cursor> cursor) {
        return new ListingQuery(Optional.of("speech"), ListingFilters.NONE, sort, from, 20, cursor, true);
    }
}
