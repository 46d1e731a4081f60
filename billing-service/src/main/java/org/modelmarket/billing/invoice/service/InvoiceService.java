package org.modelmarket.billing.invoice.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;
import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.invoice.CreditNote;
import org.modelmarket.billing.invoice.Invoice;
import org.modelmarket.billing.invoice.InvoiceLine;
import org.modelmarket.billing.invoice.payment.PaymentProvider;
import org.modelmarket.billing.ledger.service.Ledger;
import org.modelmarket.billing.ledger.service.Ledger.Movement;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.metering.MeteringRecord;
import org.modelmarket.billing.money.Money;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.PricingVersion;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.billing.subscription.Charge;
import org.modelmarket.billing.subscription.Subscription;
import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.billing.subscription.service.SubscriptionService;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Monthly invoices per buyer and currency, issued once the month (UTC) and the metering window after it are over:
 * every uninvoiced charge (fees, prorations) and every uninvoiced usage record up to the month's end, so an item that
 * arrives after its month's invoice goes on the next one. Usage lines: per subscription, dimension and month, the
 * quantity beyond the included quantity × unit price / per, rounded once (half-even) to the minor unit; usage inside a
 * trial is free. Issuing books the ledger: the buyer's receivable against each vendor's payable and the marketplace's
 * fee (a percentage per listing price type, rounded once per line). Unpaid at the due date: the invoice and the buyer's
 * subscriptions on it become past_due; paying reactivates them.
 */
@ApplicationScoped
public class InvoiceService {

    private static final Logger LOG = Logger.getLogger(InvoiceService.class);

    private final Clock clock;
    private final BillingConfig config;
    private final PricingService pricing;
    private final SubscriptionService subscriptions;
    private final Ledger ledger;
    private final PaymentProvider payments;
    private final ObjectMapper json;

    public InvoiceService(
            Clock clock,
            BillingConfig config,
            PricingService pricing,
            SubscriptionService subscriptions,
            Ledger ledger,
            PaymentProvider payments,
            ObjectMapper json) {
        this.clock = clock;
        this.config = config;
        this.pricing = pricing;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.payments = payments;
        this.json = json;
    }

    /** An invoice with its lines and credit notes. */
    public record Issued(
            Invoice invoice,
            List<InvoiceLine> lines,
            List<CreditNote> creditNotes,
            PaymentProvider.PaymentInstructions payment) {}

    /** The last month that may be invoiced at {@code now}: its end plus the metering window has passed. */
    YearMonth lastClosedMonth(Instant now) {
        return YearMonth.from(now.minus(config.metering().window()).atOffset(ZoneOffset.UTC))
                .minusMonths(1);
    }

    /** Issues every invoice due at the clock's now and marks overdue ones; returns how many invoices were issued. */
    public Uni<Integer> run() {
        Instant now = clock.instant();
        YearMonth closed = lastClosedMonth(now);
        Instant cutoff = start(closed.plusMonths(1));
        return Panache.withSession(() -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(
                                        "select distinct buyer from charge where invoice_id is null and charged_at < :cutoff"
                                                + " union select distinct customer from metering_record where invoice_id is null"
                                                + " and usage_at < :cutoff",
                                        String.class)
                                .setParameter("cutoff", cutoff)
                                .getResultList()))
                .chain(buyers -> Multi.createFrom()
                        .iterable(buyers)
                        .onItem()
                        .transformToUniAndConcatenate(buyer -> issueFor(buyer, closed, now))
                        .collect()
                        .asList()
                        .map(counts ->
                                counts.stream().mapToInt(Integer::intValue).sum()))
                .call(() -> markOverdue(now));
    }

    /** Issues the buyer's invoices month by month, oldest first, up to {@code closed}. */
    private Uni<Integer> issueFor(String buyer, YearMonth closed, Instant now) {
        return Panache.withTransaction(() -> Panache.getSession()
                        // One issuer per buyer at a time, whichever replica: the others wait, then find nothing left.
                        .chain(session -> session.createNativeQuery(
                                        "select 1 from pg_advisory_xact_lock(hashtext(:key))")
                                .setParameter("key", "invoice:" + buyer)
                                .getSingleResult())
                        .chain(() -> Charge.<Charge>list(
                                "buyer = ?1 and invoiceId is null and chargedAt < ?2 order by chargedAt, id",
                                buyer,
                                start(closed.plusMonths(1))))
                        .chain(charges -> MeteringRecord.<MeteringRecord>list(
                                        "customer = ?1 and invoiceId is null and usageAt < ?2 order by usageAt, id",
                                        buyer,
                                        start(closed.plusMonths(1)))
                                .chain(records -> {
                                    if (charges.isEmpty() && records.isEmpty()) {
                                        return Uni.createFrom().item(0);
                                    }
                                    Instant oldest = charges.isEmpty()
                                            ? records.get(0).usageAt
                                            : records.isEmpty()
                                                    ? charges.get(0).chargedAt
                                                    : min(charges.get(0).chargedAt, records.get(0).usageAt);
                                    return monthToIssue(buyer, YearMonth.from(oldest.atOffset(ZoneOffset.UTC)), closed)
                                            .chain(month -> {
                                                if (month == null) {
                                                    return Uni.createFrom().item(0);
                                                }
                                                Instant end = start(month.plusMonths(1));
                                                return issue(
                                                                buyer,
                                                                month,
                                                                charges.stream()
                                                                        .filter(c -> c.chargedAt.isBefore(end))
                                                                        .toList(),
                                                                records.stream()
                                                                        .filter(r -> r.usageAt.isBefore(end))
                                                                        .toList(),
                                                                now)
                                                        .replaceWith(1);
                                            });
                                })))
                .chain(issued -> issued == 0
                        ? Uni.createFrom().item(0)
                        : issueFor(buyer, closed, now).map(more -> more + issued));
    }

    /**
     * The month whose invoice takes items starting at {@code month}: the first one without an invoice yet (an item
     * that arrives after its month's invoice goes on the next one); null when that month is not closed yet.
     */
    private Uni<YearMonth> monthToIssue(String buyer, YearMonth month, YearMonth closed) {
        if (month.isAfter(closed)) {
            return Uni.createFrom().nullItem();
        }
        return Invoice.count("buyer = ?1 and month = ?2", buyer, month.toString())
                .chain(count ->
                        count == 0 ? Uni.createFrom().item(month) : monthToIssue(buyer, month.plusMonths(1), closed));
    }

    private Uni<Void> issue(
            String buyer, YearMonth month, List<Charge> charges, List<MeteringRecord> records, Instant now) {
        Map<UUID, Subscription> subs = new HashMap<>();
        Map<UUID, Listing> listings = new HashMap<>();
        Map<UUID, PricingTerms> terms = new HashMap<>();
        Map<UUID, PricingTerms> versions = new HashMap<>();
        List<UUID> subscriptionIds = new ArrayList<>();
        charges.forEach(c -> subscriptionIds.add(c.subscriptionId));
        records.forEach(r -> subscriptionIds.add(r.subscriptionId));
        return Multi.createFrom()
                .iterable(subscriptionIds.stream().distinct().toList())
                .onItem()
                .transformToUniAndConcatenate(id -> Subscription.<Subscription>findById(id)
                        .chain(s -> PricingVersion.<PricingVersion>findById(s.pricingId)
                                .chain(v -> Panache.getSession()
                                        .chain(session -> session.find(Listing.class, s.listingId))
                                        .invoke(l -> {
                                            subs.put(id, s);
                                            listings.put(id, l);
                                            terms.put(id, pricing.terms(v));
                                        }))))
                .collect()
                .asList()
                // The versions usage was priced with when it happened (each record names it), beside the
                // subscriptions' current ones.
                .chain(() -> Multi.createFrom()
                        .iterable(records.stream()
                                .map(r -> r.pricingId)
                                .filter(java.util.Objects::nonNull)
                                .distinct()
                                .toList())
                        .onItem()
                        .transformToUniAndConcatenate(id -> PricingVersion.<PricingVersion>findById(id)
                                .invoke(v -> versions.put(id, pricing.terms(v))))
                        .collect()
                        .asList())
                .chain(() -> {
                    // Lines per currency: one invoice each.
                    Map<String, List<InvoiceLine>> byCurrency = new TreeMap<>();
                    for (Charge charge : charges) {
                        InvoiceLine line =
                                line(charge.kind, listings.get(charge.subscriptionId), charge.subscriptionId);
                        line.amountMinor = charge.amountMinor;
                        line.description = charge.description;
                        line.sources = write(List.of(charge.id));
                        byCurrency
                                .computeIfAbsent(charge.currency, c -> new ArrayList<>())
                                .add(line);
                    }
                    // Usage per subscription, dimension and the pricing version in force when it happened, in
                    // usage order (a subscription's versions follow each other in time).
                    Map<String, List<MeteringRecord>> usage = new LinkedHashMap<>();
                    List<MeteringRecord> inOrder = new ArrayList<>(records);
                    inOrder.sort(java.util.Comparator.comparing((MeteringRecord r) -> r.usageAt)
                            .thenComparing(r -> r.id));
                    for (MeteringRecord record : inOrder) {
                        usage.computeIfAbsent(
                                        record.subscriptionId + " " + record.dimension + " " + record.pricingId,
                                        k -> new ArrayList<>())
                                .add(record);
                    }
                    // The included quantity counts all the invoice's usage of a subscription and dimension: usage
                    // priced with a version is free up to that version's included quantity less the earlier usage.
                    Map<String, Long> earlierUsage = new HashMap<>();
                    for (List<MeteringRecord> group : usage.values()) {
                        UUID subscriptionId = group.get(0).subscriptionId;
                        Subscription subscription = subs.get(subscriptionId);
                        UUID pricingId = group.get(0).pricingId;
                        PricingTerms priced = pricingId != null && versions.containsKey(pricingId)
                                ? versions.get(pricingId)
                                : terms.get(subscriptionId);
                        var dimension = priced.dimension(group.get(0).dimension).orElse(null);
                        List<MeteringRecord> inTrial = group.stream()
                                .filter(r -> inTrial(subscription, r.usageAt))
                                .toList();
                        List<MeteringRecord> paid = group.stream()
                                .filter(r -> !inTrial(subscription, r.usageAt))
                                .toList();
                        if (!inTrial.isEmpty()) {
                            InvoiceLine line = line("usage_trial", listings.get(subscriptionId), subscriptionId);
                            line.dimension = group.get(0).dimension;
                            line.quantity =
                                    inTrial.stream().mapToLong(r -> r.quantity).sum();
                            line.billable = 0L;
                            line.amountMinor = 0;
                            line.description = "Usage of " + line.dimension + " during the free trial";
                            line.sources = write(inTrial.stream().map(r -> r.id).toList());
                            byCurrency
                                    .computeIfAbsent(priced.currency(), c -> new ArrayList<>())
                                    .add(line);
                        }
                        if (!paid.isEmpty()) {
                            InvoiceLine line = line("usage", listings.get(subscriptionId), subscriptionId);
                            line.dimension = group.get(0).dimension;
                            long quantity =
                                    paid.stream().mapToLong(r -> r.quantity).sum();
                            String counter = subscriptionId + " " + group.get(0).dimension;
                            long earlier = earlierUsage.getOrDefault(counter, 0L);
                            earlierUsage.put(counter, earlier + quantity);
                            long included =
                                    Math.max(0, (dimension == null ? 0 : dimension.includedQuantity()) - earlier);
                            line.quantity = quantity;
                            line.billable = Math.max(0, quantity - included);
                            line.unitPrice = dimension == null
                                    ? "0"
                                    : dimension.unitPrice().toPlainString() + " per " + dimension.per();
                            line.amountMinor = dimension == null
                                    ? 0
                                    : Money.round(dimension.price(line.billable), priced.currency());
                            line.description = quantity + " " + line.dimension + ", " + included + " included";
                            line.sources = write(paid.stream().map(r -> r.id).toList());
                            byCurrency
                                    .computeIfAbsent(priced.currency(), c -> new ArrayList<>())
                                    .add(line);
                        }
                    }
                    Uni<Void> done = Uni.createFrom().voidItem();
                    for (var entry : byCurrency.entrySet()) {
                        done = done.chain(() -> store(buyer, month, entry.getKey(), entry.getValue(), listings, now));
                    }
                    return done;
                });
    }

    /** Stores an invoice (skips when the month's invoice in this currency exists: its items wait for the next one). */
    private Uni<Void> store(
            String buyer,
            YearMonth month,
            String currency,
            List<InvoiceLine> lines,
            Map<UUID, Listing> listings,
            Instant now) {
        Invoice invoice = new Invoice();
        invoice.id = UUID.randomUUID();
        invoice.buyer = buyer;
        invoice.month = month.toString();
        invoice.currency = currency;
        invoice.totalMinor = lines.stream().mapToLong(l -> l.amountMinor).sum();
        invoice.status = Invoice.ISSUED;
        invoice.issuedAt = now;
        invoice.dueAt = now.plus(config.invoices().dueAfter());
        invoice.paymentReference = "MM-" + invoice.id.toString().substring(0, 8).toUpperCase();
        for (int i = 0; i < lines.size(); i++) {
            lines.get(i).invoiceId = invoice.id;
            lines.get(i).position = i + 1;
        }
        List<Movement> movements = new ArrayList<>();
        for (InvoiceLine line : lines) {
            long fee = fee(
                    line.amountMinor,
                    listings.values().stream()
                            .filter(l -> l.id.equals(line.listingId))
                            .findFirst()
                            .orElse(null),
                    currency);
            movements.add(new Movement("receivable:" + buyer, "payable:" + line.vendor, line.amountMinor - fee));
            movements.add(new Movement("receivable:" + buyer, "fees:" + line.vendor, fee));
        }
        return invoice.persist()
                .chain(() -> InvoiceLine.persist(lines))
                .chain(() -> ledger.book(currency, "invoice " + invoice.id, invoice.month, now, movements))
                .chain(() -> setInvoice(invoice.id, lines))
                .invoke(() -> LOG.debugf("Issued invoice %s for %s %s", invoice.id, buyer, invoice.month));
    }

    /** Marks each line's charges and records with the invoice (by the ids in its sources). */
    private Uni<Void> setInvoice(UUID invoiceId, List<InvoiceLine> lines) {
        List<UUID> ids = new ArrayList<>();
        for (InvoiceLine line : lines) {
            ids.addAll(read(line.sources));
        }
        return Charge.update("invoiceId = ?1 where id in ?2", invoiceId, ids)
                .chain(() -> MeteringRecord.update("invoiceId = ?1 where id in ?2", invoiceId, ids))
                .replaceWithVoid();
    }

    /** Invoices unpaid at their due date become past_due, and so do the buyer's live subscriptions they bill. */
    private Uni<Void> markOverdue(Instant now) {
        return Panache.withTransaction(() -> Invoice.<Invoice>find("status = ?1 and dueAt <= ?2", Invoice.ISSUED, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list()
                .chain(invoices -> Multi.createFrom()
                        .iterable(invoices)
                        .onItem()
                        .transformToUniAndConcatenate(invoice -> {
                            invoice.status = Invoice.PAST_DUE;
                            return subscriptionsOn(invoice)
                                    .chain(list -> Multi.createFrom()
                                            .iterable(list)
                                            .filter(s -> s.status == SubscriptionStatus.ACTIVE
                                                    || s.status == SubscriptionStatus.CANCEL_PENDING)
                                            .onItem()
                                            .transformToUniAndConcatenate(s -> subscriptions.markPastDue(s, now))
                                            .collect()
                                            .asList());
                        })
                        .collect()
                        .asList())
                .replaceWithVoid());
    }

    private Uni<List<Subscription>> subscriptionsOn(Invoice invoice) {
        return InvoiceLine.<InvoiceLine>list("invoiceId = ?1", invoice.id)
                .chain(lines -> Subscription.<Subscription>find(
                                "id in ?1",
                                lines.stream()
                                        .map(l -> l.subscriptionId)
                                        .distinct()
                                        .toList())
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .list());
    }

    /** Records a bank transfer that settles the invoice (admin); reactivates past-due subscriptions it billed. */
    public Uni<Issued> pay(Caller caller, UUID id, long amountMinor, String reference) {
        requireAdmin(caller);
        Instant now = clock.instant();
        return Panache.withTransaction(() -> Invoice.<Invoice>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .chain(invoice -> {
                    if (Invoice.PAID.equals(invoice.status)) {
                        throw new ProblemException(BillingProblem.INVOICE_STATE, "Invoice " + id + " is paid already.");
                    }
                    if (amountMinor != invoice.totalMinor) {
                        throw ProblemException.invalid(
                                "amount",
                                "must equal the invoice total " + Money.format(invoice.totalMinor, invoice.currency));
                    }
                    boolean wasPastDue = Invoice.PAST_DUE.equals(invoice.status);
                    invoice.status = Invoice.PAID;
                    invoice.paidAt = now;
                    Uni<Void> reactivate = !wasPastDue
                            ? Uni.createFrom().voidItem()
                            : subscriptionsOn(invoice)
                                    .chain(list -> Multi.createFrom()
                                            .iterable(list)
                                            .filter(s -> s.status == SubscriptionStatus.PAST_DUE)
                                            .onItem()
                                            .transformToUniAndConcatenate(s -> subscriptions.reactivate(s, now))
                                            .collect()
                                            .asList()
                                            .replaceWithVoid());
                    return ledger.book(
                                    invoice.currency,
                                    "payment " + reference + " of invoice " + id,
                                    invoice.month,
                                    now,
                                    List.of(new Movement(
                                            "cash:" + payments.id(), "receivable:" + invoice.buyer, amountMinor)))
                            .chain(() -> reactivate)
                            .chain(() -> load(invoice));
                }));
    }

    /** A refund of part or all of one line (admin): a credit note, booked back from the vendor and the fee. */
    public Uni<Issued> credit(Caller caller, UUID id, UUID lineId, long amountMinor, String reason) {
        requireAdmin(caller);
        Instant now = clock.instant();
        return Panache.withTransaction(() -> Invoice.<Invoice>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> notFound(id))
                .chain(invoice -> InvoiceLine.<InvoiceLine>find("id = ?1 and invoiceId = ?2", lineId, id)
                        .firstResult()
                        .chain(line -> {
                            if (line == null) {
                                throw ProblemException.invalid("lineId", "is not a line of invoice " + id);
                            }
                            return CreditNote.<CreditNote>list("invoiceId = ?1", id)
                                    .chain(notes -> {
                                        long credited = notes.stream()
                                                .mapToLong(n -> n.amountMinor)
                                                .sum();
                                        long invoiceTotal = invoice.totalMinor;
                                        if (amountMinor > line.amountMinor || credited + amountMinor > invoiceTotal) {
                                            throw ProblemException.invalid(
                                                    "amount",
                                                    "must not exceed what the line billed and was not credited yet");
                                        }
                                        CreditNote note = new CreditNote();
                                        note.id = UUID.randomUUID();
                                        note.invoiceId = id;
                                        note.amountMinor = amountMinor;
                                        note.reason = reason;
                                        note.createdBy = caller.subject();
                                        note.createdAt = now;
                                        return Panache.getSession()
                                                .chain(session -> session.find(Listing.class, line.listingId))
                                                .chain(listing -> {
                                                    long fee = fee(amountMinor, listing, invoice.currency);
                                                    return note.persist()
                                                            .chain(() -> ledger.book(
                                                                    invoice.currency,
                                                                    "credit note " + note.id,
                                                                    invoice.month,
                                                                    now,
                                                                    List.of(
                                                                            new Movement(
                                                                                    "payable:" + line.vendor,
                                                                                    "receivable:" + invoice.buyer,
                                                                                    amountMinor - fee),
                                                                            new Movement(
                                                                                    "fees:" + line.vendor,
                                                                                    "receivable:" + invoice.buyer,
                                                                                    fee))));
                                                })
                                                .chain(() -> load(invoice));
                                    });
                        })));
    }

    /** One invoice: its buyer or an admin (404 for anyone else). */
    public Uni<Issued> find(Caller caller, UUID id) {
        return Panache.withSession(() -> Invoice.<Invoice>findById(id).chain(invoice -> {
            if (invoice == null || !(caller.isAdmin() || caller.subject().equals(invoice.buyer))) {
                return Uni.createFrom().failure(notFound(id));
            }
            return load(invoice);
        }));
    }

    /** The caller's invoices (admins: any buyer's, or all). */
    public Uni<List<Invoice>> list(Caller caller, String buyer) {
        String who = caller.isAdmin() ? buyer : caller.subject();
        return Panache.withSession(() -> who == null
                ? Invoice.<Invoice>find("order by issuedAt desc").page(0, 200).list()
                : Invoice.<Invoice>find("buyer = ?1 order by issuedAt desc", who)
                        .page(0, 200)
                        .list());
    }

    private Uni<Issued> load(Invoice invoice) {
        return InvoiceLine.<InvoiceLine>list("invoiceId = ?1 order by position", invoice.id)
                .chain(lines -> CreditNote.<CreditNote>list("invoiceId = ?1 order by createdAt", invoice.id)
                        .map(notes -> new Issued(invoice, lines, notes, payments.instructions(invoice))));
    }

    /** The marketplace fee of an amount: percentage by the listing's price type, rounded once (half-even). */
    long fee(long amountMinor, Listing listing, String currency) {
        String type = listing == null ? "paid" : listing.priceType.name().toLowerCase(java.util.Locale.ROOT);
        BigDecimal percent =
                config.fees().perPriceType().getOrDefault(type, config.fees().defaultPercent());
        return BigDecimal.valueOf(amountMinor)
                .multiply(percent)
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    private static InvoiceLine line(String kind, Listing listing, UUID subscriptionId) {
        InvoiceLine line = new InvoiceLine();
        line.id = UUID.randomUUID();
        line.kind = kind;
        line.listingId = listing.id;
        line.vendor = listing.namespace;
        line.subscriptionId = subscriptionId;
        return line;
    }

    private static boolean inTrial(Subscription subscription, Instant at) {
        return subscription.trialEndsAt != null && at.isBefore(subscription.trialEndsAt);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new ProblemException(StandardProblem.FORBIDDEN, "Only admins record payments and refunds.");
        }
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<UUID> read(String sources) {
        try {
            return List.of(json.readValue(sources, UUID[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(BillingProblem.INVOICE_NOT_FOUND, "No invoice " + id + ".");
    }
}
