package org.modelmarket.catalog.version.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of creating (version required) or editing (version omitted or equal) a draft version, naming its commit. */
@Schema(name = "VersionRequest")
public record VersionRequest(
        @Schema(examples = "1.2.0", description = "semantic version (2.0.0 grammar) or a 7-40 hex revision id")
        @Pattern(regexp = VERSION, message = "must be a semantic version like 1.2.0 or a revision id like 3f2c9ab")
        String version,

        @Schema(description = "Markdown") @Size(max = 20_000)
        String releaseNotes,

        @Schema(
                examples = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
                description = "the artifact-service commit (40 hex) this version names; frozen when published")
        @Pattern(regexp = "^[0-9a-f]{40}$", message = "must be a 40-hex commit id")
        String commit) {

    /** SemVer 2.0.0 (numeric parts without leading zeros, optional pre-release and build) or a git-style hex id. */
    public static final String VERSION = "^((0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?|[0-9a-f]{7,40})$";
}
