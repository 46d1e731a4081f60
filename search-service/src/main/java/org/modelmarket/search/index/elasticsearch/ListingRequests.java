package org.modelmarket.search.index.elasticsearch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.json.stream.JsonGenerator;

import org.modelmarket.search.index.Facet;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.AggregationRange;
import co.elastic.clients.elasticsearch._types.query_dsl.FieldValueFactorModifier;
import co.elastic.clients.elasticsearch._types.query_dsl.FunctionBoostMode;
import co.elastic.clients.elasticsearch._types.query_dsl.FunctionScore;
import co.elastic.clients.elasticsearch._types.query_dsl.FunctionScoreMode;
import co.elastic.clients.elasticsearch._types.query_dsl.Like;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.ScoreMode;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.util.NamedValue;

/**
 * Builds the Elasticsearch requests of the query side (search with facets, suggest, similar), with the official
 * client's typed DSL. Kept apart from the adapter so that the benchmark can send the very same request body
 * straight to Elasticsearch. No scripts: the local node has no Painless.
 */
public final class ListingRequests {

    /**
     * Where a word matches with typos, and the boosts: the short fields people name things by. Not the summary and
     * model card: expanding every fuzzy word over their large vocabularies was the costliest part of a search, and
     * their exact words are matched by the cross-fields clause anyway.
     */
    static final List<String> TEXT_FIELDS =
            List.of("title^4", "name.text^3", "searchTerms^2", "tags^2", "vendor.displayName");
    /** One edit from 4 letters, two from 8: shorter words ("tts", "asr") match exactly, as their fuzzy forms are noise. */
    static final String FUZZINESS = "AUTO:4,8";
    /**
     * The fields of one analyzer (english) searched as one combined field, so that each word of a multi-word need
     * ("translate english to german") may match in a different field.
     */
    static final List<String> COMBINED_FIELDS =
            List.of("title^4", "searchTerms^2", "summary^1.5", "vendor.displayName", "modelCard^0.5");
    /** Where the last word, still being typed, matches as a prefix. */
    static final List<String> PREFIX_FIELDS = List.of("title^2", "name.text^2", "searchTerms", "vendor.displayName");
    /** An exact {@code namespace/name} or name outranks any text match; a whole-title match comes next. */
    static final float EXACT_ID_BOOST = 100f;

    static final float EXACT_NAME_BOOST = 50f;
    static final float TITLE_PHRASE_BOOST = 8f;
    static final float TERMS_PHRASE_BOOST = 50f;
    /**
     * Popularity added to the text score: log10(1 + 0.3 x downloads) + log10(1 + 0.3 x likes) + 0.1 x rating
     * ({@code field_value_factor} multiplies before the modifier), about 5.5 for a listing with a million downloads:
     * it reorders listings of about equal relevance, never buries an exact match.
     */
    static final float DOWNLOADS_WEIGHT = 0.3f;

    static final float LIKES_WEIGHT = 0.3f;
    static final float RATING_WEIGHT = 0.1f;
    /**
     * A page-paged search by relevance adds popularity only to the best {@code RESCORE_WINDOW} matches by text (a
     * {@code rescore}; deeper pages: up to the page's end). Around the text query, as a {@code function_score}, it made
     * Lucene score every match; without it Lucene may skip the matches that cannot reach the window (block-max WAND).
     * A listing outside the best 100 by text would need more than its popularity's few points to reach the first page.
     */
    static final int RESCORE_WINDOW = 100;
    /**
     * The hits' search counts matches up to here and then says "at least" ({@code relation: gte}): counting every
     * match would make Lucene score them all, where a capped count lets it skip matches that cannot reach the page
     * (block-max WAND). The exact total comes from the facets' search, which visits every match anyway. Page paging
     * never reaches past 10,000 either.
     */
    public static final int TOTAL_HITS_CAP = 10_000;
    /** The aggregation of the facets' search that counts the matches under all filters: the hits' exact total. */
    public static final String TOTAL_AGGREGATION = "_total";

    /** What a hit list shows (SearchItem): Elasticsearch sends, and the service parses, nothing more. */
    static final List<String> HIT_SOURCE = List.of(
            "listingId",
            "id",
            "title",
            "summary",
            "modality",
            "task",
            "license",
            "priceType",
            "tags",
            "languages",
            "frameworks",
            "formats",
            "baseModel",
            "gated",
            "vendor",
            "stats",
            "publishedAt",
            "updatedAt");
    /** Indexed to be searched, never returned in hit lists. */
    static final List<String> HIDDEN_SOURCE = List.of("modelCard", "searchTerms");

    /** All words of a query of up to two words must match in one field; of longer queries, three in four. */
    static final String MINIMUM_SHOULD_MATCH = "2<-25%";

    static final List<String> SIMILAR_FIELDS = List.of("title", "summary", "modelCard", "tags");
    static final List<String> SUGGEST_SOURCE =
            List.of("listingId", "id", "namespace", "name", "title", "modality", "task");
    static final String TIEBREAKER = "listingId";
    static final String VALUES = "values";
    /** The facet of {@code minRating}: counts of listings rated at least 4, 3, 2 and 1. */
    public static final String RATING_FACET = "minRating";

    static final int FACET_SIZE = 20;
    static final List<AggregationRange> RATING_RANGES = List.of(4, 3, 2, 1).stream()
            .map(from -> AggregationRange.of(r -> r.key(String.valueOf(from)).from((double) from)))
            .toList();

    private ListingRequests() {}

    /**
     * The search request for the hits: text query and visibility in {@code query}, the caller's filters in
     * {@code post_filter}. Facets go in a request of their own ({@link #facets}) except on a point in time (the first
     * page of a cursor walk), whose counts must be the snapshot's.
     *
     * @param index       the read alias; ignored when {@code pointInTime} is set
     * @param pointInTime the point in time to read, or null
     * @param keepAlive   how long the point in time lives after this request, e.g. {@code 2m}
     */
    public static SearchRequest search(ListingQuery query, String index, String pointInTime, String keepAlive) {
        return SearchRequest.of(s -> {
            if (pointInTime != null) {
                s.pit(p -> p.id(pointInTime).keepAlive(t -> t.time(keepAlive)));
            } else {
                s.index(index);
            }
            boolean cursor = query.cursor().isPresent();
            // a page by relevance: the text score alone, then popularity added to the best matches (rescore, which
            // sorts by score only); a cursor walk needs sort values to continue after, so it scores popularity in the
            // query and ends its order on downloads and listingId
            boolean rescore = !cursor && query.text().isPresent() && query.effectiveSort() == ListingSort.RELEVANCE;
            List<SortOptions> sort = rescore
                    ? List.of(SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc))))
                    : sort(query.effectiveSort(), query.text().isPresent());
            Query scored = cursor && query.text().isPresent() && query.effectiveSort() == ListingSort.RELEVANCE
                    ? withPopularity(textQuery(query))
                    : textQuery(query);
            // a cursor walk's pages keep their exact total (the snapshot's); a page-paged search counts up to the cap
            s.query(scored)
                    .trackTotalHits(t -> cursor ? t.enabled(true) : t.count(TOTAL_HITS_CAP))
                    .size(cursor ? query.size() + 1 : query.size())
                    .source(src -> src.filter(f -> f.includes(HIT_SOURCE)))
                    .sort(sort);
            if (rescore) {
                s.rescore(r -> r.windowSize(Math.max(RESCORE_WINDOW, query.from() + query.size()))
                        .query(q -> q.query(popularity())
                                .queryWeight(1.0)
                                .rescoreQueryWeight(1.0)
                                .scoreMode(ScoreMode.Total)));
            }
            if (!cursor) {
                s.from(query.from());
            } else if (!query.cursor().get().isStart()) {
                List<Object> after = query.cursor().get().after();
                // a point in time appends its implicit _shard_doc tiebreaker; without one, our own sort is already
                // total
                if (pointInTime == null && after.size() > sort.size()) {
                    after = after.subList(0, sort.size());
                }
                s.searchAfter(after.stream().map(ListingRequests::fieldValue).toList());
            }
            if (!query.filters().isEmpty()) {
                s.postFilter(allOf(filterClauses(query.filters(), null)));
            }
            if (query.facets() && pointInTime != null) {
                s.aggregations(facetAggregations(query.filters()));
            }
            // highlighting with the fuzzy query expands automata per hit and costs ~1 s for 20 hits on 100k listings;
            // the exact words are highlighted instead (a typo still finds, it just is not marked). Each field gets its
            // own match query rather than one multi_match over the three: the same terms and fragments, but the
            // highlighter of a field no longer works through the other fields' clauses for every hit, which took a
            // quarter of Elasticsearch's CPU per cached search on 100k listings (highlighting is most of a cached
            // search's cost: the query phase comes from the request cache, the fetch runs every time)
            query.text()
                    .ifPresent(text -> s.highlight(h -> h.encoder(HighlighterEncoder.Html)
                            .preTags("<em>")
                            .postTags("</em>")
                            .fields(
                                    NamedValue.of("title", highlightField("title", text, 0, null)),
                                    NamedValue.of("summary", highlightField("summary", text, 1, 160)),
                                    NamedValue.of("modelCard", highlightField("modelCard", text, 2, 160)))));
            return s;
        });
    }

    /** A highlighted field whose matches are those of the query's exact words in that field alone. */
    private static HighlightField highlightField(String field, String text, int fragments, Integer fragmentSize) {
        return HighlightField.of(f -> {
            f.highlightQuery(q -> q.match(m -> m.field(field).query(text))).numberOfFragments(fragments);
            if (fragmentSize != null) {
                f.fragmentSize(fragmentSize);
            }
            return f;
        });
    }

    /**
     * The facet counts of {@code query}'s page-paged search, as a request of its own: no hits ({@code size: 0}), so
     * Elasticsearch's shard request cache keeps its result until the index changes. They depend only on the text
     * and the filters, so every page, every sort and every repetition of a query (the same search typed by many
     * people, the back button) reuses them; the hits, which differ, go in {@link #search} and are never cached.
     */
    public static SearchRequest facets(ListingQuery query, String index) {
        Map<String, Aggregation> aggregations = facetAggregations(query.filters());
        // the matches under all filters (the hits' post filter): the exact total of the hits' capped count
        aggregations.put(TOTAL_AGGREGATION, Aggregation.of(a -> a.filter(allOf(filterClauses(query.filters(), null)))));
        return SearchRequest.of(s -> s.index(index)
                .requestCache(true)
                .size(0)
                .trackTotalHits(t -> t.enabled(false))
                .query(textQuery(query))
                .aggregations(aggregations));
    }

    /**
     * A page-paged search ({@code query} without a cursor) as one {@code _msearch} body (NDJSON): the hits
     * ({@link #search}), then, when facets are asked, the facet counts ({@link #facets}), both with the shard request
     * cache on. One round trip instead of two, and Elasticsearch runs both searches side by side. The benchmark posts
     * this very body straight to Elasticsearch.
     *
     * <p>The hits ask for the request cache explicitly (Elasticsearch caches only {@code size: 0} requests unless
     * asked): it then keeps the shard's query phase (which listings match, their scores and order, the total) until
     * the next refresh that changed the index, so the same page of a popular query (many people typing "whisper",
     * the back button) skips matching and scoring; the fetch (sources, highlights) still runs on the same reader.
     * A changed index is never answered from it ({@code SearchQueryTest}).
     */
    public static byte[] msearch(ListingQuery query, String index, JsonpMapper mapper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        header(out, index, mapper);
        body(out, search(query, index, null, null), mapper);
        if (query.facets()) {
            header(out, index, mapper);
            body(out, facets(query, index), mapper);
        }
        return out.toByteArray();
    }

    /** The body of {@code request} as Elasticsearch receives it. */
    public static byte[] json(SearchRequest request, JsonpMapper mapper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            request.serialize(generator, mapper);
        }
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, String index, JsonpMapper mapper) {
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            generator
                    .writeStartObject()
                    .write("index", index)
                    .write("request_cache", true)
                    .writeEnd();
        }
        out.write('\n');
    }

    private static void body(ByteArrayOutputStream out, SearchRequest request, JsonpMapper mapper) {
        out.writeBytes(json(request, mapper));
        out.write('\n');
    }

    /** {@link #msearch} as text. */
    public static String msearchText(ListingQuery query, String index, JsonpMapper mapper) {
        return new String(msearch(query, index, mapper), StandardCharsets.UTF_8);
    }

    /**
     * Per facet an aggregation filtered by the other active filters, so that a facet's counts show what choosing
     * another value of it would give.
     */
    static Map<String, Aggregation> facetAggregations(ListingFilters filters) {
        Map<String, Aggregation> aggregations = new java.util.LinkedHashMap<>();
        for (Facet facet : Facet.values()) {
            aggregations.put(
                    facet.param(),
                    Aggregation.of(a -> a.filter(allOf(filterClauses(filters, facet.param())))
                            .aggregations(
                                    VALUES,
                                    v -> v.terms(t -> t.field(facet.field()).size(FACET_SIZE)))));
        }
        aggregations.put(
                RATING_FACET,
                Aggregation.of(a -> a.filter(allOf(filterClauses(filters, RATING_FACET)))
                        .aggregations(
                                VALUES,
                                v -> v.range(r -> r.field("stats.rating").ranges(RATING_RANGES)))));
        return aggregations;
    }

    /** Prefix completion: every word typed is a prefix of a word of the name or title; popular listings first. */
    public static SearchRequest suggest(String index, String prefix, int size) {
        return SearchRequest.of(s -> s.index(index)
                .size(size)
                .trackTotalHits(t -> t.enabled(false))
                .source(src -> src.filter(f -> f.includes(SUGGEST_SOURCE)))
                .query(q -> q.functionScore(fs -> fs.query(inner -> inner.bool(b -> b.filter(searchable())
                                .should(m -> m.match(mm ->
                                        mm.field("title.prefix").query(prefix).operator(Operator.And)))
                                .should(m -> m.match(mm -> mm.field("name.prefix")
                                        .query(prefix)
                                        .operator(Operator.And)
                                        .boost(1.5f)))
                                .minimumShouldMatch("1")))
                        .functions(f -> f.fieldValueFactor(v -> v.field("stats.downloads")
                                .modifier(FieldValueFactorModifier.Log2p)
                                .missing(0.0)))
                        .boostMode(FunctionBoostMode.Multiply))));
    }

    /** The searchable listing with public id {@code id}. */
    public static SearchRequest byId(String index, String id) {
        return SearchRequest.of(s -> s.index(index)
                .size(1)
                .query(q -> q.bool(b -> b.filter(searchable())
                        .filter(f -> f.term(t -> t.field("id").value(FieldValue.of(id)))))));
    }

    /**
     * Listings like {@code listing}: {@code more_like_this} over its text, or the same task or a shared base model
     * (its base, its derivatives, its siblings); the same modality only adds to the score.
     */
    public static SearchRequest similar(String index, ListingDocument listing, int size) {
        String text = String.join(
                "\n",
                nonNull(listing.title(), listing.summary(), listing.modelCard(), String.join(" ", listing.tags())));
        List<Query> related = new ArrayList<>();
        related.add(Query.of(q -> q.moreLikeThis(m -> m.fields(SIMILAR_FIELDS)
                .like(Like.of(l -> l.text(text)))
                .minTermFreq(1)
                .minDocFreq(2)
                .maxQueryTerms(25)
                .minimumShouldMatch("30%"))));
        if (listing.task() != null) {
            related.add(term("task", listing.task(), 2.0f));
        }
        // derivatives of this listing, and its siblings or its parent when it has a base model
        related.add(term("baseModel", listing.id(), 3.0f));
        if (listing.baseModel() != null) {
            related.add(term("baseModel", listing.baseModel(), 3.0f));
            related.add(term("id", listing.baseModel(), 3.0f));
        }
        return SearchRequest.of(s -> s.index(index)
                .size(size)
                .source(src -> src.filter(f -> f.excludes(HIDDEN_SOURCE)))
                .query(q -> q.bool(b -> {
                    b.filter(searchable())
                            .mustNot(m -> m.ids(i -> i.values(listing.listingId())))
                            .must(m -> m.bool(any -> any.should(related).minimumShouldMatch("1")));
                    if (listing.modality() != null) {
                        b.should(term("modality", listing.modality(), 0.5f));
                    }
                    return b;
                }))
                .sort(so -> so.score(sc -> sc.order(SortOrder.Desc)))
                .sort(so -> so.field(f -> f.field("stats.downloads").order(SortOrder.Desc)))
                .sort(so -> so.field(f -> f.field(TIEBREAKER).order(SortOrder.Asc))));
    }

    /** Only public, published listings are searchable; the filter keeps that true even if the index ever holds more. */
    static List<Query> searchable() {
        return List.of(term("visibility", "public", 1.0f), term("status", "published", 1.0f));
    }

    /**
     * The text query: any of typo-tolerant best fields, all words across fields, the last word as a prefix, or an exact
     * id or name, among the searchable listings. Popularity is added by the caller ({@link #popularity}). No scripts.
     */
    static Query textQuery(ListingQuery query) {
        return Query.of(q -> q.bool(b -> {
            b.filter(searchable());
            query.text().ifPresent(text -> b.must(relevance(text)));
            return b;
        }));
    }

    /** {@code query} with popularity added to every match's score (a cursor walk's: it must score them all anyway). */
    static Query withPopularity(Query query) {
        return Query.of(q -> q.functionScore(fs -> fs.query(query)
                .functions(popularityFunctions())
                .scoreMode(FunctionScoreMode.Sum)
                .boostMode(FunctionBoostMode.Sum)));
    }

    /** Popularity alone, as the score of any listing: the rescore's query. */
    static Query popularity() {
        return Query.of(q -> q.functionScore(fs -> fs.query(all -> all.matchAll(m -> m))
                .functions(popularityFunctions())
                .scoreMode(FunctionScoreMode.Sum)
                .boostMode(FunctionBoostMode.Replace)));
    }

    private static List<FunctionScore> popularityFunctions() {
        return List.of(
                popularity("stats.downloads", DOWNLOADS_WEIGHT),
                popularity("stats.likes", LIKES_WEIGHT),
                FunctionScore.of(f -> f.fieldValueFactor(v -> v.field("stats.rating")
                        .factor((double) RATING_WEIGHT)
                        .modifier(FieldValueFactorModifier.None)
                        .missing(0.0))));
    }

    private static FunctionScore popularity(String field, float weight) {
        return FunctionScore.of(f -> f.fieldValueFactor(v -> v.field(field)
                .factor((double) weight)
                .modifier(FieldValueFactorModifier.Log1p)
                .missing(0.0)));
    }

    private static Query relevance(String text) {
        String exact = text.strip().toLowerCase(Locale.ROOT);
        List<Query> any = new ArrayList<>();
        // typos: each word fuzzy (one edit from 4 letters, two from 8), all in one short field
        any.add(Query.of(q -> q.multiMatch(mm -> mm.query(text)
                .fields(TEXT_FIELDS)
                .type(TextQueryType.BestFields)
                .tieBreaker(0.3)
                .fuzziness(FUZZINESS)
                .prefixLength(1)
                .minimumShouldMatch(MINIMUM_SHOULD_MATCH))));
        // multi-word needs: the words may be spread over title, task terms, summary and model card
        any.add(Query.of(q -> q.multiMatch(mm -> mm.query(text)
                .fields(COMBINED_FIELDS)
                .type(TextQueryType.CrossFields)
                .minimumShouldMatch(MINIMUM_SHOULD_MATCH))));
        // as one types: the last word is a prefix ("whisp" finds whisper); the words before it match whole
        any.add(Query.of(q -> q.multiMatch(mm -> mm.query(text)
                .fields(PREFIX_FIELDS)
                .type(TextQueryType.BoolPrefix)
                .minimumShouldMatch(MINIMUM_SHOULD_MATCH))));
        any.add(Query.of(q -> q.matchPhrase(p -> p.field("title").query(text).boost(TITLE_PHRASE_BOOST))));
        // a task's or modality's name or synonym, in its order ("speech to text" is ASR, not text-to-speech): a fixed
        // bonus, since BM25 gives little to the common words task names are made of
        any.add(Query.of(q -> q.constantScore(c -> c.filter(
                        f -> f.matchPhrase(p -> p.field("searchTerms").query(text)))
                .boost(TERMS_PHRASE_BOOST))));
        any.add(term("id", exact, EXACT_ID_BOOST));
        any.add(term("name", exact, EXACT_NAME_BOOST));
        return Query.of(q -> q.bool(b -> b.should(any).minimumShouldMatch("1")));
    }

    /** The filter clauses of {@code filters}, leaving out the one named {@code except} (a facet's own). */
    static List<Query> filterClauses(ListingFilters filters, String except) {
        List<Query> clauses = new ArrayList<>();
        for (Map.Entry<Facet, Set<String>> entry : filters.terms().entrySet()) {
            Facet facet = entry.getKey();
            if (!facet.param().equals(except)) {
                List<FieldValue> values =
                        entry.getValue().stream().sorted().map(FieldValue::of).toList();
                clauses.add(Query.of(q -> q.terms(t -> t.field(facet.field()).terms(v -> v.value(values)))));
            }
        }
        if (!RATING_FACET.equals(except)) {
            filters.minRating()
                    .ifPresent(min -> clauses.add(Query.of(q ->
                            q.range(r -> r.number(n -> n.field("stats.rating").gte(min))))));
        }
        return clauses;
    }

    static List<SortOptions> sort(ListingSort sort, boolean hasText) {
        List<SortOptions> options = new ArrayList<>();
        if (sort == ListingSort.RELEVANCE && hasText) {
            options.add(SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc))));
            options.add(desc("stats.downloads"));
        } else {
            options.add(desc(sort.field()));
            if (sort == ListingSort.RATING) {
                options.add(desc("stats.ratingCount"));
            }
        }
        options.add(SortOptions.of(o -> o.field(f -> f.field(TIEBREAKER).order(SortOrder.Asc))));
        return options;
    }

    private static SortOptions desc(String field) {
        return SortOptions.of(o -> o.field(f -> f.field(field).order(SortOrder.Desc)));
    }

    private static Query allOf(List<Query> clauses) {
        return clauses.isEmpty() ? Query.of(q -> q.matchAll(m -> m)) : Query.of(q -> q.bool(b -> b.filter(clauses)));
    }

    private static Query term(String field, String value, float boost) {
        return Query.of(
                q -> q.term(t -> t.field(field).value(FieldValue.of(value)).boost(boost)));
    }

    /** A sort value from a cursor back into the client's type. */
    static FieldValue fieldValue(Object value) {
        return switch (value) {
            case null -> FieldValue.NULL;
            case Long l -> FieldValue.of(l);
            case Integer i -> FieldValue.of(i.longValue());
            case Number n -> FieldValue.of(n.doubleValue());
            case Boolean b -> FieldValue.of(b);
            default -> FieldValue.of(value.toString());
        };
    }

    private static List<String> nonNull(String... values) {
        List<String> present = new ArrayList<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                present.add(value);
            }
        }
        return present;
    }
}
