package org.modelmarket.billing.ledger.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.ledger.LedgerEntry;

import io.smallrye.mutiny.Uni;

/**
 * The double-entry ledger. Accounts: {@code receivable:<buyer>}, {@code payable:<vendor>}, {@code fees:<vendor>} (the
 * marketplace's fee earned on that vendor's sales), {@code cash:<provider>}. A transaction is refused unless its
 * debits equal its credits in every currency.
 */
@ApplicationScoped
public class Ledger {

    /** One movement: positive amounts are debits of {@code debit} and credits of {@code credit}. */
    public record Movement(String debit, String credit, long amountMinor) {}

    /** Books the movements as one transaction in the caller's Hibernate transaction. */
    public Uni<UUID> book(String currency, String reference, String month, Instant at, List<Movement> movements) {
        UUID transaction = UUID.randomUUID();
        List<LedgerEntry> entries = new ArrayList<>();
        for (Movement movement : movements) {
            if (movement.amountMinor() == 0) {
                continue;
            }
            // A negative amount moves money the other way: swap the sides, keep both amounts non-negative.
            boolean forward = movement.amountMinor() > 0;
            long amount = Math.abs(movement.amountMinor());
            entries.add(entry(
                    transaction,
                    forward ? movement.debit() : movement.credit(),
                    currency,
                    amount,
                    0,
                    reference,
                    month,
                    at));
            entries.add(entry(
                    transaction,
                    forward ? movement.credit() : movement.debit(),
                    currency,
                    0,
                    amount,
                    reference,
                    month,
                    at));
        }
        long debits = entries.stream().mapToLong(e -> e.debitMinor).sum();
        long credits = entries.stream().mapToLong(e -> e.creditMinor).sum();
        if (debits != credits) {
            throw new IllegalStateException("Unbalanced ledger transaction " + reference);
        }
        if (entries.isEmpty()) {
            return Uni.createFrom().item(transaction); // nothing moved (e.g. an invoice of zero lines)
        }
        return LedgerEntry.persist(entries).replaceWith(transaction);
    }

    private static LedgerEntry entry(
            UUID transaction,
            String account,
            String currency,
            long debit,
            long credit,
            String reference,
            String month,
            Instant at) {
        LedgerEntry entry = new LedgerEntry();
        entry.transactionId = transaction;
        entry.account = account;
        entry.currency = currency;
        entry.debitMinor = debit;
        entry.creditMinor = credit;
        entry.reference = reference;
        entry.month = month;
        entry.createdAt = at;
        return entry;
    }
}
