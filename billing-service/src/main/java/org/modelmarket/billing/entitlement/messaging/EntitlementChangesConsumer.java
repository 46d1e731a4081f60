package org.modelmarket.billing.entitlement.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.modelmarket.billing.entitlement.service.EntitlementCache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drops a cached entitlement when its {@code EntitlementChanged} event arrives on {@code billing.entitlements}, from
 * whichever replica made the change. Every replica reads the whole topic in a consumer group of its own (a random
 * group id per start, from the latest offset: an empty cache needs no history), so a change on one replica reaches
 * the caches of all. An event that cannot be read empties the cache, since which entry it meant is unknown.
 */
@ApplicationScoped
public class EntitlementChangesConsumer {

    private static final Logger LOG = Logger.getLogger(EntitlementChangesConsumer.class);

    private final EntitlementCache cache;
    private final ObjectMapper json;

    public EntitlementChangesConsumer(EntitlementCache cache, ObjectMapper json) {
        this.cache = cache;
        this.json = json;
    }

    @Incoming("entitlement-changes")
    public void changed(String value) {
        try {
            JsonNode data = value == null ? null : json.readTree(value).path("data");
            String listing = data == null ? "" : data.path("listing").asText("");
            String subject = data == null ? "" : data.path("subject").asText("");
            int slash = listing.indexOf('/');
            if (slash > 0 && !subject.isEmpty()) {
                cache.invalidate(listing.substring(0, slash), listing.substring(slash + 1), subject);
                return;
            }
        } catch (JsonProcessingException e) {
            LOG.debugf(e, "Unreadable entitlement event");
        }
        LOG.warnf("Entitlement event without listing and subject: the entitlement cache is emptied");
        cache.invalidateAll();
    }
}
