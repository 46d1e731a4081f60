package org.modelmarket.billing.ledger.service;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.ledger.LedgerEntry;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Vendor statements read from the ledger: per vendor namespace, month and currency, the gross billed, refunds, the
 * marketplace fee and the net payout. And the ledger's own check: debits equal credits per currency.
 */
@ApplicationScoped
public class StatementService {

    /** One currency of a vendor's month, in minor units. */
    public record Statement(
            String vendor,
            String month,
            String currency,
            long grossMinor,
            long refundsMinor,
            long feeMinor,
            long netMinor) {}

    /** The ledger's totals per currency. */
    public record Balance(String currency, long debitsMinor, long creditsMinor) {
        public boolean balanced() {
            return debitsMinor == creditsMinor;
        }
    }

    public Uni<List<Statement>> statement(Caller caller, String vendor, YearMonth month) {
        return Panache.withSession(() -> requireVendor(caller, vendor)
                .chain(() -> LedgerEntry.<LedgerEntry>list(
                                "month = ?1 and account in ?2",
                                month.toString(),
                                List.of("payable:" + vendor, "fees:" + vendor))
                        .map(entries -> {
                            Map<String, long[]> byCurrency = new TreeMap<>();
                            for (LedgerEntry e : entries) {
                                long[] t = byCurrency.computeIfAbsent(e.currency, c -> new long[4]);
                                t[0] += e.creditMinor; // billed (vendor share + fee)
                                t[1] += e.debitMinor; // refunded
                                if (e.account.startsWith("fees:")) {
                                    t[2] += e.creditMinor - e.debitMinor;
                                } else {
                                    t[3] += e.creditMinor - e.debitMinor;
                                }
                            }
                            List<Statement> result = new ArrayList<>();
                            byCurrency.forEach((currency, t) -> result.add(
                                    new Statement(vendor, month.toString(), currency, t[0], t[1], t[2], t[3])));
                            return result;
                        })));
    }

    /** Debits and credits per currency over the whole ledger (admin). */
    public Uni<List<Balance>> balances(Caller caller) {
        if (!caller.isAdmin()) {
            throw new ProblemException(StandardProblem.FORBIDDEN, "Only admins read the ledger's balance.");
        }
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createQuery(
                                "select currency, sum(debitMinor), sum(creditMinor) from LedgerEntry group by currency order by currency",
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Balance((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).longValue()))
                        .toList()));
    }

    /** Admins, or a vendor owning a listing in the namespace (or whose token names it). */
    private static Uni<Void> requireVendor(Caller caller, String vendor) {
        if (caller.isAdmin() || (caller.hasRole(Roles.VENDOR) && caller.actsFor(vendor))) {
            return Uni.createFrom().voidItem();
        }
        if (!caller.hasRole(Roles.VENDOR)) {
            return Uni.createFrom().failure(forbidden(vendor));
        }
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select count(*) from listing where namespace = :ns and :me = any(owners)", Long.class)
                        .setParameter("ns", vendor)
                        .setParameter("me", caller.subject())
                        .getSingleResult())
                .chain(count -> count > 0
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(forbidden(vendor)));
    }

    private static ProblemException forbidden(String vendor) {
        return new ProblemException(
                StandardProblem.FORBIDDEN, "Only vendor " + vendor + " and admins see its statements.");
    }
}
