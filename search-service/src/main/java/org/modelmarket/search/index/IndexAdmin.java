package org.modelmarket.search.index;

import java.util.List;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/** The index operations of a rebuild: concrete indices, bulk loads and the atomic alias swap. */
public interface IndexAdmin {

    /** The alias the query side searches. */
    String readAlias();

    /** The alias the projection writes. */
    String writeAlias();

    /** A fresh concrete index name for the current mapping version, e.g. {@code listings-v2-1795000000000}. */
    String newIndexName();

    /** Whether {@code index} was created from the current mapping version. */
    boolean isCurrent(String index);

    /** The concrete indices {@code alias} points at (empty if it does not exist). */
    Uni<Set<String>> indicesOf(String alias);

    /** Creates {@code index} from the current definition, tuned for a bulk load (no periodic refresh). */
    Uni<Void> createForLoad(String index);

    /** Writes the operations, in order, with external versioning; stale versions are not errors. @return writes applied */
    Uni<Integer> bulk(String index, List<IndexOperation> operations);

    /** Ends a bulk load: periodic refresh back on, and one refresh now. */
    Uni<Void> finishLoad(String index);

    /** In one {@code _aliases} request: the read and write aliases leave {@code oldIndices} and point at {@code index}. */
    Uni<Void> swapAliases(String index, Set<String> oldIndices);

    Uni<Void> delete(String index);

    /** The number of documents visible in {@code index}. */
    Uni<Long> count(String index);
}
