package org.modelmarket.billing.pricing.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.listing.Listing;
import org.modelmarket.billing.listing.ListingAccess;
import org.modelmarket.billing.listing.ListingNotFoundException;
import org.modelmarket.billing.listing.PriceType;
import org.modelmarket.billing.pricing.PricingTerms;
import org.modelmarket.billing.pricing.PricingVersion;
import org.modelmarket.billing.problem.BillingProblem;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Pricing versions and private offers. Only the listing's owning vendor (or an admin) writes them; public versions
 * are readable by anyone, an offer only by its buyer, the owning vendor and admins (others get 404: it does not exist
 * for them).
 */
@ApplicationScoped
public class PricingService {

    private final Clock clock;
    private final ObjectMapper json;
    private final java.util.Map<java.util.UUID, PricingTerms> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    private final boolean minutePeriods;

    public PricingService(Clock clock, ObjectMapper json, BillingConfig config) {
        this.clock = clock;
        this.json = json;
        this.minutePeriods = config.pricing().minutePeriods();
    }

    /**
     * The latest date a version or offer may name. A JSON date may lie a billion years ahead, which the database
     * driver cannot bind (a long overflow in {@code Timestamp.from}, a 500 before); no price is set that far ahead.
     */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A pricing version with its terms, as the API shows it. */
    public record Priced(PricingVersion version, Listing listing, PricingTerms terms) {}

    /** Publishes a new public pricing version effective from {@code effectiveFrom} (now when null, never the past). */
    public Uni<Priced> publish(
            Caller caller, String namespace, String name, PricingTerms terms, Instant effectiveFrom) {
        Instant now = clock.instant();
        Instant from = effectiveFrom == null ? now : effectiveFrom;
        if (from.isBefore(now.minusSeconds(60))) {
            throw ProblemException.invalid("effectiveFrom", "must not be in the past");
        }
        if (from.isAfter(LATEST)) {
            throw ProblemException.invalid("effectiveFrom", "must be before the year 10000");
        }
        return Panache.withTransaction(() -> lockedListing(namespace, name).chain(listing -> {
            ListingAccess.requireManager(caller, listing);
            check(listing, terms, "");
            return store(listing, terms, from, null, null, caller.subject(), now);
        }));
    }

    /** A private offer of custom terms to one buyer, open until {@code expiresAt}. */
    public Uni<Priced> offer(
            Caller caller, String listingCoordinates, String buyer, PricingTerms terms, Instant expiresAt) {
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) {
            throw ProblemException.invalid("expiresAt", "must be in the future");
        }
        if (expiresAt.isAfter(LATEST)) {
            throw ProblemException.invalid("expiresAt", "must be before the year 10000");
        }
        String[] parts = listingCoordinates.split("/", 2);
        return Panache.withTransaction(() -> lockedListing(parts[0], parts[1]).chain(listing -> {
            ListingAccess.requireManager(caller, listing);
            check(listing, terms, "terms.");
            return store(listing, terms, now, buyer, expiresAt, caller.subject(), now);
        }));
    }

    /** The public version in force now; 404 when the listing has none yet. */
    public Uni<Priced> current(String namespace, String name) {
        Instant now = clock.instant();
        return Panache.withSession(() -> listing(namespace, name)
                .chain(listing -> PricingVersion.<PricingVersion>find(
                                "listingId = ?1 and offerBuyer is null and effectiveFrom <= ?2 order by version desc",
                                listing.id,
                                now)
                        .firstResult()
                        .map(version -> {
                            if (version == null) {
                                throw new ProblemException(
                                        BillingProblem.PRICING_NOT_FOUND,
                                        "Listing " + listing.coordinates() + " has no pricing in force.");
                            }
                            return priced(version, listing);
                        })));
    }

    /** Every public version, newest first (future ones included). */
    public Uni<List<Priced>> versions(String namespace, String name) {
        return Panache.withSession(() -> listing(namespace, name)
                .chain(listing -> PricingVersion.<PricingVersion>find(
                                "listingId = ?1 and offerBuyer is null order by version desc", listing.id)
                        .list()
                        .map(list -> list.stream().map(v -> priced(v, listing)).toList())));
    }

    /** One offer, if the caller may see it; otherwise 404. */
    public Uni<Priced> findOffer(Caller caller, UUID offerId) {
        return Panache.withSession(() -> PricingVersion.<PricingVersion>findById(offerId)
                .chain(version -> version == null || !version.isOffer()
                        ? Uni.createFrom().failure(offerNotFound(offerId))
                        : Panache.getSession()
                                .chain(s -> s.find(Listing.class, version.listingId))
                                .map(listing -> {
                                    if (listing == null
                                            || !(caller.subject().equals(version.offerBuyer)
                                                    || ListingAccess.manages(caller, listing))) {
                                        throw offerNotFound(offerId);
                                    }
                                    return priced(version, listing);
                                })));
    }

    /** Offers the caller may see: made to them as buyer, or of listings they manage; all for admins. */
    public Uni<List<Priced>> offers(Caller caller) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createQuery(
                                "select p, l from PricingVersion p, Listing l where l.id = p.listingId"
                                        + " and p.offerBuyer is not null order by p.createdAt desc",
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .filter(row -> {
                            PricingVersion version = (PricingVersion) row[0];
                            Listing listing = (Listing) row[1];
                            return caller.subject().equals(version.offerBuyer)
                                    || ListingAccess.manages(caller, listing);
                        })
                        .limit(500)
                        .map(row -> priced((PricingVersion) row[0], (Listing) row[1]))
                        .toList()));
    }

    /** The terms stored in a version. */
    public PricingTerms terms(PricingVersion version) {
        return terms(version.id, version.definition);
    }

    /**
     * The terms of version {@code id} stored as {@code definition}. Versions are immutable, so parsed terms are kept
     * (bounded): the metering path reads them for every batch.
     */
    public PricingTerms terms(java.util.UUID id, String definition) {
        PricingTerms cached = parsed.get(id);
        if (cached != null) {
            return cached;
        }
        try {
            PricingTerms terms = json.readValue(definition, PricingTerms.class);
            if (parsed.size() >= 10_000) {
                parsed.clear();
            }
            parsed.put(id, terms);
            return terms;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable pricing " + id, e);
        }
    }

    Priced priced(PricingVersion version, Listing listing) {
        return new Priced(version, listing, terms(version));
    }

    private Uni<Priced> store(
            Listing listing,
            PricingTerms terms,
            Instant from,
            String buyer,
            Instant expiresAt,
            String createdBy,
            Instant now) {
        return Panache.getSession()
                .chain(session -> session.createQuery(
                                "select coalesce(max(version), 0) from PricingVersion where listingId = ?1",
                                Integer.class)
                        .setParameter(1, listing.id)
                        .getSingleResult())
                .chain(last -> {
                    PricingVersion version = new PricingVersion();
                    version.id = UUID.randomUUID();
                    version.listingId = listing.id;
                    version.version = last + 1;
                    version.effectiveFrom = from;
                    version.currency = terms.currency();
                    try {
                        version.definition = json.writeValueAsString(terms);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    version.offerBuyer = buyer;
                    version.offerExpiresAt = expiresAt;
                    version.createdBy = createdBy;
                    version.createdAt = now;
                    return version.persist().replaceWith(priced(version, listing));
                });
    }

    private void check(Listing listing, PricingTerms terms, String prefix) {
        if (listing.priceType == PriceType.FREE) {
            throw new ProblemException(
                    BillingProblem.LISTING_IS_FREE, "Listing " + listing.coordinates() + " is free in the catalog.");
        }
        List<Problem.FieldError> errors = new java.util.ArrayList<>(terms.check(prefix));
        for (int i = 0; i < terms.plans().size(); i++) {
            if (terms.plans().get(i).period() == PricingTerms.Period.MINUTE && !minutePeriods) {
                errors.add(new Problem.FieldError(prefix + "plans[" + i + "].period", "must be month or year"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The request has invalid fields", errors);
        }
    }

    /** The listing row locked, so that concurrent writers of one listing number their versions one after the other. */
    private static Uni<Listing> lockedListing(String namespace, String name) {
        return Panache.getSession()
                .chain(session -> session.createQuery("from Listing where namespace = ?1 and name = ?2", Listing.class)
                        .setParameter(1, namespace)
                        .setParameter(2, name)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .getSingleResultOrNull())
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name));
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

    private static ProblemException offerNotFound(UUID id) {
        return new ProblemException(BillingProblem.OFFER_NOT_FOUND, "No offer " + id + ".");
    }
}
