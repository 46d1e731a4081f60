package org.modelmarket.catalog.version.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.catalog.common.Clock;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.event.DomainEvent;
import org.modelmarket.catalog.listing.service.ListingEvents;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.catalog.version.ListingVersion;
import org.modelmarket.catalog.version.VersionView;
import org.modelmarket.catalog.version.repository.ListingVersionRepository;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Versions of a listing: the vendor's members create drafts naming an artifact commit, edit them, and publish them
 * (then immutable, and a VersionPublished event with the commit goes out, so artifact-service resolves the version
 * name to exactly that commit); "latest" is the newest published. Drafts are visible to members and admins only.
 */
@ApplicationScoped
public class VersionService {

    private final ListingService listings;
    private final ListingVersionRepository versions;
    private final ListingEvents events;

    public VersionService(ListingService listings, ListingVersionRepository versions, ListingEvents events) {
        this.listings = listings;
        this.versions = versions;
        this.events = events;
    }

    public Uni<VersionView> create(
            String namespace, String name, String version, String releaseNotes, String commit, Caller caller) {
        if (version == null) {
            throw ProblemException.invalid("version", "must not be null");
        }
        return Panache.withTransaction(() -> listings.lockForWrite(namespace, name, caller)
                .chain(loaded -> {
                    ListingService.requireMember(loaded.vendor(), caller);
                    if (loaded.listing().status == ListingStatus.ARCHIVED) {
                        throw new ProblemException(
                                CatalogProblem.INVALID_TRANSITION, "An archived listing gets no new versions");
                    }
                    return versions.find(loaded.listing().id, version).chain(existing -> {
                        if (existing != null) {
                            throw new ProblemException(
                                    CatalogProblem.VERSION_EXISTS,
                                    "Version " + version + " of "
                                            + loaded.listing().coordinates() + " exists already");
                        }
                        ListingVersion row = new ListingVersion();
                        row.id = UUID.randomUUID();
                        row.listingId = loaded.listing().id;
                        row.version = version;
                        row.releaseNotes = releaseNotes;
                        row.commit = commit;
                        row.status = ListingVersion.Status.DRAFT;
                        row.createdBy = caller.subject();
                        row.createdAt = Clock.now();
                        return versions.persist(row)
                                .map(saved -> VersionView.of(loaded.listing().coordinates(), saved));
                    });
                }));
    }

    /** Edits a draft's release notes and commit (kept when not given); published versions are immutable (409). */
    public Uni<VersionView> update(
            String namespace, String name, String version, String releaseNotes, String commit, Caller caller) {
        return Panache.withTransaction(() -> listings.lockForWrite(namespace, name, caller)
                .chain(loaded -> {
                    ListingService.requireMember(loaded.vendor(), caller);
                    return versions.findForUpdate(loaded.listing().id, version).map(row -> {
                        ListingVersion found = require(row, namespace, name, version);
                        if (found.status == ListingVersion.Status.PUBLISHED) {
                            throw new ProblemException(
                                    CatalogProblem.IMMUTABLE, "Version " + version + " is published");
                        }
                        found.releaseNotes = releaseNotes;
                        if (commit != null) {
                            found.commit = commit;
                        }
                        return VersionView.of(loaded.listing().coordinates(), found);
                    });
                }));
    }

    public Uni<VersionView> publish(String namespace, String name, String version, Caller caller) {
        return Panache.withTransaction(() -> listings.lockForWrite(namespace, name, caller)
                .chain(loaded -> {
                    ListingService.requireMember(loaded.vendor(), caller);
                    if (loaded.listing().status == ListingStatus.ARCHIVED) {
                        throw new ProblemException(CatalogProblem.INVALID_TRANSITION, "The listing is archived");
                    }
                    return versions.findForUpdate(loaded.listing().id, version).chain(row -> {
                        ListingVersion found = require(row, namespace, name, version);
                        if (found.status == ListingVersion.Status.PUBLISHED) {
                            throw new ProblemException(
                                    CatalogProblem.IMMUTABLE, "Version " + version + " is published already");
                        }
                        found.status = ListingVersion.Status.PUBLISHED;
                        found.publishedAt = Clock.now();
                        return versions.flush()
                                .chain(() -> events.domainOnly(
                                        loaded.listing(),
                                        revision -> List.of(new ListingEvents.Named(
                                                DomainEvent.VERSION_PUBLISHED,
                                                DomainEvent.of(
                                                                loaded.listing().id,
                                                                loaded.listing().coordinates(),
                                                                revision,
                                                                caller.subject())
                                                        .version(found.version, found.releaseNotes, found.commit)))))
                                .map(ignored -> VersionView.of(loaded.listing().coordinates(), found));
                    });
                }));
    }

    public Uni<VersionView> get(String namespace, String name, String version, Caller caller) {
        return Panache.withSession(() -> listings.load(namespace, name, caller).chain(loaded -> {
            Uni<ListingVersion> found = "latest".equals(version)
                    ? versions.latest(loaded.listing().id)
                    : versions.find(loaded.listing().id, version);
            return found.map(row -> {
                ListingVersion v = require(row, namespace, name, version);
                if (v.status == ListingVersion.Status.DRAFT && !insider(loaded, caller)) {
                    throw notFound(namespace, name, version);
                }
                return VersionView.of(loaded.listing().coordinates(), v);
            });
        }));
    }

    public Uni<PageResult<VersionView>> list(String namespace, String name, int page, int size, Caller caller) {
        return Panache.withSession(() -> listings.load(namespace, name, caller)
                .chain(loaded -> versions.page(loaded.listing().id, insider(loaded, caller), page, size)
                        .map(result ->
                                result.map(v -> VersionView.of(loaded.listing().coordinates(), v)))));
    }

    private static boolean insider(ListingService.Loaded loaded, Caller caller) {
        return caller.hasRole(Roles.ADMIN) || loaded.vendor().hasMember(caller.subject());
    }

    private static ListingVersion require(ListingVersion row, String namespace, String name, String version) {
        if (row == null) {
            throw notFound(namespace, name, version);
        }
        return row;
    }

    private static ProblemException notFound(String namespace, String name, String version) {
        return new ProblemException(
                CatalogProblem.VERSION_NOT_FOUND,
                "Version " + version + " of " + namespace + "/" + name + " not found");
    }
}
