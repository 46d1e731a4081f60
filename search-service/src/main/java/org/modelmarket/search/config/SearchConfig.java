package org.modelmarket.search.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** search-service's own settings: the listing index layout and the projection's retry policy. */
@ConfigMapping(prefix = "modelmarket.search")
public interface SearchConfig {

    /** The listing index and its aliases. */
    Index index();

    /** How the catalog projection behaves when Elasticsearch is unavailable. */
    Projection projection();

    /** Cursor paging. */
    Cursor cursor();

    /** Rebuilding the index from the compacted topic. */
    Rebuild rebuild();

    /** The query side's requests to Elasticsearch. */
    Query query();

    /** The listing index: a versioned concrete index behind a read and a write alias. */
    interface Index {

        /** Base name of the concrete index; the concrete index is {@code <name>-v<version>}. */
        @WithDefault("listings")
        String name();

        /** Version of the index definition; bump it when the mapping changes incompatibly (a rebuild fills the new index). */
        @WithDefault("3")
        int version();

        /** Alias searched by the query side. */
        @WithDefault("listings-read")
        String readAlias();

        /** Alias written by the projection. */
        @WithDefault("listings-write")
        String writeAlias();

        /** Primary shards of a newly created index. */
        @WithDefault("1")
        int shards();

        /** Replicas of a newly created index: 0 on a single node (else the index never turns green), 1+ in a cluster. */
        @WithDefault("0")
        int replicas();

        /** The concrete index name, e.g. {@code listings-v1}. */
        default String concreteName() {
            return name() + "-v" + version();
        }
    }

    /** The projection of {@code catalog.listings} into the index. */
    interface Projection {

        /** First delay before retrying a write that Elasticsearch could not take. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest delay between retries; retries go on until Elasticsearch takes the write. */
        @WithDefault("10s")
        Duration maxBackoff();
    }

    /** Cursor paging ({@code search_after} over a point in time). */
    interface Cursor {

        /** How long a cursor's point in time stays open after each page; past it, paging goes on over the live index. */
        @WithDefault("2m")
        Duration keepAlive();
    }

    /** The query side's requests to Elasticsearch. */
    interface Query {

        /**
         * Bytes of prebuilt request bodies of the hot reads kept for reuse (page-paged searches and suggestions; the
         * seldom used go first); 0 builds every body anew.
         */
        @WithDefault("4M")
        MemorySize requestBodyCache();
    }

    /** The rebuild: a fresh index filled from {@code catalog.listings}, then the aliases swapped in one request. */
    interface Rebuild {

        /** Topic read from its beginning. */
        @WithDefault("catalog.listings")
        String topic();

        /** Index operations per bulk request. */
        @WithDefault("1000")
        int batchSize();

        /** Whether the index the aliases left is deleted after the swap. */
        @WithDefault("true")
        boolean deleteOldIndex();

        /** Wait between the swap and deleting the old index, so that searches and cursors still on it can finish. */
        @WithDefault("30s")
        Duration deleteGrace();

        /** Whether startup rebuilds by itself when the aliases point at an index of an older mapping version. */
        @WithDefault("true")
        boolean onMappingChange();
    }
}
