package org.modelmarket.artifact.problem;

import org.modelmarket.platform.problem.ProblemType;

/** artifact-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public enum ArtifactProblem implements ProblemType {
    LISTING_NOT_FOUND("listing-not-found", 404, "Listing not found"),
    FILE_NOT_FOUND("file-not-found", 404, "File not found"),
    NOT_LISTING_OWNER("not-listing-owner", 403, "Not an owner of the listing"),
    FILE_TOO_LARGE("file-too-large", 413, "File too large");

    private final String slug;
    private final int status;
    private final String title;

    ArtifactProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
