package org.modelmarket.artifact.listing.service;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.access.OpenFileRules;
import org.modelmarket.artifact.access.OpenFiles;
import org.modelmarket.artifact.access.client.BillingEntitlements;
import org.modelmarket.artifact.access.repository.EntitlementRepository;
import org.modelmarket.artifact.access.repository.TermsAcceptanceRepository;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.ListingNotFoundException;
import org.modelmarket.artifact.listing.NotListingOwnerException;
import org.modelmarket.artifact.listing.Visibility;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import io.smallrye.mutiny.Uni;

/**
 * Who may read or write a listing's files. Listing level: public and unlisted listings are open to everyone, private
 * ones to their owners and admins, and are reported as not found to anyone else. File level: the listing's open
 * files (README, configs: the listing's own rule, or {@code access.open-files}; {@link OpenFileRules}) are readable
 * by anyone who sees the listing, so buyers can evaluate it; every other file is a weight file, which needs accepted
 * terms on a gated listing and an active entitlement on a paid or trial one (owners and admins always pass). Writes:
 * vendors among the owners, and admins.
 */
@ApplicationScoped
public class ListingAccess {

    private static final Logger LOG = Logger.getLogger(ListingAccess.class);

    private final ListingProjectionService listings;
    private final EntitlementRepository entitlements;
    private final TermsAcceptanceRepository terms;
    private final BillingEntitlements billing;
    private final ArtifactConfig config;
    private final OpenFileRules openFiles;

    public ListingAccess(
            ListingProjectionService listings,
            EntitlementRepository entitlements,
            TermsAcceptanceRepository terms,
            BillingEntitlements billing,
            ArtifactConfig config,
            OpenFileRules openFiles) {
        this.listings = listings;
        this.entitlements = entitlements;
        this.terms = terms;
        this.billing = billing;
        this.config = config;
        this.openFiles = openFiles;
    }

    /** The listing if {@code caller} may see it and its open files; fails with 404 otherwise. */
    public Uni<Listing> readable(String namespace, String name, Caller caller) {
        return existing(namespace, name).invoke(listing -> {
            if (listing.visibility == Visibility.PRIVATE && !isOwnerOrAdmin(listing, caller)) {
                throw new ListingNotFoundException(namespace, name);
            }
        });
    }

    /** The listing if {@code caller} may change its files; fails with 404 or 403 otherwise. */
    public Uni<Listing> writable(String namespace, String name, Caller caller) {
        return readable(namespace, name, caller).invoke(listing -> {
            if (!isOwnerOrAdmin(listing, caller)) {
                throw new NotListingOwnerException(listing.coordinates());
            }
        });
    }

    /** The open-file rule of {@code listing}: its own, or the service's default. */
    public OpenFiles openFiles(Listing listing) {
        return openFiles.of(listing);
    }

    /**
     * Whether the file at {@code path} of {@code listing} is a weight file (protected on paid and gated listings, and
     * counted when downloaded) rather than an open file such as the README or a config, by the listing's own rule or
     * the default one. The rule comes with the listing row already loaded: no further query.
     */
    public boolean isWeightFile(Listing listing, String path) {
        return !openFiles.of(listing).isOpen(path);
    }

    /**
     * Passes when {@code caller} may download the file at {@code path} of a listing they can see; fails with a
     * problem saying what to do otherwise: 401 log in, 403 accept the terms at a URL, 402 subscribe at a URL.
     */
    public Uni<Void> checkDownload(Listing listing, String path, Caller caller) {
        if (!isWeightFile(listing, path)) {
            return Uni.createFrom().voidItem();
        }
        return check(listing, path + " of " + listing.coordinates(), caller).replaceWithVoid();
    }

    /**
     * The listing-level decision behind every weight file of a listing {@code caller} can see, whatever files it has
     * so far: why the caller may download them ({@code admin}, {@code owner}, {@code free}, {@code terms-accepted},
     * {@code entitled}), or the problem a weight download would fail with.
     */
    public Uni<String> checkWeights(Listing listing, Caller caller) {
        return check(listing, "Every weight file of " + listing.coordinates(), caller);
    }

    private Uni<String> check(Listing listing, String what, Caller caller) {
        if (caller.isAdmin()) {
            return Uni.createFrom().item("admin");
        }
        if (isOwnerOrAdmin(listing, caller)) {
            return Uni.createFrom().item("owner");
        }
        if (!listing.gated && !listing.isPaid()) {
            return Uni.createFrom().item("free");
        }
        if (caller.isAnonymous()) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ArtifactProblem.LOGIN_REQUIRED,
                            what + " is only for "
                                    + (listing.isPaid() ? "subscribers" : "users who accepted its terms")
                                    + ": log in and send your bearer token.",
                            null,
                            Map.of("WWW-Authenticate", "Bearer")));
        }
        Uni<Void> gate =
                listing.gated ? checkTerms(listing, caller) : Uni.createFrom().voidItem();
        return gate.chain(() -> listing.isPaid()
                        ? checkEntitlement(listing, caller)
                        : Uni.createFrom().voidItem())
                .map(ignored -> listing.isPaid() ? "entitled" : "terms-accepted");
    }

    private Uni<Void> checkTerms(Listing listing, Caller caller) {
        String version = listing.termsVersion == null ? "" : listing.termsVersion;
        return terms.accepted(listing.id, caller.subject(), version)
                .invoke(accepted -> {
                    if (!accepted) {
                        String url = apiUrl(listing) + "/terms/acceptance";
                        throw new ProblemException(
                                ArtifactProblem.TERMS_NOT_ACCEPTED,
                                listing.coordinates() + " is gated: read its terms (gateTerms) at " + apiUrl(listing)
                                        + " and accept them with POST " + url + ", then retry.",
                                null,
                                Map.of("Link", "<" + url + ">; rel=\"terms-acceptance\""));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> checkEntitlement(Listing listing, Caller caller) {
        return entitlements
                .find(listing.id, caller.subject())
                .chain(row -> {
                    if (row != null) {
                        return Uni.createFrom().item(row.grants(Instant.now()));
                    }
                    LOG.debugf(
                            "No entitlement row for %s on %s: asking billing", caller.subject(), listing.coordinates());
                    return billing.granted(listing.namespace, listing.name);
                })
                .invoke(granted -> {
                    if (!granted) {
                        // Name the API calls that exist: there is no web page at /listings/... to send anyone to.
                        String pricing = apiUrl(listing) + "/pricing";
                        String subscriptions = config.access().publicUrl() + "/api/v1/subscriptions";
                        throw new ProblemException(
                                ArtifactProblem.SUBSCRIPTION_REQUIRED,
                                listing.coordinates() + " is a " + listing.priceType + " listing: subscribe at "
                                        + subscriptions + " to download its weights (POST {\"listing\": \""
                                        + listing.coordinates() + "\", \"plan\": <a plan's code>, \"termsVersion\":"
                                        + " <the pricing's version>}; GET " + pricing + " lists the plans).",
                                null,
                                Map.of("Link", "<" + pricing + ">; rel=\"subscribe\""));
                    }
                })
                .replaceWithVoid();
    }

    private String apiUrl(Listing listing) {
        return config.access().publicUrl() + "/api/v1/listings/" + listing.coordinates();
    }

    private Uni<Listing> existing(String namespace, String name) {
        return listings.find(namespace, name)
                .onItem()
                .ifNull()
                .failWith(() -> new ListingNotFoundException(namespace, name));
    }

    private static boolean isOwnerOrAdmin(Listing listing, Caller caller) {
        return caller.isAdmin() || !caller.isAnonymous() && listing.isOwnedBy(caller.subject());
    }
}
