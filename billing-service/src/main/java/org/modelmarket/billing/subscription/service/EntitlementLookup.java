package org.modelmarket.billing.subscription.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.entitlement.service.SubscriptionLookup;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.PriceType;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers the entitlement decision from the listing projection and the entitlement state kept beside subscriptions:
 * one prepared statement on the reactive SQL client (the hot path of every protected download), no ORM session.
 */
@ApplicationScoped
public class EntitlementLookup implements SubscriptionLookup {

    private static final String STANDING = "select l.listing_id, l.namespace, l.name, l.price_type, l.owners, e.status"
            + " from listing l left join entitlement e on e.listing_id = l.listing_id and e.subject = $3"
            + " where l.namespace = $1 and l.name = $2";

    private final Pool pool;

    public EntitlementLookup(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Standing> standing(String namespace, String name, String subject) {
        return pool.preparedQuery(STANDING)
                .execute(Tuple.of(namespace, name, subject))
                .map(EntitlementLookup::standing);
    }

    private static Standing standing(RowSet<Row> rows) {
        var iterator = rows.iterator();
        if (!iterator.hasNext()) {
            return null;
        }
        Row row = iterator.next();
        Listing listing = new Listing();
        listing.id = row.getUUID("listing_id");
        listing.namespace = row.getString("namespace");
        listing.name = row.getString("name");
        listing.priceType = PriceType.valueOf(row.getString("price_type"));
        String[] owners = row.getArrayOfStrings("owners");
        listing.owners = owners == null ? new String[0] : owners;
        return new Standing(listing, "active".equals(row.getString("status")));
    }
}
