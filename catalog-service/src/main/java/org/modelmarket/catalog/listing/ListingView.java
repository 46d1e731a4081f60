package org.modelmarket.catalog.listing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.modelmarket.platform.security.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The full state of a listing as the REST API shows it. The {@code ListingChanged} event carries the same state in
 * its own record ({@link org.modelmarket.catalog.listing.event.ListingChangedData}), so that this view can evolve
 * with the API. Part of the public contract: add fields, never rename or remove them. {@code owners} (who may act for
 * the vendor) is shown only to the vendor's members and admins, as the vendor's own {@code members} are: a public
 * marketplace shows the vendor, not its members' identities ({@link #withoutOwners()}).
 */
@Schema(name = "Listing")
public record ListingView(
        UUID listingId,

        @Schema(description = "namespace/name", examples = "acme/resnet-50")
        String id,

        String namespace,
        String name,
        String title,
        String summary,
        @Schema(description = "Markdown") String modelCard,
        String modality,
        String task,

        @Schema(description = "SPDX id, or other (then eula holds the vendor's licence text)")
        String license,

        String eula,
        List<String> tags,
        @Schema(description = "ISO 639-1 codes") List<String> languages,
        List<String> frameworks,
        List<String> formats,
        List<String> datasets,

        @Schema(description = "another listing (ns/name) or an external id")
        String baseModel,

        List<ListingSpec.EvaluationResult> evaluationResults,
        ListingSpec.Signature signature,
        ListingSpec.Hardware hardware,
        String exampleUsage,
        PriceType priceType,
        Visibility visibility,
        boolean gated,
        String gateTerms,
        ListingStatus status,

        @Schema(description = "why an admin rejected the last submission")
        String rejectionReason,

        @Schema(description = "replacement of a deprecated listing (ns/name)")
        String successor,

        @Schema(
                description = "Keycloak subjects who may act for the listing (the vendor's members); only for the "
                        + "vendor's members and admins, absent for everyone else")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        List<String> owners,

        VendorRef vendor,
        Stats stats,
        @Schema(description = "edit version, also the ETag") long version,
        Instant publishedAt,
        Instant createdAt,
        Instant updatedAt) {

    /** The owning vendor, as listings show it. */
    @Schema(name = "VendorRef")
    public record VendorRef(String namespace, String displayName, boolean verified) {}

    /** The stats projection. */
    @Schema(name = "ListingStatsView")
    public record Stats(
            long downloads,
            long downloads30d,
            long downloads7d,
            long likes,
            double rating,
            long ratingCount,
            long subscribers) {}

    /** The view without {@code owners}: what callers who are neither the vendor's members nor admins get. */
    public ListingView withoutOwners() {
        return owners == null
                ? this
                : new ListingView(
                        listingId,
                        id,
                        namespace,
                        name,
                        title,
                        summary,
                        modelCard,
                        modality,
                        task,
                        license,
                        eula,
                        tags,
                        languages,
                        frameworks,
                        formats,
                        datasets,
                        baseModel,
                        evaluationResults,
                        signature,
                        hardware,
                        exampleUsage,
                        priceType,
                        visibility,
                        gated,
                        gateTerms,
                        status,
                        rejectionReason,
                        successor,
                        null,
                        vendor,
                        stats,
                        version,
                        publishedAt,
                        createdAt,
                        updatedAt);
    }

    /** Whether {@code caller} sees {@code owners}: the vendor's members (its owners) and admins. */
    public boolean showsOwnersTo(Caller caller) {
        return caller.isAdmin() || caller.subject() != null && owners != null && owners.contains(caller.subject());
    }

    /** This view as {@code caller} may see it: {@code owners} only for the vendor's members and admins. */
    public ListingView forCaller(Caller caller) {
        return showsOwnersTo(caller) ? this : withoutOwners();
    }
}
