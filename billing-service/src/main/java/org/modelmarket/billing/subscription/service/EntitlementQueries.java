package org.modelmarket.billing.subscription.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.subscription.EntitlementState;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * GetEntitlements: entitlement rows in the caller's scope (a buyer's own; a vendor's listings' buyers; all for admins),
 * filtered by listing and customer, in pages of (listing, customer) rows with an opaque {@code nextToken}.
 */
@ApplicationScoped
public class EntitlementQueries {

    /** A page of rows with their listings; {@code nextToken} null on the last page. */
    public record Page(List<Row> rows, String nextToken) {}

    public record Row(EntitlementState state, Listing listing) {}

    public Uni<Page> list(Caller caller, String listing, String customer, int maxResults, String nextToken) {
        int offset = offset(nextToken);
        StringBuilder sql = new StringBuilder(
                "select e.* from entitlement e join listing l on l.listing_id = e.listing_id where true");
        if (!caller.isAdmin()) {
            sql.append(" and (e.subject = :me or :me = any(l.owners))");
        }
        if (listing != null) {
            sql.append(" and l.namespace = :ns and l.name = :name");
        }
        if (customer != null) {
            sql.append(" and e.subject = :customer");
        }
        sql.append(" order by e.listing_id, e.subject limit :limit offset :offset");
        String statement = sql.toString();
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(statement, EntitlementState.class);
            if (!caller.isAdmin()) {
                query.setParameter("me", caller.subject());
            }
            if (listing != null) {
                String[] parts = listing.split("/", 2);
                query.setParameter("ns", parts[0]);
                query.setParameter("name", parts[1]);
            }
            if (customer != null) {
                query.setParameter("customer", customer);
            }
            query.setParameter("limit", maxResults + 1);
            query.setParameter("offset", offset);
            return query.getResultList()
                    .chain(states -> session.createQuery("from Listing where id in ?1", Listing.class)
                            .setParameter(
                                    1,
                                    states.stream()
                                            .map(s -> s.key.listingId())
                                            .distinct()
                                            .toList())
                            .getResultList()
                            .map(listings -> {
                                List<Row> rows = new ArrayList<>();
                                for (EntitlementState state : states.subList(0, Math.min(maxResults, states.size()))) {
                                    Listing owner = listings.stream()
                                            .filter(l -> l.id.equals(state.key.listingId()))
                                            .findFirst()
                                            .orElse(null);
                                    rows.add(new Row(state, owner));
                                }
                                String next = states.size() > maxResults ? token(offset + maxResults) : null;
                                return new Page(rows, next);
                            }));
        }));
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!decoded.startsWith("o:")) {
                throw new IllegalArgumentException();
            }
            return Integer.parseInt(decoded.substring(2));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("nextToken", "is not a token this API returned");
        }
    }
}
