package org.modelmarket.billing.metering.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.metering.MeteringRecord;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.PricingVersion;
import org.modelmarket.billing.pricing.service.PricingService;
import org.modelmarket.billing.receipt.service.ReceiptSigner;
import org.modelmarket.billing.subscription.Subscription;
import org.modelmarket.billing.subscription.SubscriptionStatus;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * BatchMeterUsage: a vendor's usage records for its own listing, each answered {@code Success} (with its metering
 * record id and signed receipt), {@code CustomerNotSubscribed}, {@code DuplicateRecord} (same customer, dimension and
 * hour with another quantity) or {@code TimestampOutOfBounds} (older than the window, or in the future). An identical
 * retry returns the same record id. Idempotence rests on the table's unique key, so concurrent submissions of the
 * same record (even from several replicas) store it once. A batch that fails for a transient reason (the database) is
 * returned whole as unprocessed: nothing of it is stored, the vendor retries it.
 */
@ApplicationScoped
public class MeteringService {

    private static final Logger LOG = Logger.getLogger(MeteringService.class);

    public static final String SUCCESS = "Success";
    public static final String NOT_SUBSCRIBED = "CustomerNotSubscribed";
    public static final String DUPLICATE = "DuplicateRecord";
    public static final String OUT_OF_BOUNDS = "TimestampOutOfBounds";

    private static final String INSERT = "insert into metering_record (record_id, listing_id, customer, dimension,"
            + " idempotency_key, quantity, usage_at, allocations, source, subscription_id, recorded_at, receipt,"
            + " signature, key_id) values (:id, :listing, :customer, :dimension, :key, :quantity, :usageAt,"
            + " :allocations, :source, :subscription, :recordedAt, :receipt, :signature, :keyId)"
            + " on conflict (listing_id, customer, dimension, idempotency_key) do nothing";

    /** One usage record as reported. */
    public record Usage(String customer, String dimension, long quantity, Instant timestamp, String allocations) {}

    /** The outcome of one record. */
    public record Outcome(Usage usage, String status, UUID meteringRecordId) {}

    /** The outcome of a call: per-record results, and the records to retry. */
    public record BatchOutcome(List<Outcome> results, List<Usage> unprocessed) {}

    private final Clock clock;
    private final Duration window;
    private final PricingService pricing;
    private final ReceiptSigner signer;

    public MeteringService(Clock clock, BillingConfig config, PricingService pricing, ReceiptSigner signer) {
        this.clock = clock;
        this.window = config.metering().window();
        this.pricing = pricing;
        this.signer = signer;
    }

    public Uni<BatchOutcome> meter(Caller caller, String namespace, String name, List<Usage> records) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> listing(namespace, name).chain(listing -> {
                    ListingAccess.requireManager(caller, listing);
                    Set<String> customers =
                            records.stream().map(Usage::customer).collect(Collectors.toSet());
                    return live(listing.id, customers).chain(subscriptions -> {
                        checkDimensions(records, subscriptions);
                        // Insert in one order (customer, dimension, hour) so that concurrent batches holding
                        // the same keys wait for each other instead of deadlocking.
                        List<Integer> order = IntStream.range(0, records.size())
                                .boxed()
                                .sorted(Comparator.comparing(
                                                (Integer i) -> records.get(i).customer())
                                        .thenComparing(i -> records.get(i).dimension())
                                        .thenComparing(i -> records.get(i).timestamp()))
                                .toList();
                        Map<Integer, Outcome> outcomes = new HashMap<>();
                        return Multi.createFrom()
                                .iterable(order)
                                .onItem()
                                .transformToUniAndConcatenate(i -> one(listing, records.get(i), subscriptions, now)
                                        .invoke(outcome -> outcomes.put(i, outcome)))
                                .collect()
                                .asList()
                                .map(ignored -> new BatchOutcome(
                                        IntStream.range(0, records.size())
                                                .mapToObj(outcomes::get)
                                                .toList(),
                                        List.of()));
                    });
                }))
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
     * Meters one download of the {@code downloads} dimension (idempotent by download id); false when the subject has
     * no subscription metering downloads. Runs in the caller's transaction.
     */
    public Uni<Boolean> meterDownload(UUID listingId, String subject, UUID downloadId, Instant downloadedAt) {
        return Panache.getSession()
                .chain(session -> session.find(Listing.class, listingId))
                .chain(listing -> {
                    if (listing == null) {
                        return Uni.createFrom().item(false);
                    }
                    return live(listingId, Set.of(subject)).chain(subscriptions -> {
                        Subscribed subscribed = subscriptions.get(subject);
                        if (subscribed == null
                                || subscribed.terms().dimension("downloads").isEmpty()) {
                            return Uni.createFrom().item(false);
                        }
                        Usage usage = new Usage(subject, "downloads", 1, downloadedAt, null);
                        return insert(
                                        listing,
                                        usage,
                                        subscribed.subscription(),
                                        "download:" + downloadId,
                                        "download",
                                        clock.instant())
                                .replaceWith(true);
                    });
                });
    }

    private Uni<Outcome> one(Listing listing, Usage usage, Map<String, Subscribed> subscriptions, Instant now) {
        if (usage.timestamp().isAfter(now) || usage.timestamp().isBefore(now.minus(window))) {
            return Uni.createFrom().item(new Outcome(usage, OUT_OF_BOUNDS, null));
        }
        Subscribed subscribed = subscriptions.get(usage.customer());
        if (subscribed == null) {
            return Uni.createFrom().item(new Outcome(usage, NOT_SUBSCRIBED, null));
        }
        String hour = usage.timestamp().truncatedTo(ChronoUnit.HOURS).toString();
        return insert(listing, usage, subscribed.subscription(), hour, "api", now)
                .chain(inserted -> {
                    if (inserted != null) {
                        return Uni.createFrom().item(new Outcome(usage, SUCCESS, inserted));
                    }
                    return MeteringRecord.<MeteringRecord>find(
                                    "listingId = ?1 and customer = ?2 and dimension = ?3 and idempotencyKey = ?4",
                                    listing.id,
                                    usage.customer(),
                                    usage.dimension(),
                                    hour)
                            .firstResult()
                            .map(existing -> existing.quantity == usage.quantity()
                                    ? new Outcome(usage, SUCCESS, existing.id)
                                    : new Outcome(usage, DUPLICATE, null));
                });
    }

    /** Inserts the record with its receipt unless its key exists; the new id, or null when it existed. */
    private Uni<UUID> insert(
            Listing listing, Usage usage, Subscription subscription, String key, String source, Instant now) {
        UUID id = UUID.randomUUID();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("meteringRecordId", id.toString());
        fields.put("listing", listing.coordinates());
        fields.put("listingId", listing.id.toString());
        fields.put("customerIdentifier", usage.customer());
        fields.put("dimension", usage.dimension());
        fields.put("quantity", usage.quantity());
        fields.put("timestamp", usage.timestamp().toString());
        fields.put("recordedAt", now.toString());
        fields.put("issuer", "modelmarket");
        return signer.sign(fields)
                .chain(receipt -> Panache.getSession()
                        .chain(session -> session.createNativeQuery(INSERT)
                                .setParameter("id", id)
                                .setParameter("listing", listing.id)
                                .setParameter("customer", usage.customer())
                                .setParameter("dimension", usage.dimension())
                                .setParameter("key", key)
                                .setParameter("quantity", usage.quantity())
                                .setParameter("usageAt", usage.timestamp())
                                .setParameter("allocations", usage.allocations())
                                .setParameter("source", source)
                                .setParameter("subscription", subscription.id)
                                .setParameter("recordedAt", now)
                                .setParameter("receipt", receipt.payload())
                                .setParameter("signature", receipt.signature())
                                .setParameter("keyId", receipt.keyId())
                                .executeUpdate()))
                .map(count -> count > 0 ? id : null);
    }

    private record Subscribed(Subscription subscription, PricingTerms terms) {}

    /** The meterable subscriptions of these customers to the listing, with their terms, by customer. */
    private Uni<Map<String, Subscribed>> live(UUID listingId, Set<String> customers) {
        return Subscription.<Subscription>find(
                        "listingId = ?1 and buyer in ?2 and status not in ?3",
                        listingId,
                        customers,
                        List.of(SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED))
                .list()
                .chain(list -> Multi.createFrom()
                        .iterable(list)
                        .onItem()
                        .transformToUniAndConcatenate(s -> PricingVersion.<PricingVersion>findById(s.pricingId)
                                .map(v -> new Subscribed(s, pricing.terms(v))))
                        .collect()
                        .asMap(subscribed -> subscribed.subscription().buyer));
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

    private static Uni<Listing> listing(String namespace, String name) {
        return Panache.getSession()
                .chain(session -> session.createQuery("from Listing where namespace = ?1 and name = ?2", Listing.class)
                        .setParameter(1, namespace)
                        .setParameter(2, name)
                        .getSingleResultOrNull())
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name));
    }
}
