package org.modelmarket.catalog.common;

import org.modelmarket.catalog.problem.CatalogProblem;
import org.modelmarket.platform.problem.ProblemException;

/**
 * Optimistic concurrency over HTTP: ETags are the quoted edit version ({@code "3"}; a listing's adds a digest of its
 * body, {@code "3-9f86d081884c7d65"}); edits must send {@code If-Match} with the ETag (or the version) they read.
 */
public final class Preconditions {

    private Preconditions() {}

    /** The version an {@code If-Match} header names, or {@code null} if the header is absent. */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        // a listing's ETag adds "-<digest of the body>" to its edit version: only the edit version is a precondition
        // of an edit (a download counted since the read is no conflict)
        int digest = value.indexOf('-');
        if (digest > 0) {
            value = value.substring(0, digest);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // Not an ETag this service ever issued: it can never match.
            return -1L;
        }
    }

    /** 428 when {@code If-Match} is missing: edits must say which version they change. */
    public static long required(String ifMatch) {
        Long expected = expectedVersion(ifMatch);
        if (expected == null) {
            throw new ProblemException(
                    CatalogProblem.PRECONDITION_REQUIRED, "Send If-Match with the ETag of the version you edit");
        }
        return expected;
    }

    /** 412 when the current version is not the expected one ({@code null} = no precondition). */
    public static void check(Long expected, long current) {
        if (expected != null && expected != current) {
            throw new ProblemException(
                    CatalogProblem.PRECONDITION_FAILED,
                    "The resource changed (current version " + current + ", If-Match " + expected
                            + "); reload it and retry");
        }
    }
}
