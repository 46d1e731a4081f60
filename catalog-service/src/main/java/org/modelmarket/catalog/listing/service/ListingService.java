package org.modelmarket.catalog.listing.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Caller;
import org.modelmarket.catalog.common.Roles;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.NamespaceOwner;
import org.modelmarket.catalog.listing.Visibility;
import org.modelmarket.catalog.listing.event.ListingChanged;
import org.modelmarket.catalog.listing.mapping.ListingMapper;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.repository.NamespaceOwnerRepository;
import org.modelmarket.catalog.outbox.OutboxRelay;
import org.modelmarket.catalog.outbox.OutboxWriter;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Business rules of listings: namespace ownership, uniqueness, visibility; every change emits ListingChanged. */
@ApplicationScoped
public class ListingService {

    private final ListingRepository listings;
    private final NamespaceOwnerRepository namespaceOwners;
    private final ListingMapper mapper;
    private final OutboxWriter outbox;
    private final OutboxRelay relay;

    public ListingService(ListingRepository listings, NamespaceOwnerRepository namespaceOwners, ListingMapper mapper,
            OutboxWriter outbox, OutboxRelay relay) {
        this.listings = listings;
        this.namespaceOwners = namespaceOwners;
        this.mapper = mapper;
        this.outbox = outbox;
        this.relay = relay;
    }

    /**
     * Creates a published listing owned by the caller, claiming the namespace if it is new; the listing row and
     * its ListingChanged outbox row commit together.
     * <p>
     * The transaction is demarcated with {@code Panache.withTransaction} rather than {@code @WithTransaction}
     * because the relay must be woken strictly after the commit, which an interceptor on this method would not
     * allow (the wake-up would run inside the transaction).
     *
     * @throws NamespaceOwnedByOtherException if another subject owns the namespace
     * @throws ListingAlreadyExistsException if {@code namespace/name} is taken
     */
    public Uni<Listing> create(ListingDraft draft, Caller caller) {
        return Panache.withTransaction(() -> claimNamespace(draft.namespace(), caller)
                .chain(() -> listings.existsByCoordinates(draft.namespace(), draft.name()))
                .chain(exists -> exists
                        ? Uni.createFrom().failure(
                                new ListingAlreadyExistsException(draft.namespace() + "/" + draft.name()))
                        : insert(draft, caller)))
                .invoke(relay::wakeUp);
    }

    /**
     * The listing {@code namespace/name} as {@code caller} may see it: private listings only to their owners and
     * admins, and to everyone else as if absent.
     *
     * @throws ListingNotFoundException if there is no such listing for this caller
     */
    @WithSession
    public Uni<Listing> get(String namespace, String name, Caller caller) {
        return listings.findByCoordinates(namespace, name)
                .map(listing -> {
                    if (listing == null || !maySee(listing, caller)) {
                        throw new ListingNotFoundException(namespace + "/" + name);
                    }
                    return listing;
                });
    }

    private static boolean maySee(Listing listing, Caller caller) {
        return listing.visibility != Visibility.PRIVATE
                || listing.isOwnedBy(caller.subject())
                || caller.hasRole(Roles.ADMIN);
    }

    private Uni<Void> claimNamespace(String namespace, Caller caller) {
        return namespaceOwners.findById(namespace).chain(claim -> {
            if (claim == null) {
                // A concurrent first claim fails at commit on the primary key (mapped to 409, retry-safe).
                return namespaceOwners.persist(new NamespaceOwner(namespace, caller.subject(), now()))
                        .replaceWithVoid();
            }
            if (!claim.owner.equals(caller.subject())) {
                return Uni.createFrom().failure(new NamespaceOwnedByOtherException(namespace));
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Listing> insert(ListingDraft draft, Caller caller) {
        Listing listing = mapper.toEntity(draft, caller.subject(), now());
        return listings.persist(listing)
                .call(saved -> outbox.append(ListingChanged.TOPIC, ListingChanged.AGGREGATE_TYPE,
                        saved.id.toString(), saved.version, ListingChanged.TYPE, saved.updatedAt,
                        mapper.toEvent(saved)));
    }

    /** PostgreSQL keeps microseconds: truncate so that what we return equals what we later read back. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
