package org.modelmarket.catalog.listing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.common.Preconditions;
import org.modelmarket.catalog.listing.Listing;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.ListingRequest;
import org.modelmarket.catalog.listing.ListingStats;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.ListingTransition;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.Visibility;
import org.modelmarket.catalog.listing.event.DomainEvent;
import org.modelmarket.catalog.listing.mapping.ListingMapper;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.repository.ListingStatsRepository;
import org.modelmarket.catalog.listing.repository.ListingTransitionRepository;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.catalog.vendor.Vendor;
import org.modelmarket.catalog.vendor.repository.VendorRepository;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Business rules of listings: who may create and edit them (the owning vendor's members), the lifecycle with review
 * (only admins approve or reject; verified vendors skip review), visibility, optimistic concurrency, history. Every
 * change writes its events to the outbox in the same transaction (see {@link ListingEvents}); the outbox table's
 * trigger wakes the relay when that transaction commits.
 */
@ApplicationScoped
public class ListingService {

    /** A listing with what its view needs. */
    public record Loaded(Listing listing, Vendor vendor) {}

    private final ListingRepository listings;
    private final ListingStatsRepository stats;
    private final ListingTransitionRepository transitions;
    private final VendorRepository vendors;
    private final ListingMapper mapper;
    private final ListingEvents events;

    public ListingService(
            ListingRepository listings,
            ListingStatsRepository stats,
            ListingTransitionRepository transitions,
            VendorRepository vendors,
            ListingMapper mapper,
            ListingEvents events) {
        this.listings = listings;
        this.stats = stats;
        this.transitions = transitions;
        this.vendors = vendors;
        this.mapper = mapper;
        this.events = events;
    }

    /**
     * Creates a listing in the caller's vendor namespace. An unclaimed namespace is claimed for the caller (a new,
     * unverified vendor) if the caller holds the {@code vendor} role; an existing one requires membership. The
     * listing starts as a draft, except for verified vendors, whose listings are published at once (review
     * waived) unless {@code draft} is true.
     */
    public Uni<ListingView> create(ListingRequest request, Caller caller) {
        ListingValidator.validate(request, true);
        return Panache.withTransaction(() -> vendors.findForUpdate(request.namespace())
                .chain(vendor -> vendor == null ? claim(request.namespace(), caller) : member(vendor, caller))
                .chain(vendor -> listings.existsByCoordinates(request.namespace(), request.name())
                        .chain(exists -> {
                            if (exists) {
                                throw new ProblemException(
                                        CatalogProblem.LISTING_EXISTS,
                                        "Listing " + request.namespace() + "/" + request.name() + " already exists");
                            }
                            return insert(request, vendor, caller);
                        })));
    }

    private Uni<Vendor> claim(String namespace, Caller caller) {
        if (!caller.hasRole(Roles.VENDOR)) {
            throw new ProblemException(
                    CatalogProblem.FORBIDDEN,
                    "Namespace " + namespace
                            + " is unclaimed: create it as a vendor first (POST /api/v1/vendors) or hold the vendor role");
        }
        Instant now = Clock.now();
        Vendor vendor = new Vendor();
        vendor.namespace = namespace;
        vendor.displayName = namespace;
        vendor.members = new ArrayList<>(List.of(caller.subject()));
        vendor.createdAt = now;
        vendor.updatedAt = now;
        // A concurrent first claim fails at commit on the primary key (409, retry-safe).
        return vendors.persist(vendor);
    }

    private static Uni<Vendor> member(Vendor vendor, Caller caller) {
        if (!vendor.hasMember(caller.subject())) {
            throw new ProblemException(
                    CatalogProblem.NAMESPACE_OWNED, "Namespace " + vendor.namespace + " belongs to another vendor");
        }
        return Uni.createFrom().item(vendor);
    }

    private Uni<ListingView> insert(ListingRequest request, Vendor vendor, Caller caller) {
        Instant now = Clock.now();
        Listing listing = new Listing();
        listing.namespace = request.namespace();
        listing.name = request.name();
        mapper.apply(request, listing);
        boolean publish = vendor.verified && !Boolean.TRUE.equals(request.draft());
        listing.status = publish ? ListingStatus.PUBLISHED : ListingStatus.DRAFT;
        listing.publishedAt = publish ? now : null;
        listing.createdAt = now;
        listing.updatedAt = now;
        return listings.persist(listing)
                .call(saved -> transitions.persist(ListingTransition.of(
                        saved.id, "create", null, ListingStatus.DRAFT, caller.subject(), null, now)))
                .call(saved -> publish
                        ? transitions.persist(ListingTransition.of(
                                saved.id,
                                "publish",
                                ListingStatus.DRAFT,
                                ListingStatus.PUBLISHED,
                                caller.subject(),
                                "verified vendor: review waived",
                                now))
                        : Uni.createFrom().voidItem())
                .chain(saved -> events.created(saved, vendor, revision -> {
                    DomainEvent base = DomainEvent.of(saved.id, saved.coordinates(), revision, caller.subject());
                    List<ListingEvents.Named> named = new ArrayList<>();
                    named.add(new ListingEvents.Named(
                            DomainEvent.LISTING_CREATED,
                            base.transition(null, ListingStatus.DRAFT.wire(), null, null)));
                    if (publish) {
                        named.add(new ListingEvents.Named(
                                DomainEvent.LISTING_PUBLISHED,
                                base.transition(
                                        ListingStatus.DRAFT.wire(),
                                        ListingStatus.PUBLISHED.wire(),
                                        "verified vendor: review waived",
                                        null)));
                    }
                    return named;
                }));
    }

    /** The listing {@code namespace/name} as {@code caller} may see it (404 otherwise). */
    public Uni<ListingView> get(String namespace, String name, Caller caller) {
        return Panache.withSession(() -> load(namespace, name, caller).chain(this::view))
                .map(view -> view.forCaller(caller));
    }

    /**
     * The full view (owners included) of the listing {@code namespace/name} if anyone may see it (404 otherwise): what
     * the listing view cache keeps, leaving to each read what its caller is shown ({@link ListingView#forCaller}).
     */
    public Uni<ListingView> getSeenByEveryone(String namespace, String name) {
        return Panache.withSession(() -> load(namespace, name, Caller.ANONYMOUS).chain(this::view));
    }

    /** The listing with id {@code listingId} as {@code caller} may see it (404 otherwise). */
    public Uni<ListingView> get(UUID listingId, Caller caller) {
        return Panache.withSession(() -> listings.findById(listingId)
                        .chain(listing ->
                                listing == null ? notFound(listingId.toString()) : withVendor(listing, caller))
                        .chain(this::view))
                .map(view -> view.forCaller(caller));
    }

    /** Loads a listing the caller may see, with its vendor; 404 for absent and invisible ones alike. */
    public Uni<Loaded> load(String namespace, String name, Caller caller) {
        return listings.findByCoordinates(namespace, name)
                .chain(listing -> listing == null ? notFound(namespace + "/" + name) : withVendor(listing, caller));
    }

    private Uni<Loaded> withVendor(Listing listing, Caller caller) {
        return vendors.findById(listing.namespace).map(vendor -> {
            if (!maySee(listing, vendor, caller)) {
                throw notFoundProblem(listing.coordinates());
            }
            return new Loaded(listing, vendor);
        });
    }

    public Uni<ListingView> view(Loaded loaded) {
        return stats.findById(loaded.listing().id).map(row -> mapper.toView(loaded.listing(), loaded.vendor(), row));
    }

    /** Whether {@code caller} may see the listing: members and admins always, others public statuses only. */
    public static boolean maySee(Listing listing, Vendor vendor, Caller caller) {
        return caller.hasRole(Roles.ADMIN)
                || vendor.hasMember(caller.subject())
                || listing.status.isPublic() && listing.visibility != Visibility.PRIVATE;
    }

    /**
     * Replaces the editable content; {@code ifMatch} must name the current edit version (428 if absent, 412 if
     * stale). The listing row is locked for the check-and-write, so of two edits sent with the same ETag exactly
     * one wins and the other gets 412. Only the owning vendor's members may edit; not while in review or archived.
     */
    public Uni<ListingView> update(
            String namespace, String name, ListingRequest request, String ifMatch, Caller caller) {
        long expected = Preconditions.required(ifMatch);
        ListingValidator.validate(request, false);
        if (request.namespace() != null && !request.namespace().equals(namespace)
                || request.name() != null && !request.name().equals(name)) {
            throw ProblemException.invalid(
                    request.namespace() != null && !request.namespace().equals(namespace) ? "namespace" : "name",
                    "cannot be changed (must match the path)");
        }
        return Panache.withTransaction(() -> lockForWrite(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = loaded.listing();
                    requireMember(loaded.vendor(), caller);
                    Preconditions.check(expected, listing.version);
                    if (!listing.status.isEditable()) {
                        throw new ProblemException(
                                CatalogProblem.INVALID_TRANSITION,
                                "A " + listing.status.wire() + " listing cannot be edited");
                    }
                    mapper.apply(request, listing);
                    listing.updatedAt = Clock.now();
                    return events.changed(
                            listing,
                            loaded.vendor(),
                            revision -> List.of(new ListingEvents.Named(
                                    DomainEvent.LISTING_UPDATED,
                                    DomainEvent.of(listing.id, listing.coordinates(), revision, caller.subject()))));
                }));
    }

    /**
     * Applies a lifecycle action. Who may: submit, withdraw and deprecate = the vendor's members; approve and reject
     * = admins; archive = members or admins. Forbidden transitions are 409 invalid-transition. {@code ifMatch} is
     * optional here (412 if given and stale).
     */
    public Uni<ListingView> transition(
            String namespace,
            String name,
            ListingStatus.Action action,
            String reason,
            String successor,
            String ifMatch,
            Caller caller) {
        Long expected = Preconditions.expectedVersion(ifMatch);
        if (action == ListingStatus.Action.REJECT && (reason == null || reason.isBlank())) {
            throw ProblemException.invalid("reason", "is required to reject a listing");
        }
        return Panache.withTransaction(() -> lockForWrite(namespace, name, caller)
                .chain(loaded -> {
                    Listing listing = loaded.listing();
                    authorize(action, loaded.vendor(), caller);
                    Preconditions.check(expected, listing.version);
                    if (!action.allowedFrom(listing.status)) {
                        throw new ProblemException(
                                CatalogProblem.INVALID_TRANSITION,
                                "Cannot " + action.wire() + " a " + listing.status.wire() + " listing");
                    }
                    Uni<Void> checks = Uni.createFrom().voidItem();
                    if (action == ListingStatus.Action.SUBMIT && !loaded.vendor().verified) {
                        ListingValidator.checkSubmittable(listing);
                    }
                    if (action == ListingStatus.Action.DEPRECATE && successor != null) {
                        checks = checkSuccessor(listing, successor);
                    }
                    return checks.chain(() -> apply(loaded, action, reason, successor, caller));
                }));
    }

    private Uni<ListingView> apply(
            Loaded loaded, ListingStatus.Action action, String reason, String successor, Caller caller) {
        Listing listing = loaded.listing();
        Instant now = Clock.now();
        ListingStatus from = listing.status;
        ListingStatus to = action.target();
        String why = reason;
        String actionName = action.wire();
        if (action == ListingStatus.Action.SUBMIT && loaded.vendor().verified) {
            to = ListingStatus.PUBLISHED;
            why = reason == null ? "verified vendor: review waived" : reason;
        }
        listing.status = to;
        listing.updatedAt = now;
        if (to == ListingStatus.PUBLISHED && listing.publishedAt == null) {
            listing.publishedAt = now;
        }
        if (to == ListingStatus.PUBLISHED || to == ListingStatus.SUBMITTED) {
            listing.rejectionReason = null;
        }
        if (action == ListingStatus.Action.REJECT) {
            listing.rejectionReason = reason;
        }
        if (action == ListingStatus.Action.DEPRECATE) {
            listing.successor = successor;
        }
        String eventName = switch (to) {
            case SUBMITTED -> DomainEvent.LISTING_SUBMITTED;
            case PUBLISHED -> DomainEvent.LISTING_PUBLISHED;
            case REJECTED -> DomainEvent.LISTING_REJECTED;
            case DEPRECATED -> DomainEvent.LISTING_DEPRECATED;
            case ARCHIVED -> DomainEvent.LISTING_ARCHIVED;
            case DRAFT -> DomainEvent.LISTING_WITHDRAWN;
        };
        ListingStatus target = to;
        String because = why;
        return transitions
                .persist(ListingTransition.of(listing.id, actionName, from, to, caller.subject(), why, now))
                .chain(() -> events.changed(
                        listing,
                        loaded.vendor(),
                        revision -> List.of(new ListingEvents.Named(
                                eventName,
                                DomainEvent.of(listing.id, listing.coordinates(), revision, caller.subject())
                                        .transition(from.wire(), target.wire(), because, listing.successor)))));
    }

    private static void authorize(ListingStatus.Action action, Vendor vendor, Caller caller) {
        boolean admin = caller.hasRole(Roles.ADMIN);
        boolean member = vendor.hasMember(caller.subject());
        boolean allowed = switch (action) {
            case SUBMIT, WITHDRAW, DEPRECATE -> member;
            case APPROVE, REJECT -> admin;
            case ARCHIVE -> member || admin;
        };
        if (!allowed) {
            throw new ProblemException(
                    admin || action == ListingStatus.Action.APPROVE || action == ListingStatus.Action.REJECT
                            ? CatalogProblem.FORBIDDEN
                            : CatalogProblem.NOT_A_MEMBER,
                    "Only "
                            + switch (action) {
                                case APPROVE, REJECT -> "admins";
                                case ARCHIVE -> "the vendor's members or admins";
                                default -> "the vendor's members";
                            }
                            + " may " + action.wire() + " " + vendor.namespace + " listings");
        }
    }

    private Uni<Void> checkSuccessor(Listing listing, String successor) {
        int slash = successor.indexOf('/');
        if (slash <= 0 || successor.equals(listing.coordinates())) {
            throw ProblemException.invalid("successor", "must be another listing's namespace/name");
        }
        return listings.findByCoordinates(successor.substring(0, slash), successor.substring(slash + 1))
                .invoke(found -> {
                    if (found == null) {
                        throw ProblemException.invalid("successor", "no such listing");
                    }
                })
                .replaceWithVoid();
    }

    /** The lifecycle history of a listing the caller may see, oldest first. */
    public Uni<List<ListingTransition>> history(String namespace, String name, Caller caller) {
        return Panache.withSession(
                () -> load(namespace, name, caller).chain(loaded -> transitions.history(loaded.listing().id)));
    }

    /**
     * A vendor's listings, filtered and paged: members and admins see all of them, others the public published and
     * deprecated ones.
     */
    public Uni<PageResult<ListingView>> listForVendor(
            String namespace, ListingCriteria filter, int page, int size, Caller caller) {
        return Panache.withSession(() -> vendors.findById(namespace).chain(vendor -> {
                    if (vendor == null) {
                        throw vendorNotFound(namespace);
                    }
                    boolean insider = caller.hasRole(Roles.ADMIN) || vendor.hasMember(caller.subject());
                    ListingRepository.Filter effective = new ListingRepository.Filter(
                            namespace,
                            filter.status(),
                            filter.visibility(),
                            filter.modality(),
                            filter.task(),
                            filter.text(),
                            !insider);
                    return listings.search(effective, page, size)
                            .chain(result -> views(result, Map.of(namespace, vendor)));
                }))
                .map(result -> result.map(view -> view.forCaller(caller)));
    }

    /**
     * Whether {@code caller} sees all of vendor {@code namespace}'s listings (drafts and private ones too): its members
     * and admins. 404 when there is no such vendor.
     */
    public Uni<Boolean> seesAllOf(String namespace, Caller caller) {
        return Panache.withSession(() -> vendors.findById(namespace).map(vendor -> {
            if (vendor == null) {
                throw vendorNotFound(namespace);
            }
            return caller.hasRole(Roles.ADMIN) || vendor.hasMember(caller.subject());
        }));
    }

    /** Whether vendor {@code namespace} exists. */
    public Uni<Boolean> vendorExists(String namespace) {
        return Panache.withSession(() -> vendors.count("namespace", namespace).map(count -> count > 0));
    }

    public static ProblemException vendorNotFound(String namespace) {
        return new ProblemException(CatalogProblem.VENDOR_NOT_FOUND, "Vendor " + namespace + " not found");
    }

    /** Listings across vendors: admins see all (e.g. the review queue, status=submitted), others public ones. */
    public Uni<PageResult<ListingView>> list(ListingCriteria filter, int page, int size, Caller caller) {
        ListingRepository.Filter effective = acrossVendors(filter, !caller.hasRole(Roles.ADMIN));
        return Panache.withSession(() -> listings.search(effective, page, size).chain(result -> {
                    List<String> namespaces = result.items().stream()
                            .map(l -> l.namespace)
                            .distinct()
                            .toList();
                    return (namespaces.isEmpty()
                                    ? Uni.createFrom().item(List.<Vendor>of())
                                    : vendors.list("namespace in ?1", namespaces))
                            .chain(found -> views(
                                    result,
                                    found.stream().collect(Collectors.toMap(v -> v.namespace, Function.identity()))));
                }))
                .map(result -> result.map(view -> view.forCaller(caller)));
    }

    /**
     * The page {@link #list} gives every caller who is not an admin, as the listings' coordinates only: all of them
     * are public and published or deprecated, so their views are the same for every caller.
     */
    public Uni<PageResult<ListingRepository.Coordinates>> listPublic(ListingCriteria filter, int page, int size) {
        return Panache.withSession(() -> listings.searchCoordinates(acrossVendors(filter, true), page, size));
    }

    private static ListingRepository.Filter acrossVendors(ListingCriteria filter, boolean publicOnly) {
        return new ListingRepository.Filter(
                filter.namespace(),
                filter.status(),
                filter.visibility(),
                filter.modality(),
                filter.task(),
                filter.text(),
                publicOnly);
    }

    private Uni<PageResult<ListingView>> views(PageResult<Listing> result, Map<String, Vendor> vendorsByNamespace) {
        List<UUID> ids = result.items().stream().map(l -> l.id).toList();
        return stats.findAll(ids).map(rows -> {
            Map<UUID, ListingStats> byId =
                    rows.stream().collect(Collectors.toMap(row -> row.listingId, Function.identity()));
            return result.map(
                    listing -> mapper.toView(listing, vendorsByNamespace.get(listing.namespace), byId.get(listing.id)));
        });
    }

    /** Loads and row-locks a listing for a write; 404 if the caller may not even see it. */
    public Uni<Loaded> lockForWrite(String namespace, String name, Caller caller) {
        return listings.findByCoordinatesForUpdate(namespace, name)
                .chain(listing -> listing == null ? notFound(namespace + "/" + name) : withVendor(listing, caller));
    }

    /** 403 unless the caller is one of the vendor's members. */
    public static void requireMember(Vendor vendor, Caller caller) {
        if (!vendor.hasMember(caller.subject())) {
            throw new ProblemException(
                    CatalogProblem.NOT_A_MEMBER, "Only members of vendor " + vendor.namespace + " may do this");
        }
    }

    private static <T> Uni<T> notFound(String coordinates) {
        return Uni.createFrom().failure(notFoundProblem(coordinates));
    }

    private static ProblemException notFoundProblem(String coordinates) {
        return new ProblemException(CatalogProblem.LISTING_NOT_FOUND, "Listing " + coordinates + " not found");
    }
}
