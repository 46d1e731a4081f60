package org.modelmarket.search.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/**
 * Creates the listing index and its aliases at startup if they are missing. Startup does not wait for it and does not
 * fail without Elasticsearch: the projection ensures the index again before its first write, and searches answer 503
 * until the index exists.
 */
@ApplicationScoped
public class IndexBootstrap {

    private static final Logger LOG = Logger.getLogger(IndexBootstrap.class);

    private final ListingIndex index;

    public IndexBootstrap(ListingIndex index) {
        this.index = index;
    }

    void onStart(@Observes StartupEvent event) {
        index.ensureIndex().subscribe().with(
                ok -> LOG.debug("Listing index ready"),
                failure -> LOG.warnf("Listing index not ready yet, the projection will retry: %s", failure.getMessage()));
    }
}
