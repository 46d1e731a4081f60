package org.modelmarket.search.index.elasticsearch;

import static org.modelmarket.search.index.elasticsearch.ElasticsearchListingIndex.call;

import java.io.StringReader;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.search.index.IndexAdmin;
import org.modelmarket.search.index.IndexOperation;
import org.modelmarket.search.index.IndexUnavailableException;

import io.smallrye.mutiny.Uni;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;

/** {@link IndexAdmin} on Elasticsearch: what a rebuild needs, through the official async client. */
@ApplicationScoped
public class ElasticsearchIndexAdmin implements IndexAdmin {

    private static final Logger LOG = Logger.getLogger(ElasticsearchIndexAdmin.class);

    private final ElasticsearchAsyncClient client;
    private final ListingIndexDefinition definition;

    public ElasticsearchIndexAdmin(ElasticsearchAsyncClient client, ListingIndexDefinition definition) {
        this.client = client;
        this.definition = definition;
    }

    @Override
    public String readAlias() {
        return definition.readAlias();
    }

    @Override
    public String writeAlias() {
        return definition.writeAlias();
    }

    @Override
    public String newIndexName() {
        return definition.concreteIndex() + "-" + System.currentTimeMillis();
    }

    /** Current: {@code listings-v2} or {@code listings-v2-…} for mapping version 2. */
    @Override
    public boolean isCurrent(String index) {
        String current = definition.concreteIndex();
        return index.equals(current) || index.startsWith(current + "-");
    }

    @Override
    public Uni<Set<String>> indicesOf(String alias) {
        return call(
                        "alias lookup",
                        () -> client.indices()
                                .getAlias(
                                        g -> g.name(alias).allowNoIndices(true).ignoreUnavailable(true)))
                .map(response -> (Set<String>) new TreeSet<>(response.aliases().keySet()))
                .onFailure(f ->
                        f instanceof IndexUnavailableException && f.getMessage().contains("404")
                                || f instanceof co.elastic.clients.elasticsearch._types.ElasticsearchException es
                                        && es.status() == 404)
                .recoverWithItem(Set.of());
    }

    @Override
    public Uni<Void> createForLoad(String index) {
        return call(
                        "index creation",
                        () -> client.indices()
                                .create(c -> c.index(index).withJson(new StringReader(definition.createBody()))))
                // no periodic refresh while loading; deletions remembered long enough for the tail replayed after the
                // swap
                .chain(() -> call(
                        "index settings",
                        () -> client.indices()
                                .putSettings(p -> p.index(index)
                                        .settings(s -> s.refreshInterval(t -> t.time("-1"))
                                                .gcDeletes(t -> t.time("10m"))))))
                .replaceWithVoid();
    }

    @Override
    public Uni<Integer> bulk(String index, List<IndexOperation> operations) {
        List<BulkOperation> ops = operations.stream()
                .map(op -> op.document() == null
                        ? BulkOperation.of(b -> b.delete(d -> d.index(index)
                                .id(op.listingId())
                                .version(op.version())
                                .versionType(VersionType.External)))
                        : BulkOperation.of(b -> b.index(i -> i.index(index)
                                .id(op.listingId())
                                .version(op.version())
                                .versionType(VersionType.External)
                                .document(op.document()))))
                .toList();
        return call("bulk load", () -> client.bulk(b -> b.operations(ops))).map(response -> {
            int applied = 0;
            for (BulkResponseItem item : response.items()) {
                ErrorCause error = item.error();
                if (error == null) {
                    applied++;
                } else if (ElasticsearchFailures.isTransientStatus(item.status())) {
                    throw new IndexUnavailableException(
                            "Bulk load item refused (" + item.status() + "): " + error.reason(), null);
                } else if (!ElasticsearchFailures.isType(error, ElasticsearchFailures.VERSION_CONFLICT)) {
                    // as the live projection does: a document the mapping refuses is logged and skipped, not fatal
                    LOG.errorf(
                            "Rebuild skips listing %s that the index refused: %s %s",
                            item.id(), error.type(), error.reason());
                }
            }
            return applied;
        });
    }

    @Override
    public Uni<Void> finishLoad(String index) {
        return call(
                        "index settings",
                        () -> client.indices()
                                .putSettings(p -> p.index(index).settings(s -> s.refreshInterval(t -> t.time("1s")))))
                .chain(() -> call("refresh", () -> client.indices().refresh(r -> r.index(index))))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> swapAliases(String index, Set<String> oldIndices) {
        return call(
                        "alias swap",
                        () -> client.indices().updateAliases(u -> {
                            for (String old : oldIndices) {
                                u.actions(Action.of(a -> a.remove(
                                        r -> r.index(old).alias(readAlias()).mustExist(false))));
                                u.actions(Action.of(a -> a.remove(
                                        r -> r.index(old).alias(writeAlias()).mustExist(false))));
                            }
                            u.actions(
                                    Action.of(a -> a.add(add -> add.index(index).alias(readAlias()))));
                            u.actions(Action.of(a -> a.add(
                                    add -> add.index(index).alias(writeAlias()).isWriteIndex(true))));
                            return u;
                        }))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(String index) {
        return call(
                        "index deletion",
                        () -> client.indices().delete(d -> d.index(index).ignoreUnavailable(true)))
                .replaceWithVoid();
    }

    @Override
    public Uni<Long> count(String index) {
        return call("count", () -> client.count(c -> c.index(index))).map(r -> r.count());
    }
}
