package org.modelmarket.catalog.problem;

import java.net.URI;

/** The catalog's problem types: URNs, stable identifiers that do not pretend to be documentation pages. */
public enum ProblemType {
    VALIDATION("validation", "Invalid request"),
    LISTING_EXISTS("listing-exists", "Listing already exists"),
    NAMESPACE_OWNED("namespace-owned-by-other", "Namespace owned by another vendor"),
    LISTING_NOT_FOUND("listing-not-found", "Listing not found"),
    CONCURRENT_MODIFICATION("concurrent-modification", "Concurrent modification"),
    CONFLICT("conflict", "Conflict");

    private final URI uri;
    private final String title;

    ProblemType(String slug, String title) {
        this.uri = URI.create("urn:modelmarket:problem:" + slug);
        this.title = title;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }
}
