package org.modelmarket.search.index.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingPage.FacetCount;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading an {@code _msearch} answer into a page without the typed client: every kind of facet bucket and the
 * errors of one search. The real round trip against Elasticsearch is {@code SearchQueryTest}'s; this pins the shapes
 * (boolean terms keys, range keys, an item's error) that a demo index rarely shows all at once.
 */
class MultiSearchResultTest {

    private static final ObjectMapper JSON =
            new ObjectMapper().findAndRegisterModules().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void readsHitsHighlightsTotalAndEveryKindOfFacetBucket() throws Exception {
        String body = """
                {"took": 3, "responses": [
                  {"took": 2, "timed_out": false, "_shards": {"total": 1},
                   "hits": {"total": {"value": 41, "relation": "eq"}, "max_score": null, "hits": [
                     {"_index": "listings-v3", "_id": "u1", "_score": 3.1, "sort": [3.1, 5, "u1"],
                      "_source": {"listingId": "u1", "id": "acme/whisper-small", "title": "Whisper small",
                                  "modality": "audio", "tags": ["asr"], "gated": true,
                                  "vendor": {"namespace": "acme", "displayName": "ACME AI", "verified": true},
                                  "stats": {"downloads": 5, "rating": 4.5},
                                  "publishedAt": "2026-11-22T10:05:00Z"},
                      "highlight": {"title": ["<em>Whisper</em> small"]}},
                     {"_index": "listings-v3", "_id": "u2", "_score": 1.0,
                      "_source": {"listingId": "u2", "id": "acme/tts", "title": "TTS"}}]},
                   "status": 200},
                  {"took": 1, "hits": {"total": {"value": 41, "relation": "eq"}, "hits": []},
                   "aggregations": {
                     "modality": {"doc_count": 41, "values": {"doc_count_error_upper_bound": 0,
                       "sum_other_doc_count": 0, "buckets": [{"key": "audio", "doc_count": 30},
                                                             {"key": "text", "doc_count": 11}]}},
                     "gated": {"doc_count": 41, "values": {"buckets": [
                       {"key": 0, "key_as_string": "false", "doc_count": 38},
                       {"key": 1, "key_as_string": "true", "doc_count": 3}]}},
                     "tags": {"doc_count": 0, "values": {"buckets": []}},
                     "minRating": {"doc_count": 41, "values": {"buckets": [
                       {"key": "4", "from": 4.0, "doc_count": 12}, {"key": "3", "from": 3.0, "doc_count": 30}]}}},
                   "status": 200}]}
                """;

        ListingPage page =
                ElasticsearchListingIndex.multiSearchPage(query(true), JSON.readValue(body, MultiSearchResult.class));

        assertThat(page.total()).isEqualTo(41);
        assertThat(page.next()).isEmpty();
        assertThat(page.hits())
                .extracting(hit -> hit.document().id())
                .containsExactly("acme/whisper-small", "acme/tts");
        ListingPage.ListingHit first = page.hits().getFirst();
        assertThat(first.highlights()).containsEntry("title", List.of("<em>Whisper</em> small"));
        assertThat(first.document().gated()).isTrue();
        assertThat(first.document().vendor().displayName()).isEqualTo("ACME AI");
        assertThat(first.document().stats().rating()).isEqualTo(4.5);
        assertThat(first.document().publishedAt()).hasToString("2026-11-22T10:05:00Z");
        assertThat(page.hits().get(1).highlights()).isEmpty();
        assertThat(page.facets().get("modality"))
                .containsExactly(new FacetCount("audio", 30), new FacetCount("text", 11));
        assertThat(page.facets().get("gated")).containsExactly(new FacetCount("false", 38), new FacetCount("true", 3));
        assertThat(page.facets().get("minRating")).containsExactly(new FacetCount("4", 12), new FacetCount("3", 30));
        assertThat(page.facets().get("tags")).isEmpty();
    }

    @Test
    void withoutFacetsOnlyTheHitsAreRead() throws Exception {
        String body = """
                {"responses": [{"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "status": 200}]}
                """;

        ListingPage page =
                ElasticsearchListingIndex.multiSearchPage(query(false), JSON.readValue(body, MultiSearchResult.class));

        assertThat(page.total()).isZero();
        assertThat(page.hits()).isEmpty();
        assertThat(page.facets()).isEmpty();
    }

    @Test
    void aCappedCountIsALowerBoundWithoutFacets() throws Exception {
        String body = """
                {"responses": [{"hits": {"total": {"value": 10000, "relation": "gte"}, "hits": []}, "status": 200}]}
                """;

        ListingPage page =
                ElasticsearchListingIndex.multiSearchPage(query(false), JSON.readValue(body, MultiSearchResult.class));

        assertThat(page.total()).isEqualTo(10_000);
        assertThat(page.totalExact()).isFalse();
    }

    @Test
    void theFacetsSearchGivesTheExactTotalOfACappedCount() throws Exception {
        String body = """
                {"responses": [
                  {"hits": {"total": {"value": 10000, "relation": "gte"}, "hits": []}, "status": 200},
                  {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
                   "aggregations": {
                     "_total": {"doc_count": 19787},
                     "modality": {"doc_count": 21000, "values": {"buckets": [{"key": "audio", "doc_count": 21000}]}}},
                   "status": 200}]}
                """;

        ListingPage page =
                ElasticsearchListingIndex.multiSearchPage(query(true), JSON.readValue(body, MultiSearchResult.class));

        assertThat(page.total()).isEqualTo(19_787);
        assertThat(page.totalExact()).isTrue();
        assertThat(page.facets()).containsOnlyKeys("modality");
    }

    @Test
    void aMissingIndexOrAnOverloadedNodeIsUnavailableAndARefusalIsNot() throws Exception {
        assertThatThrownBy(() -> page(error(404, "index_not_found_exception", "no such index [listings-read]")))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("no such index");
        assertThatThrownBy(() -> page(error(429, "es_rejected_execution_exception", "rejected execution")))
                .isInstanceOf(IndexUnavailableException.class);
        assertThatThrownBy(() -> page(error(400, "parsing_exception", "unknown query [x]")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parsing_exception");
    }

    private static ListingPage page(String body) throws Exception {
        return ElasticsearchListingIndex.multiSearchPage(query(false), JSON.readValue(body, MultiSearchResult.class));
    }

    private static String error(int status, String type, String reason) {
        return """
                {"responses": [{"error": {"root_cause": [{"type": "%s", "reason": "%s"}], "type": "%s",
                 "reason": "%s"}, "status": %d}]}
                """.formatted(type, reason, type, reason, status);
    }

    private static ListingQuery query(boolean facets) {
        return new ListingQuery(
                Optional.of("whisper"), ListingFilters.NONE, ListingSort.RELEVANCE, 0, 20, Optional.empty(), facets);
    }
}
