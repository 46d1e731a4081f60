package org.modelmarket.catalog.version;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A version as the API shows it. */
@Schema(name = "Version")
public record VersionView(
        String listing,
        String version,
        String releaseNotes,
        String commit,
        ListingVersion.Status status,
        String createdBy,
        Instant createdAt,
        Instant publishedAt) {

    public static VersionView of(String listing, ListingVersion version) {
        return new VersionView(
                listing,
                version.version,
                version.releaseNotes,
                version.commit,
                version.status,
                version.createdBy,
                version.createdAt,
                version.publishedAt);
    }
}
