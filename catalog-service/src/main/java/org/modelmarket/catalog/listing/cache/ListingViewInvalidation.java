package org.modelmarket.catalog.listing.cache;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.modelmarket.platform.cloudevents.CloudEventReader;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * Drops cached listing views when the listing changes: on the listing's own state event on {@code catalog.listings}
 * (every instance reads the topic with a group of its own, so all of them forget the old state), and, so that a writer
 * reads its own write at once, when a successful write request through this instance touched the listing (or its
 * vendor, whose name, verification and members every view shows).
 */
@ApplicationScoped
public class ListingViewInvalidation {

    private static final Logger LOG = Logger.getLogger(ListingViewInvalidation.class);
    private static final Pattern LISTING_PATH = Pattern.compile("^/api/v1/listings/(?!by-id/)([^/]+)/([^/]+)(/.*)?$");
    private static final Pattern VENDOR_PATH = Pattern.compile("^/api/v1/vendors(/.*)?$");

    private final ListingViewCache cache;
    private final CloudEventReader events;

    public ListingViewInvalidation(ListingViewCache cache, CloudEventReader events) {
        this.cache = cache;
        this.events = events;
    }

    /** A listing state event (structured CloudEvent JSON); a tombstone or an unreadable record drops every entry. */
    @Incoming("listing-views")
    public Uni<Void> onListingChanged(String event) {
        if (event == null) {
            return cache.invalidateAll();
        }
        try {
            JsonNode data = events.read(event).data();
            String namespace = data.path("namespace").asText(null);
            String name = data.path("name").asText(null);
            if (namespace != null && name != null) {
                return cache.invalidate(namespace, name);
            }
        } catch (Exception e) {
            LOG.warnf("Unreadable record on catalog.listings (%s): dropping every cached listing view", e.getMessage());
        }
        return cache.invalidateAll();
    }

    /**
     * After a successful write request, before its response leaves: the writer's next read sees the new state.
     * Refused requests (4xx, 5xx) changed nothing and evict nothing, so anonymous junk cannot empty the cache.
     */
    @ServerResponseFilter
    public Uni<Void> afterWrite(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        if (response.getStatus() >= 400
                || HttpMethod.GET.equals(method)
                || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method)) {
            return Uni.createFrom().voidItem();
        }
        String path = request.getUriInfo().getPath();
        Matcher listing = LISTING_PATH.matcher(path);
        if (listing.matches()) {
            return cache.invalidate(listing.group(1), listing.group(2));
        }
        if (VENDOR_PATH.matcher(path).matches()) {
            return cache.invalidateAll();
        }
        return Uni.createFrom().voidItem();
    }
}
