package org.modelmarket.search.index.elasticsearch;

import java.io.StringReader;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import org.modelmarket.search.index.IndexRejectedException;
import org.modelmarket.search.index.IndexUnavailableException;
import org.modelmarket.search.index.ListingDocument;
import org.modelmarket.search.index.ListingIndex;
import org.modelmarket.search.index.ListingPage;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.WriteOutcome;

/**
 * {@link ListingIndex} on Elasticsearch, through the official async Java API client: writes go through the write alias
 * with external versioning (the catalog's aggregate version), reads through the read alias. No scripts anywhere.
 */
@ApplicationScoped
public class ElasticsearchListingIndex implements ListingIndex {

    private static final Logger LOG = Logger.getLogger(ElasticsearchListingIndex.class);

    /** Full-text fields and their boosts. */
    static final List<String> TEXT_FIELDS = List.of("title^3", "summary", "tags");

    private final ElasticsearchAsyncClient client;
    private final ListingIndexDefinition definition;

    /** Set once the index and aliases are known to exist; cleared when a write finds them gone. */
    private volatile boolean ready;

    public ElasticsearchListingIndex(ElasticsearchAsyncClient client, ListingIndexDefinition definition) {
        this.client = client;
        this.definition = definition;
    }

    @Override
    public Uni<Void> ensureIndex() {
        if (ready) {
            return Uni.createFrom().voidItem();
        }
        String index = definition.concreteIndex();
        return call("index check", () -> client.indices().exists(e -> e.index(index)))
                .chain(exists -> exists.value() ? Uni.createFrom().voidItem() : createIndex(index))
                .chain(() -> ensureAlias(index, definition.readAlias(), false))
                .chain(() -> ensureAlias(index, definition.writeAlias(), true))
                .invoke(() -> ready = true);
    }

    private Uni<Void> createIndex(String index) {
        return call("index creation",
                () -> client.indices().create(c -> c.index(index).withJson(new StringReader(definition.createBody()))))
                .invoke(() -> LOG.infof("Created index %s", index))
                .replaceWithVoid()
                // another replica created it first
                .onFailure(f -> ElasticsearchFailures.isType(f, ElasticsearchFailures.ALREADY_EXISTS)).recoverWithNull();
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
                    return call("alias creation", () -> client.indices().updateAliases(u -> u.actions(a -> a.add(add -> {
                        add.index(index).alias(alias);
                        return writeIndex ? add.isWriteIndex(true) : add;
                    })))).invoke(() -> LOG.infof("Pointed alias %s at index %s", alias, index)).replaceWithVoid();
                });
    }

    @Override
    public Uni<WriteOutcome> upsert(ListingDocument document) {
        BulkOperation operation = BulkOperation.of(op -> op.index(i -> i
                .index(definition.writeAlias())
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
        throw new IndexRejectedException(
                "Elasticsearch rejected the " + action + " (" + item.status() + " " + error.type() + "): " + error.reason());
    }

    @Override
    public Uni<ListingPage> search(ListingQuery query) {
        SearchRequest request = SearchRequest.of(s -> {
            s.index(definition.readAlias())
                    .from(query.from())
                    .size(query.size())
                    .trackTotalHits(t -> t.enabled(true))
                    .query(toQuery(query));
            if (query.text().isPresent()) {
                s.sort(o -> o.score(sc -> sc.order(SortOrder.Desc)));
            }
            return s.sort(o -> o.field(f -> f.field("updatedAt").order(SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field("listingId").order(SortOrder.Asc)));
        });
        return call("search", () -> client.search(request, ListingDocument.class))
                .map(response -> new ListingPage(
                        response.hits().total() == null ? 0 : response.hits().total().value(),
                        response.hits().hits().stream().map(Hit::source).filter(Objects::nonNull).toList()));
    }

    /** Only public, published listings are searchable; the filter keeps that true even if the index ever holds more. */
    static Query toQuery(ListingQuery query) {
        return Query.of(q -> q.bool(b -> {
            b.filter(f -> f.term(t -> t.field("visibility").value(FieldValue.of("public"))))
                    .filter(f -> f.term(t -> t.field("status").value(FieldValue.of("published"))));
            query.text().ifPresent(text -> b.must(m -> m.multiMatch(mm -> mm
                    .query(text)
                    .fields(TEXT_FIELDS)
                    .type(TextQueryType.BestFields)
                    .fuzziness("AUTO"))));
            return b;
        }));
    }

    private static <T> Uni<T> call(String action, Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom().completionStage(request)
                .onFailure().transform(failure -> ElasticsearchFailures.translate(failure, action));
    }
}
