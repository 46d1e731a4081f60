package org.modelmarket.catalog.listing.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.GateAcceptance;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.event.DomainEvent;
import org.modelmarket.catalog.listing.repository.GateAcceptanceRepository;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Gated access: a buyer accepts a gated listing's current terms; the acceptance is recorded per user (with the
 * terms' hash) and queryable by the user and by the vendor's members and admins (for artifact-service, billing or
 * the vendor's own audit). Terms changed after an acceptance make it stale: {@code accepted} is then false. Each new
 * acceptance publishes {@code TermsAccepted} (termsVersion = the terms' sha256) on {@code catalog.events}, which
 * artifact-service's download gate consumes.
 */
@ApplicationScoped
public class GateService {

    /** The caller's acceptance state. */
    public record Acceptance(
            String listing, String subject, boolean accepted, String termsSha256, Instant acceptedAt) {}

    private final ListingService listings;
    private final GateAcceptanceRepository acceptances;
    private final ListingEvents events;

    public GateService(ListingService listings, GateAcceptanceRepository acceptances, ListingEvents events) {
        this.listings = listings;
        this.acceptances = acceptances;
        this.events = events;
    }

    public Uni<Acceptance> accept(String namespace, String name, Caller caller) {
        return Panache.withTransaction(() -> listings.load(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = gated(loaded.listing());
                    String hash = sha256(listing.gateTerms);
                    return acceptances.find(listing.id, caller.subject()).chain(existing -> {
                        GateAcceptance row = existing;
                        if (row == null) {
                            row = new GateAcceptance();
                            row.listingId = listing.id;
                            row.subject = caller.subject();
                        }
                        boolean changed = !hash.equals(row.termsSha256);
                        if (changed) {
                            row.termsSha256 = hash;
                            row.acceptedAt = Clock.now();
                        }
                        GateAcceptance saved = row;
                        return (existing == null
                                        ? acceptances.persist(row)
                                        : Uni.createFrom().item(row))
                                // A new acceptance (or of new terms) is published for artifact-service's gate.
                                .call(ignored -> changed
                                        ? events.domainOnly(listing, revision -> List.of(new ListingEvents.Named(
                                                DomainEvent.TERMS_ACCEPTED,
                                                DomainEvent.of(
                                                                listing.id,
                                                                listing.coordinates(),
                                                                revision,
                                                                caller.subject())
                                                        .termsAccepted(caller.subject(), hash, saved.acceptedAt))))
                                        : Uni.createFrom().voidItem())
                                .map(ignored -> new Acceptance(
                                        listing.coordinates(),
                                        caller.subject(),
                                        true,
                                        saved.termsSha256,
                                        saved.acceptedAt));
                    });
                }));
    }

    public Uni<Acceptance> mine(String namespace, String name, Caller caller) {
        return Panache.withSession(() -> listings.load(namespace, name, caller).chain(loaded -> {
            Listing listing = gated(loaded.listing());
            return acceptances
                    .find(listing.id, caller.subject())
                    .map(row -> row == null
                            ? new Acceptance(listing.coordinates(), caller.subject(), false, null, null)
                            : new Acceptance(
                                    listing.coordinates(),
                                    caller.subject(),
                                    row.termsSha256.equals(sha256(listing.gateTerms)),
                                    row.termsSha256,
                                    row.acceptedAt));
        }));
    }

    public Uni<PageResult<Acceptance>> all(String namespace, String name, int page, int size, Caller caller) {
        return Panache.withSession(() -> listings.load(namespace, name, caller).chain(loaded -> {
            if (!caller.hasRole(Roles.ADMIN)) {
                ListingService.requireMember(loaded.vendor(), caller);
            }
            Listing listing = loaded.listing();
            String current = listing.gateTerms == null ? "" : sha256(listing.gateTerms);
            return acceptances
                    .page(listing.id, page, size)
                    .map(result -> result.map(row -> new Acceptance(
                            listing.coordinates(),
                            row.subject,
                            row.termsSha256.equals(current),
                            row.termsSha256,
                            row.acceptedAt)));
        }));
    }

    private static Listing gated(Listing listing) {
        if (!listing.gated) {
            throw new ProblemException(CatalogProblem.CONFLICT, "Listing " + listing.coordinates() + " is not gated");
        }
        return listing;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
