package org.modelmarket.search.index.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.jboss.logging.Logger;
import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.index.IndexRejectedException;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.InvalidCursorException;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.WriteOutcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.smallrye.mutiny.Uni;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.elasticsearch.core.search.Hit;

/**
 * {@link ListingIndex} on Elasticsearch, through the official async Java API client: writes go through the write alias
 * with external versioning (the catalog's aggregate version), reads through the read alias (cursor walks through a
 * point in time opened on it). The hot read, a page-paged search, goes as one {@code _msearch} (hits and facets)
 * through the client's low-level REST client and its response is read by Jackson directly. No scripts anywhere.
 */
@ApplicationScoped
public class ElasticsearchListingIndex implements ListingIndex {

    private static final Logger LOG = Logger.getLogger(ElasticsearchListingIndex.class);

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final ElasticsearchAsyncClient client;
    private final RestClient rest;
    private final ObjectReader multiSearchReader;
    private final ObjectReader searchReader;
    private final ListingIndexDefinition definition;
    private final Duration cursorKeepAlive;
    private final RequestBodyCache bodies;

    /** Set once the index and aliases are known to exist; cleared when a write finds them gone. */
    private volatile boolean ready;

    public ElasticsearchListingIndex(
            ElasticsearchAsyncClient client,
            RestClient rest,
            ObjectMapper json,
            ListingIndexDefinition definition,
            SearchConfig config) {
        this.client = client;
        this.rest = rest;
        this.multiSearchReader = json.readerFor(MultiSearchResult.class);
        this.searchReader = json.readerFor(MultiSearchResult.Item.class);
        this.definition = definition;
        this.cursorKeepAlive = config.cursor().keepAlive();
        this.bodies = new RequestBodyCache(config.query().requestBodyCache().asLongValue());
    }

    @Override
    public Uni<Void> ensureIndex() {
        if (ready) {
            return Uni.createFrom().voidItem();
        }
        String index = definition.concreteIndex();
        // aliases first: once they exist (maybe moved to a rebuilt index), they are the truth, whatever the first index
        return call("alias check", () -> client.indices().existsAlias(a -> a.name(definition.writeAlias())))
                .chain(aliased -> aliased.value()
                        ? Uni.createFrom().voidItem()
                        : call("index check", () -> client.indices().exists(e -> e.index(index)))
                                .chain(exists ->
                                        exists.value() ? Uni.createFrom().voidItem() : createIndex(index)))
                .chain(() -> ensureAlias(index, definition.readAlias(), false))
                .chain(() -> ensureAlias(index, definition.writeAlias(), true))
                .invoke(() -> ready = true);
    }

    private Uni<Void> createIndex(String index) {
        return call(
                        "index creation",
                        () -> client.indices()
                                .create(c -> c.index(index).withJson(new StringReader(definition.createBody()))))
                .invoke(() -> LOG.infof("Created index %s", index))
                .replaceWithVoid()
                // another replica created it first
                .onFailure(f -> ElasticsearchFailures.isType(f, ElasticsearchFailures.ALREADY_EXISTS))
                .recoverWithNull();
    }

    /**
     * Points {@code alias} at {@code index} unless the alias already exists: once it does, it belongs to whoever
     * manages it (a rebuild swaps aliases to a newer index), so startup never moves it back.
     */
    private Uni<Void> ensureAlias(String index, String alias, boolean writeIndex) {
        return call("alias check", () -> client.indices().existsAlias(a -> a.name(alias)))
                .chain(exists -> {
                    if (exists.value()) {
                        return Uni.createFrom().voidItem();
                    }
                    return call(
                                    "alias creation",
                                    () -> client.indices()
                                            .updateAliases(u -> u.actions(a -> a.add(add -> {
                                                add.index(index).alias(alias);
                                                return writeIndex ? add.isWriteIndex(true) : add;
                                            }))))
                            .invoke(() -> LOG.infof("Pointed alias %s at index %s", alias, index))
                            .replaceWithVoid();
                });
    }

    @Override
    public Uni<WriteOutcome> upsert(ListingDocument document) {
        BulkOperation operation = BulkOperation.of(op -> op.index(i -> i.index(definition.writeAlias())
                .id(document.listingId())
                .version(document.version())
                .versionType(VersionType.External)
                .document(document)));
        return write(operation, "index of listing " + document.listingId());
    }

    @Override
    public Uni<WriteOutcome> remove(String listingId, OptionalLong version) {
        BulkOperation operation = BulkOperation.of(op -> op.delete(d -> {
            d.index(definition.writeAlias()).id(listingId);
            if (version.isPresent()) {
                d.version(version.getAsLong()).versionType(VersionType.External);
            }
            return d;
        }));
        return write(operation, "removal of listing " + listingId);
    }

    /**
     * Sends one operation through the bulk API, which reports conflicts and missing documents per item instead of
     * as exceptions, and whose {@code require_alias} keeps a missing alias from auto-creating a stray index.
     */
    private Uni<WriteOutcome> write(BulkOperation operation, String action) {
        BulkRequest request = BulkRequest.of(b -> b.requireAlias(true).operations(operation));
        return ensureIndex()
                .chain(() -> call(action, () -> client.bulk(request)))
                .map(response -> outcome(response.items().getFirst(), action));
    }

    private WriteOutcome outcome(BulkResponseItem item, String action) {
        ErrorCause error = item.error();
        if (error == null) {
            if (item.operationType() == OperationType.Delete) {
                return "deleted".equals(item.result()) ? WriteOutcome.DELETED : WriteOutcome.ABSENT;
            }
            return WriteOutcome.INDEXED;
        }
        if (ElasticsearchFailures.isType(error, ElasticsearchFailures.VERSION_CONFLICT)) {
            return WriteOutcome.STALE;
        }
        if (ElasticsearchFailures.isType(error, ElasticsearchFailures.INDEX_NOT_FOUND)) {
            ready = false; // deleted behind our back: recreate on the retry
            throw new IndexUnavailableException("Index missing during " + action + ": " + error.reason(), null);
        }
        if (ElasticsearchFailures.isTransientStatus(item.status())) {
            throw new IndexUnavailableException(
                    "Elasticsearch could not take the " + action + " (" + item.status() + "): " + error.reason(), null);
        }
        throw new IndexRejectedException("Elasticsearch rejected the " + action + " (" + item.status() + " "
                + error.type() + "): " + error.reason());
    }

    @Override
    public Uni<ListingPage> search(ListingQuery query) {
        Optional<ListingQuery.Cursor> cursor = query.cursor();
        if (cursor.isPresent() && cursor.get().isStart()) {
            // a cursor walk reads one point in time: no duplicates or gaps while the index changes underneath
            return call(
                            "point in time",
                            () -> client.openPointInTime(
                                    o -> o.index(definition.readAlias()).keepAlive(keepAlive())))
                    .chain(pit -> searchAt(query, pit.id()));
        }
        if (cursor.isEmpty()) {
            return pageSearch(query);
        }
        return searchAt(query, cursor.map(ListingQuery.Cursor::pointInTime).orElse(null));
    }

    private Uni<ListingPage> searchAt(ListingQuery query, String pointInTime) {
        SearchRequest request = ListingRequests.search(
                query, definition.readAlias(), pointInTime, keepAlive().time());
        Uni<ListingPage> page = call("search", () -> client.search(request, ListingDocument.class))
                .map(response -> page(query, pointInTime, response));
        if (query.facets() && pointInTime == null) {
            // the facet counts in a cacheable request of their own, sent at the same time as the hits
            SearchRequest facets = ListingRequests.facets(query, definition.readAlias());
            page = Uni.combine()
                    .all()
                    .unis(page, call("facets", () -> client.search(facets, Void.class)))
                    .with((hits, counts) -> hits.withFacets(facets(counts.aggregations())));
        }
        return page.onFailure(failure -> pointInTime != null && isMissingPointInTime(failure))
                .recoverWithUni(failure -> {
                    // expired, or its index was replaced by a rebuild: go on over the live index, after the same hit
                    LOG.debugf("Point in time gone (%s); the cursor continues on the live index", failure.getMessage());
                    return searchAt(query, null);
                })
                // only what a cursor carries (point in time, sort values) can make this query invalid
                .onFailure(failure -> query.cursor().isPresent()
                        && failure instanceof ElasticsearchException es
                        && es.status() == 400)
                .transform(failure -> new InvalidCursorException("is not a valid cursor for this query"));
    }

    /**
     * A page-paged search: hits and (when asked) facets as one {@code _msearch} through the low-level client, the
     * response read straight into the page (the cursor walks, rarer, keep the typed client and its point in time).
     */
    private Uni<ListingPage> pageSearch(ListingQuery query) {
        Request request = new Request("POST", "/_msearch");
        // a page-paged query (no cursor) determines its body: the same search again reuses the bytes built first
        request.setEntity(new NByteArrayEntity(
                bodies.get(query, () -> ListingRequests.msearch(query, definition.readAlias(), client._jsonpMapper())),
                NDJSON));
        return this.<MultiSearchResult, ListingPage>perform(
                request, multiSearchReader, "search", result -> multiSearchPage(query, result));
    }

    /**
     * Sends {@code request} through the low-level client, reads its body with {@code reader} and turns it into the
     * answer with {@code answer}, in one step (every Mutiny stage captures and restores the request's context, a
     * visible share of a cheap request's CPU); failures become the adapter's ({@link #translateRestFailure}).
     */
    private <T, R> Uni<R> perform(Request request, ObjectReader reader, String action, Function<T, R> answer) {
        return Uni.createFrom()
                .<Response>emitter(emitter -> rest.performRequestAsync(request, new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        emitter.complete(response);
                    }

                    @Override
                    public void onFailure(Exception failure) {
                        emitter.fail(failure);
                    }
                }))
                .map(response -> answer.apply(this.<T>read(response, reader, action)))
                .onFailure()
                .transform(failure -> translateRestFailure(failure, action));
    }

    private <T> T read(Response response, ObjectReader reader, String action) {
        try (InputStream body = response.getEntity().getContent()) {
            return reader.readValue(body);
        } catch (IOException e) {
            throw new IndexUnavailableException(
                    "Unreadable " + action + " response from Elasticsearch: " + e.getMessage(), e);
        }
    }

    /** The page in a multi search's answer: hits and total from the first search, facets from the second (if asked). */
    static ListingPage multiSearchPage(ListingQuery query, MultiSearchResult result) {
        MultiSearchResult.Item hits = item(result, 0);
        List<ListingPage.ListingHit> items = hits(hits);
        MultiSearchResult.Total counted =
                hits.hits() == null ? null : hits.hits().total();
        long total = counted == null ? 0 : counted.value();
        boolean exact = counted == null || counted.exact();
        Map<String, List<ListingPage.FacetCount>> facets = new LinkedHashMap<>();
        if (query.facets()) {
            Map<String, MultiSearchResult.FacetAggregation> aggregations =
                    item(result, 1).aggregations();
            if (aggregations != null) {
                aggregations.forEach((name, aggregation) -> {
                    if (ListingRequests.TOTAL_AGGREGATION.equals(name)) {
                        return;
                    }
                    List<ListingPage.FacetCount> counts = new ArrayList<>();
                    if (aggregation.values() != null && aggregation.values().buckets() != null) {
                        aggregation
                                .values()
                                .buckets()
                                .forEach(b -> counts.add(new ListingPage.FacetCount(b.value(), b.docCount())));
                    }
                    facets.put(name, counts);
                });
                // the hits counted up to a cap; the facets' search counted every match under the same filters
                MultiSearchResult.FacetAggregation all = aggregations.get(ListingRequests.TOTAL_AGGREGATION);
                if (all != null) {
                    total = all.docCount();
                    exact = true;
                }
            }
        }
        return new ListingPage(total, items, facets, Optional.empty(), exact);
    }

    private static List<ListingPage.ListingHit> hits(MultiSearchResult.Item item) {
        List<ListingPage.ListingHit> hits = new ArrayList<>();
        if (item.hits() != null && item.hits().hits() != null) {
            for (MultiSearchResult.Hit hit : item.hits().hits()) {
                if (hit.source() != null) {
                    hits.add(new ListingPage.ListingHit(
                            hit.source(), hit.highlight() == null ? Map.of() : hit.highlight()));
                }
            }
        }
        return hits;
    }

    /** The {@code index}th answer of a multi search; its error, if any, as the adapter's failures. */
    private static MultiSearchResult.Item item(MultiSearchResult result, int index) {
        if (result.responses() == null || result.responses().size() <= index) {
            throw new IndexUnavailableException("Elasticsearch answered the search incompletely", null);
        }
        MultiSearchResult.Item item = result.responses().get(index);
        MultiSearchResult.Error error = item.error();
        if (error != null) {
            String what = "search (" + item.status() + " " + error.type() + "): " + error.reason();
            if (ElasticsearchFailures.isTransientStatus(item.status())
                    || ElasticsearchFailures.INDEX_NOT_FOUND.equals(error.type())) {
                throw new IndexUnavailableException("Elasticsearch could not serve the " + what, null);
            }
            throw new IllegalStateException("Elasticsearch refused the " + what);
        }
        return item;
    }

    /**
     * The low-level client's failures: unreachable, overloaded or without the index (404: a search of the read alias
     * finds nothing else missing) is "retry later"; any other refusal is a bug of ours.
     */
    private static Throwable translateRestFailure(Throwable failure, String action) {
        if (failure instanceof ResponseException response) {
            int status = response.getResponse().getStatusLine().getStatusCode();
            if (status == 404) {
                return new IndexUnavailableException(
                        "Elasticsearch could not serve the " + action + ": " + response.getMessage(), response);
            }
            if (!ElasticsearchFailures.isTransientStatus(status)) {
                return new IllegalStateException(
                        "Elasticsearch refused the " + action + " (" + status + "): " + response.getMessage(),
                        response);
            }
        }
        return ElasticsearchFailures.translate(failure, action);
    }

    private ListingPage page(ListingQuery query, String pointInTime, SearchResponse<ListingDocument> response) {
        List<Hit<ListingDocument>> hits = response.hits().hits();
        Optional<ListingQuery.Cursor> next = Optional.empty();
        if (query.cursor().isPresent()) {
            String pit = response.pitId() != null ? response.pitId() : pointInTime;
            if (hits.size() > query.size()) {
                hits = hits.subList(0, query.size());
                List<Object> after =
                        hits.getLast().sort().stream().map(FieldValue::_get).toList();
                next = Optional.of(new ListingQuery.Cursor(pit, after));
            } else if (pit != null) {
                closePointInTime(pit);
            }
        }
        List<ListingPage.ListingHit> items = hits.stream()
                .filter(hit -> hit.source() != null)
                .map(hit ->
                        new ListingPage.ListingHit(hit.source(), hit.highlight() == null ? Map.of() : hit.highlight()))
                .toList();
        return new ListingPage(
                response.hits().total() == null ? 0 : response.hits().total().value(),
                items,
                facets(response.aggregations()),
                next);
    }

    private static Map<String, List<ListingPage.FacetCount>> facets(Map<String, Aggregate> aggregations) {
        Map<String, List<ListingPage.FacetCount>> facets = new LinkedHashMap<>();
        aggregations.forEach((name, aggregate) -> {
            if (ListingRequests.TOTAL_AGGREGATION.equals(name)) {
                return;
            }
            Aggregate values = aggregate.filter().aggregations().get(ListingRequests.VALUES);
            List<ListingPage.FacetCount> counts = new ArrayList<>();
            if (values.isSterms()) {
                values.sterms()
                        .buckets()
                        .array()
                        .forEach(b ->
                                counts.add(new ListingPage.FacetCount(b.key().stringValue(), b.docCount())));
            } else if (values.isLterms()) {
                values.lterms()
                        .buckets()
                        .array()
                        .forEach(b -> counts.add(new ListingPage.FacetCount(
                                b.keyAsString() != null ? b.keyAsString() : String.valueOf(b.key()), b.docCount())));
            } else if (values.isRange()) {
                values.range()
                        .buckets()
                        .array()
                        .forEach(b -> counts.add(new ListingPage.FacetCount(b.key(), b.docCount())));
            }
            facets.put(name, counts);
        });
        return facets;
    }

    private void closePointInTime(String pit) {
        client.closePointInTime(c -> c.id(pit)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debugf("Could not close a point in time (it expires by itself): %s", failure.getMessage());
            }
        });
    }

    private Time keepAlive() {
        return Time.of(t -> t.time(Math.max(1, cursorKeepAlive.toSeconds()) + "s"));
    }

    /** A point in time that expired, or whose index a rebuild deleted. */
    static boolean isMissingPointInTime(Throwable failure) {
        Throwable cause = failure instanceof IndexUnavailableException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof ElasticsearchException es) {
            String text = es.getMessage() + " " + es.response();
            return es.status() == 404
                    || text.contains("search_context_missing")
                    || text.contains("No search context found");
        }
        return false;
    }

    @Override
    public Uni<List<ListingDocument>> suggest(String prefix, int size) {
        // the cheapest request, so the fixed cost per request is most of it: the low-level client, read by Jackson
        Request request = new Request("POST", "/" + definition.readAlias() + "/_search");
        request.setEntity(new NByteArrayEntity(
                bodies.get(
                        new SuggestKey(prefix, size),
                        () -> ListingRequests.json(
                                ListingRequests.suggest(definition.readAlias(), prefix, size), client._jsonpMapper())),
                ContentType.APPLICATION_JSON));
        return this.<MultiSearchResult.Item, List<ListingDocument>>perform(
                request,
                searchReader,
                "suggest",
                item -> hits(item).stream()
                        .map(ListingPage.ListingHit::document)
                        .toList());
    }

    /** What determines a suggest request's body (the key of its cached body). */
    private record SuggestKey(String prefix, int size) {}

    /** The kept request body of a page-paged search, or null (tests). */
    byte[] keptSearchBody(ListingQuery query) {
        return bodies.kept(query);
    }

    /** The kept request body of a suggestion, or null (tests). */
    byte[] keptSuggestBody(String prefix, int size) {
        return bodies.kept(new SuggestKey(prefix, size));
    }

    @Override
    public Uni<Optional<ListingDocument>> findById(String id) {
        SearchRequest request = ListingRequests.byId(definition.readAlias(), id);
        return call("lookup", () -> client.search(request, ListingDocument.class))
                .map(response -> sources(response).stream().findFirst());
    }

    @Override
    public Uni<List<ListingDocument>> similar(ListingDocument listing, int size) {
        SearchRequest request = ListingRequests.similar(definition.readAlias(), listing, size);
        return call("similar", () -> client.search(request, ListingDocument.class))
                .map(ElasticsearchListingIndex::sources);
    }

    private static List<ListingDocument> sources(SearchResponse<ListingDocument> response) {
        return response.hits().hits().stream()
                .map(Hit::source)
                .filter(Objects::nonNull)
                .toList();
    }

    static <T> Uni<T> call(String action, Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom()
                .completionStage(request)
                .onFailure()
                .transform(failure -> ElasticsearchFailures.translate(failure, action));
    }
}
