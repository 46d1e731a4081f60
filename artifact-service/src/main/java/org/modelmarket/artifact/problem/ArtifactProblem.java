package org.modelmarket.artifact.problem;

import org.modelmarket.platform.problem.ProblemType;

/** artifact-service's own problem types, under the product's one scheme {@code https://modelmarket.org/problems/}. */
public final class ArtifactProblem {
    public static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    public static final ProblemType FILE_NOT_FOUND = ProblemType.of("file-not-found", 404, "File not found");
    public static final ProblemType REVISION_NOT_FOUND =
            ProblemType.of("revision-not-found", 404, "Revision not found");
    public static final ProblemType NOT_LISTING_OWNER =
            ProblemType.of("not-listing-owner", 403, "Not an owner of the listing");
    public static final ProblemType FILE_TOO_LARGE = ProblemType.of("file-too-large", 413, "File too large");
    public static final ProblemType QUOTA_EXCEEDED =
            ProblemType.of("storage-quota-exceeded", 413, "Storage quota exceeded");
    public static final ProblemType PARENT_MISMATCH =
            ProblemType.of("parent-mismatch", 409, "The branch moved since the commit's parent");
    public static final ProblemType PATH_CONFLICT =
            ProblemType.of("path-conflict", 409, "A file and a folder would have the same path");
    public static final ProblemType UNKNOWN_BLOB =
            ProblemType.of("unknown-blob", 422, "The commit names content this listing never uploaded");
    public static final ProblemType CHECKSUM_MISMATCH =
            ProblemType.of("checksum-mismatch", 422, "The content does not match its declared SHA-256");
    public static final ProblemType RANGE_NOT_SATISFIABLE =
            ProblemType.of("range-not-satisfiable", 416, "Range not satisfiable");
    public static final ProblemType LOGIN_REQUIRED =
            ProblemType.of("login-required", 401, "Log in to download this file");
    public static final ProblemType TERMS_NOT_ACCEPTED =
            ProblemType.of("terms-not-accepted", 403, "Accept the listing's terms first");
    public static final ProblemType SUBSCRIPTION_REQUIRED =
            ProblemType.of("subscription-required", 402, "Subscribe to download this file");
    public static final ProblemType UPLOAD_NOT_FOUND = ProblemType.of("upload-not-found", 404, "Upload not found");
    public static final ProblemType UPLOAD_INCOMPLETE =
            ProblemType.of("upload-incomplete", 409, "Parts are missing from the upload");
    public static final ProblemType INVALID_SIGNATURE =
            ProblemType.of("invalid-signature", 403, "The signed URL is invalid or expired");

    private ArtifactProblem() {}
}
