package org.modelmarket.search.index;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.modelmarket.search.config.SearchConfig;
import org.modelmarket.search.rebuild.service.RebuildService;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the listing index and its aliases at startup if they are missing. Startup does not wait for it and does not
 * fail without Elasticsearch: the projection ensures the index again before its first write, and searches answer 503
 * until the index exists. If the aliases point at an index of an older mapping version (after an upgrade), a rebuild
 * moves them to a fresh index of the current one.
 */
@ApplicationScoped
public class IndexBootstrap {

    private static final Logger LOG = Logger.getLogger(IndexBootstrap.class);

    private final ListingIndex index;
    private final IndexAdmin admin;
    private final RebuildService rebuild;
    private final boolean rebuildOnMappingChange;

    public IndexBootstrap(ListingIndex index, IndexAdmin admin, RebuildService rebuild, SearchConfig config) {
        this.index = index;
        this.admin = admin;
        this.rebuild = rebuild;
        this.rebuildOnMappingChange = config.rebuild().onMappingChange();
    }

    void onStart(@Observes StartupEvent event) {
        index.ensureIndex()
                .chain(() -> admin.indicesOf(admin.writeAlias()))
                .subscribe()
                .with(
                        this::checkVersion,
                        failure -> LOG.warnf(
                                "Listing index not ready yet, the projection will retry: %s", failure.getMessage()));
    }

    private void checkVersion(Set<String> indices) {
        if (indices.stream().allMatch(admin::isCurrent)) {
            LOG.debugf("Listing index ready: %s", indices);
            return;
        }
        if (!rebuildOnMappingChange) {
            LOG.warnf("The aliases point at %s, made from an older mapping; run a rebuild", indices);
            return;
        }
        LOG.infof("The aliases point at %s, made from an older mapping: rebuilding", indices);
        try {
            rebuild.start();
        } catch (RuntimeException e) {
            LOG.warnf("Could not start the rebuild: %s", e.getMessage());
        }
    }
}
