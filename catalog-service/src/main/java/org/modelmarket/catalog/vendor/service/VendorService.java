package org.modelmarket.catalog.vendor.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.common.Preconditions;
import org.modelmarket.catalog.listing.repository.ListingRepository;
import org.modelmarket.catalog.listing.service.ListingEvents;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.catalog.vendor.Vendor;
import org.modelmarket.catalog.vendor.VendorRequest;
import org.modelmarket.catalog.vendor.VendorView;
import org.modelmarket.catalog.vendor.repository.VendorRepository;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Vendors: any authenticated user may create one (becoming its first member); members edit the profile and the
 * member list; only admins set {@code verified}. Listings show their vendor (and owners = members), so each vendor
 * change re-publishes the state of the vendor's listings.
 */
@ApplicationScoped
public class VendorService {

    /** Namespaces that would shadow API paths or mislead. */
    static final Set<String> RESERVED = Set.of("by-id", "api", "admin", "vendors", "taxonomy", "new", "settings");

    private final VendorRepository vendors;
    private final ListingRepository listings;
    private final ListingEvents events;

    public VendorService(VendorRepository vendors, ListingRepository listings, ListingEvents events) {
        this.vendors = vendors;
        this.listings = listings;
        this.events = events;
    }

    public Uni<VendorView> create(VendorRequest request, Caller caller) {
        if (request.namespace() == null) {
            throw ProblemException.invalid("namespace", "must not be null");
        }
        if (RESERVED.contains(request.namespace())) {
            throw ProblemException.invalid("namespace", "is reserved");
        }
        return Panache.withTransaction(() -> vendors.findById(request.namespace())
                .chain(existing -> {
                    if (existing != null) {
                        throw new ProblemException(
                                CatalogProblem.VENDOR_EXISTS, "Namespace " + request.namespace() + " is taken");
                    }
                    Instant now = Clock.now();
                    Vendor vendor = new Vendor();
                    vendor.namespace = request.namespace();
                    vendor.displayName = request.displayName();
                    vendor.description = request.description();
                    vendor.website = request.website();
                    vendor.members = new ArrayList<>(List.of(caller.subject()));
                    vendor.createdAt = now;
                    vendor.updatedAt = now;
                    return vendors.persist(vendor).call(vendors::flush).map(saved -> view(saved, caller));
                }));
    }

    public Uni<VendorView> get(String namespace, Caller caller) {
        return Panache.withSession(() -> find(namespace).map(vendor -> view(vendor, caller)));
    }

    /**
     * The vendors {@code member} belongs to ({@code "me"}: the caller), one page by namespace. Only admins ask about
     * another subject: which vendors someone acts for is theirs to see (members are hidden from the public profile).
     */
    public Uni<PageResult<VendorView>> memberships(String member, int page, int size, Caller caller) {
        if (member == null || member.isBlank()) {
            throw ProblemException.invalid("member", "is required: me, or (admins) a Keycloak subject");
        }
        if (member.length() > 255) {
            throw ProblemException.invalid("member", "must be me or a Keycloak subject");
        }
        String subject = "me".equals(member) ? caller.subject() : member;
        if (!subject.equals(caller.subject()) && !caller.hasRole(Roles.ADMIN)) {
            throw new ProblemException(CatalogProblem.FORBIDDEN, "Only admins list another member's vendors");
        }
        return Panache.withSession(() -> vendors.pageByMember(subject, page, size))
                .map(result -> result.map(vendor -> view(vendor, caller)));
    }

    /** Replaces the profile (members only, If-Match required). */
    public Uni<VendorView> update(String namespace, VendorRequest request, String ifMatch, Caller caller) {
        long expected = Preconditions.required(ifMatch);
        if (request.namespace() != null && !request.namespace().equals(namespace)) {
            throw ProblemException.invalid("namespace", "cannot be changed (must match the path)");
        }
        return write(
                namespace,
                vendor -> {
                    ListingService.requireMember(vendor, caller);
                    Preconditions.check(expected, vendor.version);
                    vendor.displayName = request.displayName();
                    vendor.description = request.description();
                    vendor.website = request.website();
                },
                caller);
    }

    /** Sets or clears the verified flag (admins only; the resource enforces the role too). */
    public Uni<VendorView> verify(String namespace, boolean verified, Caller caller) {
        if (!caller.hasRole(Roles.ADMIN)) {
            throw new ProblemException(CatalogProblem.FORBIDDEN, "Only admins verify vendors");
        }
        return write(
                namespace,
                vendor -> {
                    vendor.verified = verified;
                    vendor.verifiedBy = verified ? caller.subject() : null;
                    vendor.verifiedAt = verified ? Clock.now() : null;
                },
                caller);
    }

    public Uni<VendorView> addMember(String namespace, String subject, Caller caller) {
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            throw ProblemException.invalid("subject", "must be a Keycloak subject");
        }
        return write(
                namespace,
                vendor -> {
                    ListingService.requireMember(vendor, caller);
                    if (!vendor.members.contains(subject)) {
                        List<String> members = new ArrayList<>(vendor.members);
                        members.add(subject);
                        vendor.members = members;
                    }
                },
                caller);
    }

    public Uni<VendorView> removeMember(String namespace, String subject, Caller caller) {
        return write(
                namespace,
                vendor -> {
                    ListingService.requireMember(vendor, caller);
                    if (!vendor.members.contains(subject)) {
                        throw new ProblemException(
                                CatalogProblem.NOT_FOUND, subject + " is not a member of " + namespace);
                    }
                    if (vendor.members.size() == 1) {
                        throw new ProblemException(CatalogProblem.CONFLICT, "A vendor keeps at least one member");
                    }
                    List<String> members = new ArrayList<>(vendor.members);
                    members.remove(subject);
                    vendor.members = members;
                },
                caller);
    }

    private interface Change {
        void apply(Vendor vendor);
    }

    /** Locks the vendor, applies the change, re-publishes its listings' state, all in one transaction. */
    private Uni<VendorView> write(String namespace, Change change, Caller caller) {
        return Panache.withTransaction(() -> vendors.findForUpdate(namespace).chain(vendor -> {
            if (vendor == null) {
                throw notFound(namespace);
            }
            change.apply(vendor);
            vendor.updatedAt = Clock.now();
            return vendors.flush()
                    .chain(() -> listings.listByNamespace(namespace))
                    .chain(all -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (var listing : all) {
                            chain = chain.chain(() -> events.changed(listing, vendor, revision -> List.of())
                                    .replaceWithVoid());
                        }
                        return chain;
                    })
                    .map(ignored -> view(vendor, caller));
        }));
    }

    private Uni<Vendor> find(String namespace) {
        return vendors.findById(namespace).map(vendor -> {
            if (vendor == null) {
                throw notFound(namespace);
            }
            return vendor;
        });
    }

    private static ProblemException notFound(String namespace) {
        return new ProblemException(CatalogProblem.VENDOR_NOT_FOUND, "Vendor " + namespace + " not found");
    }

    private static VendorView view(Vendor vendor, Caller caller) {
        boolean insider = caller.hasRole(Roles.ADMIN) || vendor.hasMember(caller.subject());
        return new VendorView(
                vendor.namespace,
                vendor.displayName,
                vendor.description,
                vendor.website,
                vendor.verified,
                vendor.verifiedAt,
                insider ? List.copyOf(vendor.members) : null,
                vendor.version,
                vendor.createdAt,
                vendor.updatedAt);
    }
}
