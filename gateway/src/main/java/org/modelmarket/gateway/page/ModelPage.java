package org.modelmarket.gateway.page;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything a model page shows, gathered from the services in one call. Each part is the owning service's own
 * representation, unchanged, so the page never drifts from the service APIs it summarises; a part that could not be
 * fetched is null and named in {@code warnings}.
 */
public record ModelPage(
        @Schema(description = "catalog's listing, as GET /api/v1/listings/{ns}/{name} answers it (with its stats)")
        JsonNode listing,

        @Schema(description = "catalog's newest versions, as GET .../versions answers them")
        JsonNode versions,

        @Schema(description = "a summary of the file tree at main, from artifact-service")
        Files files,

        @Schema(description = "billing's pricing in force now; null for a listing without pricing")
        JsonNode pricing,

        @Schema(description = "what the caller may do; null parts for anonymous callers")
        Access access,

        @Schema(description = "the parts that could not be fetched, and why; empty when the page is complete")
        List<Warning> warnings) {

    /** The file tree at {@code main}: totals over every file, and the largest files. */
    public record Files(String revision, String commit, int fileCount, long totalSize, List<File> largest) {}

    /** One file of the summary. */
    public record File(String path, long size, String sha256) {}

    /** The caller's standing: its entitlement (billing) and, for a gated listing, its terms acceptance (catalog). */
    public record Access(
            @Schema(description = "false for anonymous callers: log in to see entitlement and terms status")
            boolean authenticated,

            @Schema(description = "billing's GET /api/v1/entitlements/{ns}/{name} for the caller")
            JsonNode entitlement,

            @Schema(
                    description =
                            "catalog's GET .../gate/acceptance for the caller; null when the listing is not gated")
            JsonNode terms) {}

    /** A part left out: which one, which service, and what went wrong. */
    public record Warning(String part, String service, String detail) {}
}
