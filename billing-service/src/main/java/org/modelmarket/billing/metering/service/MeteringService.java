package org.modelmarket.billing.metering.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.billing.receipt.service.ReceiptSigner;
import org.modelmarket.billing.receipt.service.ReceiptSigner.SignedReceipt;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * BatchMeterUsage: a vendor's usage records for its own listing, each answered {@code Success} (with its metering
 * record id and signed receipt), {@code CustomerNotSubscribed}, {@code DuplicateRecord} (same customer, dimension and
 * hour with another quantity) or {@code TimestampOutOfBounds} (older than the window, or in the future). An identical
 * retry returns the same record id. Idempotence rests on the table's unique key, so concurrent submissions of the
 * same record (even from several replicas) store it once. A batch that fails for a transient reason (the database) is
 * returned whole as unprocessed (retrying it is safe: an identical retry is idempotent).
 *
 * <p>A call costs a fixed number of round trips whatever its size: one select for the listing and the customers'
 * live subscriptions with their pricing, one multi-row insert ({@code unnest}, {@code on conflict do nothing}) that
 * also returns the records that existed before, and only if concurrent calls raced on the same keys, one select for
 * those. Receipts are signed once per call (a Merkle tree, {@link ReceiptSigner#signAll}) on a worker thread. It uses
 * the reactive SQL client directly: each statement is atomic on its own, so no session or transaction is held.
 */
@ApplicationScoped
public class MeteringService {

    private static final Logger LOG = Logger.getLogger(MeteringService.class);

    public static final String SUCCESS = "Success";
    public static final String NOT_SUBSCRIBED = "CustomerNotSubscribed";
    public static final String DUPLICATE = "DuplicateRecord";
    public static final String OUT_OF_BOUNDS = "TimestampOutOfBounds";

    /**
     * The pricing definition (a few kB of JSON) comes once per distinct version, not on every subscription row: a
     * batch's customers mostly share one version, whose parsed terms {@link PricingService#terms} keeps anyway.
     */
    private static final String SUBSCRIPTIONS = "select l.listing_id, l.namespace, l.name, l.owners,"
            + " s.subscription_id, s.buyer, s.pricing_id,"
            + " case when row_number() over (partition by s.pricing_id) = 1 then p.definition end as definition"
            + " from listing l"
            + " left join subscription s on s.listing_id = l.listing_id and s.buyer = any($3)"
            + " and s.status not in ('CANCELLED', 'EXPIRED')"
            + " left join pricing_version p on p.pricing_id = s.pricing_id";

    private static final String BY_COORDINATES = SUBSCRIPTIONS + " where l.namespace = $1 and l.name = $2";

    private static final String BY_ID = SUBSCRIPTIONS + " where l.listing_id = $1 and $2::text is null";

    /**
     * Inserts the batch in its given order (sorted by key by the caller, so that concurrent batches holding the same
     * keys wait for each other instead of deadlocking), and answers per input row whether it was inserted and, if its
     * key existed before the statement began, that record. The usage is priced with the subscription's version in
     * force when it happened.
     */
    private static final String INSERT = "with r as (select * from unnest($2::uuid[], $3::text[], $4::text[],"
            + " $5::text[], $6::int8[], $7::timestamptz[], $8::text[], $9::uuid[], $10::uuid[], $11::text[],"
            + " $12::text[]) with ordinality as r(id, customer, dimension, key, quantity, usage_at, allocations,"
            + " subscription, pricing, receipt, proof, ord)),"
            + " ins as (insert into metering_record (record_id, listing_id, customer, dimension, idempotency_key,"
            + " quantity, usage_at, allocations, source, subscription_id, pricing_id, recorded_at, receipt,"
            + " signature, key_id, receipt_signed, receipt_proof)"
            + " select r.id, $1, r.customer, r.dimension, r.key, r.quantity, r.usage_at, r.allocations, $13,"
            + " r.subscription, coalesce((select sp.pricing_id from subscription_pricing sp"
            + " where sp.subscription_id = r.subscription and sp.effective_from <= r.usage_at"
            + " order by sp.effective_from desc limit 1), r.pricing),"
            + " $14, r.receipt, $15, $16, $17, r.proof from r order by r.ord"
            + " on conflict (listing_id, customer, dimension, idempotency_key) do nothing returning record_id)"
            + " select r.ord, exists (select 1 from ins where ins.record_id = r.id) as inserted,"
            + " m.record_id as existing_id, m.quantity as existing_quantity from r"
            + " left join metering_record m on m.listing_id = $1 and m.customer = r.customer"
            + " and m.dimension = r.dimension and m.idempotency_key = r.key order by r.ord";

    /** Records whose key another call inserted while this one's insert ran (invisible to its snapshot). */
    private static final String EXISTING = "select k.ord, m.record_id, m.quantity from unnest($2::text[], $3::text[],"
            + " $4::text[]) with ordinality as k(customer, dimension, key, ord)"
            + " join metering_record m on m.listing_id = $1 and m.customer = k.customer"
            + " and m.dimension = k.dimension and m.idempotency_key = k.key";

    /** One usage record as reported. */
    public record Usage(String customer, String dimension, long quantity, Instant timestamp, String allocations) {}

    /** The outcome of one record. */
    public record Outcome(Usage usage, String status, UUID meteringRecordId) {}

    /** The outcome of a call: per-record results, and the records to retry. */
    public record BatchOutcome(List<Outcome> results, List<Usage> unprocessed) {}

    /** The outcome of one download event. */
    public enum DownloadOutcome {
        METERED,
        NOT_METERED,
        OUT_OF_BOUNDS
    }

    private record Subscribed(UUID subscriptionId, UUID pricingId, PricingTerms terms) {}

    private record Lookup(Listing listing, Map<String, Subscribed> subscriptions) {}

    /** A record about to be inserted: its index in the call, its proposed id and key. */
    private record Candidate(int index, Usage usage, UUID id, String key, Subscribed subscribed) {}

    private final Clock clock;
    private final Duration window;
    private final PricingService pricing;
    private final ReceiptSigner signer;
    private final Pool pool;

    public MeteringService(Clock clock, BillingConfig config, PricingService pricing, ReceiptSigner signer, Pool pool) {
        this.clock = clock;
        this.window = config.metering().window();
        this.pricing = pricing;
        this.signer = signer;
        this.pool = pool;
    }

    public Uni<BatchOutcome> meter(Caller caller, String namespace, String name, List<Usage> records) {
        Instant now = clock.instant();
        Set<String> customers = records.stream().map(Usage::customer).collect(Collectors.toSet());
        return lookup(BY_COORDINATES, namespace, name, customers)
                .chain(lookup -> {
                    if (lookup.listing() == null) {
                        throw new ListingNotFoundException(namespace, name);
                    }
                    ListingAccess.requireManager(caller, lookup.listing());
                    checkDimensions(records, lookup.subscriptions());
                    Outcome[] outcomes = new Outcome[records.size()];
                    List<Candidate> candidates = new ArrayList<>();
                    for (int i = 0; i < records.size(); i++) {
                        Usage usage = records.get(i);
                        Subscribed subscribed = lookup.subscriptions().get(usage.customer());
                        if (outOfBounds(usage.timestamp(), now)) {
                            outcomes[i] = new Outcome(usage, OUT_OF_BOUNDS, null);
                        } else if (subscribed == null) {
                            outcomes[i] = new Outcome(usage, NOT_SUBSCRIBED, null);
                        } else {
                            String hour = usage.timestamp()
                                    .truncatedTo(ChronoUnit.HOURS)
                                    .toString();
                            candidates.add(new Candidate(i, usage, UUID.randomUUID(), hour, subscribed));
                        }
                    }
                    // One key order for every call, so that concurrent calls never wait on each other in a cycle.
                    candidates.sort(
                            Comparator.comparing((Candidate c) -> c.usage().customer())
                                    .thenComparing(c -> c.usage().dimension())
                                    .thenComparing(Candidate::key)
                                    .thenComparingInt(Candidate::index));
                    return insert(lookup.listing(), candidates, "api", now).map(ids -> {
                        for (int c = 0; c < candidates.size(); c++) {
                            Candidate candidate = candidates.get(c);
                            Existing existing = ids.get(c);
                            outcomes[candidate.index()] = existing.id() == null
                                    ? new Outcome(candidate.usage(), DUPLICATE, null)
                                    : new Outcome(candidate.usage(), SUCCESS, existing.id());
                        }
                        return new BatchOutcome(List.of(outcomes), List.of());
                    });
                })
                .onFailure(failure -> !(failure instanceof ProblemException))
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            failure,
                            "Metering batch of %d records for %s/%s not processed",
                            records.size(),
                            namespace,
                            name);
                    return new BatchOutcome(List.of(), records);
                });
    }

    /**
     * Meters one download of the {@code downloads} dimension, idempotent by download id, within the same time window
     * as BatchMeterUsage (a download older than the window or in the future is refused, like a late record).
     */
    public Uni<DownloadOutcome> meterDownload(UUID listingId, String subject, UUID downloadId, Instant downloadedAt) {
        Instant now = clock.instant();
        if (outOfBounds(downloadedAt, now)) {
            return Uni.createFrom().item(DownloadOutcome.OUT_OF_BOUNDS);
        }
        return lookup(BY_ID, listingId, null, Set.of(subject)).chain(lookup -> {
            Subscribed subscribed = lookup.subscriptions().get(subject);
            if (lookup.listing() == null
                    || subscribed == null
                    || subscribed.terms().dimension("downloads").isEmpty()) {
                return Uni.createFrom().item(DownloadOutcome.NOT_METERED);
            }
            Usage usage = new Usage(subject, "downloads", 1, downloadedAt, null);
            Candidate candidate = new Candidate(0, usage, UUID.randomUUID(), "download:" + downloadId, subscribed);
            // A redelivery finds its record (same download id, same quantity 1): metered once either way.
            return insert(lookup.listing(), List.of(candidate), "download", now).replaceWith(DownloadOutcome.METERED);
        });
    }

    private boolean outOfBounds(Instant timestamp, Instant now) {
        return timestamp.isAfter(now) || timestamp.isBefore(now.minus(window));
    }

    /** The listing (null if unknown) and the live subscriptions of these customers to it, with their terms. */
    private Uni<Lookup> lookup(String sql, Object first, String second, Set<String> customers) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(first, second, customers.toArray(String[]::new)))
                .map(rows -> {
                    Listing listing = null;
                    Map<UUID, String> definitions = new HashMap<>();
                    for (Row row : rows) {
                        String definition = row.getString("definition");
                        if (definition != null) {
                            definitions.put(row.getUUID("pricing_id"), definition);
                        }
                    }
                    Map<String, Subscribed> subscriptions = new HashMap<>();
                    for (Row row : rows) {
                        if (listing == null) {
                            listing = new Listing();
                            listing.id = row.getUUID("listing_id");
                            listing.namespace = row.getString("namespace");
                            listing.name = row.getString("name");
                            String[] owners = row.getArrayOfStrings("owners");
                            listing.owners = owners == null ? new String[0] : owners;
                        }
                        UUID subscriptionId = row.getUUID("subscription_id");
                        if (subscriptionId != null) {
                            UUID pricingId = row.getUUID("pricing_id");
                            subscriptions.put(
                                    row.getString("buyer"),
                                    new Subscribed(
                                            subscriptionId,
                                            pricingId,
                                            pricing.terms(pricingId, definitions.get(pricingId))));
                        }
                    }
                    return new Lookup(listing, subscriptions);
                });
    }

    /** A record as stored for a candidate: its id, or a null id when its key holds another quantity. */
    private record Existing(UUID id) {}

    /**
     * Signs and inserts the candidates (in their order) in one statement; per candidate, the record now stored under
     * its key if it has the same quantity (inserted now, or earlier: an identical retry), else a null id.
     */
    private Uni<List<Existing>> insert(Listing listing, List<Candidate> candidates, String source, Instant now) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Map<String, Object>> claims = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("meteringRecordId", candidate.id().toString());
            fields.put("listing", listing.coordinates());
            fields.put("listingId", listing.id.toString());
            fields.put("customerIdentifier", candidate.usage().customer());
            fields.put("dimension", candidate.usage().dimension());
            fields.put("quantity", candidate.usage().quantity());
            fields.put("timestamp", candidate.usage().timestamp().toString());
            fields.put("recordedAt", now.toString());
            fields.put("issuer", "modelmarket");
            claims.add(fields);
        }
        return signer.signAll(claims, now).chain(receipts -> {
            int n = candidates.size();
            UUID[] ids = new UUID[n];
            String[] customers = new String[n];
            String[] dimensions = new String[n];
            String[] keys = new String[n];
            Long[] quantities = new Long[n];
            OffsetDateTime[] usageAt = new OffsetDateTime[n];
            String[] allocations = new String[n];
            UUID[] subscriptions = new UUID[n];
            UUID[] pricings = new UUID[n];
            String[] payloads = new String[n];
            String[] proofs = new String[n];
            for (int i = 0; i < n; i++) {
                Candidate c = candidates.get(i);
                ids[i] = c.id();
                customers[i] = c.usage().customer();
                dimensions[i] = c.usage().dimension();
                keys[i] = c.key();
                quantities[i] = c.usage().quantity();
                usageAt[i] = c.usage().timestamp().atOffset(ZoneOffset.UTC);
                allocations[i] = c.usage().allocations();
                subscriptions[i] = c.subscribed().subscriptionId();
                pricings[i] = c.subscribed().pricingId();
                payloads[i] = receipts.get(i).payload();
                proofs[i] = receipts.get(i).proof();
            }
            SignedReceipt batch = receipts.get(0);
            Tuple parameters = Tuple.tuple(List.of(
                    listing.id,
                    ids,
                    customers,
                    dimensions,
                    keys,
                    quantities,
                    usageAt,
                    allocations,
                    subscriptions,
                    pricings,
                    payloads,
                    proofs,
                    source,
                    now.atOffset(ZoneOffset.UTC),
                    batch.signature(),
                    batch.keyId(),
                    batch.signed()));
            return pool.preparedQuery(INSERT).execute(parameters).chain(rows -> {
                Existing[] result = new Existing[n];
                List<Integer> raced = new ArrayList<>();
                for (Row row : rows) {
                    int i = (int) (row.getLong("ord") - 1);
                    long quantity = candidates.get(i).usage().quantity();
                    if (row.getBoolean("inserted")) {
                        result[i] = new Existing(ids[i]);
                    } else if (row.getUUID("existing_id") != null) {
                        result[i] = new Existing(
                                row.getLong("existing_quantity") == quantity ? row.getUUID("existing_id") : null);
                    } else {
                        raced.add(i);
                    }
                }
                if (raced.isEmpty()) {
                    return Uni.createFrom().item(List.of(result));
                }
                return existing(listing.id, raced.stream().map(candidates::get).toList())
                        .map(found -> {
                            for (int r = 0; r < raced.size(); r++) {
                                int i = raced.get(r);
                                Row row = found.get(r);
                                if (row == null) {
                                    throw new IllegalStateException("Metering record " + keys[i] + " of " + customers[i]
                                            + " neither inserted nor found");
                                }
                                result[i] = new Existing(
                                        row.getLong("quantity") == quantities[i] ? row.getUUID("record_id") : null);
                            }
                            return List.of(result);
                        });
            });
        });
    }

    /** The stored records under these candidates' keys, in their order (null where none). */
    private Uni<List<Row>> existing(UUID listingId, List<Candidate> candidates) {
        return pool.preparedQuery(EXISTING)
                .execute(Tuple.of(
                        listingId,
                        candidates.stream().map(c -> c.usage().customer()).toArray(String[]::new),
                        candidates.stream().map(c -> c.usage().dimension()).toArray(String[]::new),
                        candidates.stream().map(Candidate::key).toArray(String[]::new)))
                .map(rows -> {
                    Row[] found = new Row[candidates.size()];
                    for (Row row : rows) {
                        found[(int) (row.getLong("ord") - 1)] = row;
                    }
                    return java.util.Arrays.asList(found);
                });
    }

    /** A dimension the customer's terms do not price is the vendor's mistake: the whole call is refused, nothing stored. */
    private static void checkDimensions(List<Usage> records, Map<String, Subscribed> subscriptions) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Subscribed subscribed = subscriptions.get(records.get(i).customer());
            if (subscribed != null
                    && subscribed.terms().dimension(records.get(i).dimension()).isEmpty()) {
                errors.add(new Problem.FieldError(
                        "usageRecords[" + i + "].dimension", "is not a dimension of the customer's pricing"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The request has invalid fields", errors);
        }
    }
}
