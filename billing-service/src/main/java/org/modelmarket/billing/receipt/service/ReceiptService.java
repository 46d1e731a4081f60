package org.modelmarket.billing.receipt.service;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.metering.MeteringRecord;
import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Receipts of metering records and the per-period usage statement buyers reconcile against them. A receipt is visible
 * to its customer, the listing's vendor and admins (404 for anyone else).
 */
@ApplicationScoped
public class ReceiptService {

    /** One receipt with the listing it belongs to. */
    public record Receipt(MeteringRecord record, Listing listing) {}

    /** A usage statement: every record of the month in scope, and the totals per listing and dimension. */
    public record Statement(String month, String customer, List<Receipt> records, Map<String, Long> totals) {}

    public Uni<Receipt> find(Caller caller, UUID id) {
        return Panache.withSession(() -> MeteringRecord.<MeteringRecord>findById(id)
                .chain(record -> record == null
                        ? Uni.createFrom().<Receipt>failure(notFound(id))
                        : Panache.getSession()
                                .chain(session -> session.find(Listing.class, record.listingId))
                                .map(listing -> {
                                    if (!caller.isAdmin()
                                            && !caller.subject().equals(record.customer)
                                            && (listing == null || !ListingAccess.manages(caller, listing))) {
                                        throw notFound(id);
                                    }
                                    return new Receipt(record, listing);
                                })));
    }

    /**
     * The statement of one month (UTC): a buyer's own records; a vendor's records of the listings it owns (optionally
     * of one customer); any customer's for admins.
     */
    public Uni<Statement> statement(Caller caller, YearMonth month, String customer) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        boolean vendor = caller.hasRole(Roles.VENDOR) && !caller.isAdmin();
        String scope = caller.isAdmin()
                ? (customer == null ? "true" : "m.customer = :customer")
                : vendor && customer != null && !customer.equals(caller.subject())
                        ? "m.customer = :customer and :me = any(l.owners)"
                        : vendor && customer == null ? "(m.customer = :me or :me = any(l.owners))" : "m.customer = :me";
        String sql = "select m.* from metering_record m join listing l on l.listing_id = m.listing_id where " + scope
                + " and m.usage_at >= :from and m.usage_at < :to order by m.usage_at, m.record_id limit 10000";
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, MeteringRecord.class)
                    .setParameter("from", from)
                    .setParameter("to", to);
            if (sql.contains(":customer")) {
                query.setParameter("customer", customer);
            }
            if (sql.contains(":me")) {
                query.setParameter("me", caller.subject());
            }
            return query.getResultList()
                    .chain(records -> session.createQuery("from Listing where id in ?1", Listing.class)
                            .setParameter(
                                    1,
                                    records.stream()
                                            .map(r -> r.listingId)
                                            .distinct()
                                            .toList())
                            .getResultList()
                            .map(listings -> {
                                Map<UUID, Listing> byId = new java.util.HashMap<>();
                                listings.forEach(l -> byId.put(l.id, l));
                                Map<String, Long> totals = new TreeMap<>();
                                List<Receipt> receipts = records.stream()
                                        .map(r -> new Receipt(r, byId.get(r.listingId)))
                                        .toList();
                                receipts.forEach(r -> totals.merge(
                                        r.listing().coordinates() + " " + r.record().dimension,
                                        r.record().quantity,
                                        Long::sum));
                                return new Statement(
                                        month.toString(),
                                        customer != null ? customer : caller.isAdmin() ? null : caller.subject(),
                                        receipts,
                                        totals);
                            }));
        }));
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(BillingProblem.RECEIPT_NOT_FOUND, "No receipt " + id + ".");
    }
}
