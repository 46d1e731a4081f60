package org.modelmarket.platform.problem;

import java.net.URI;

/**
 * A kind of problem: a slug under the product's one type-URI scheme ({@code https://modelmarket.org/problems/<slug>}),
 * an HTTP status and a title. The generic kinds are {@link StandardProblem}; a service declares its own (an enum
 * implementing this interface, or {@link #of}).
 */
public interface ProblemType {

    /** The one type-URI scheme of the whole product. */
    String BASE = "https://modelmarket.org/problems/";

    /** The last segment of the type URI, e.g. {@code listing-not-found}. */
    String slug();

    int status();

    String title();

    default URI uri() {
        return URI.create(BASE + slug());
    }

    /** A service-specific problem type. */
    static ProblemType of(String slug, int status, String title) {
        return new Simple(slug, status, title);
    }

    /** The plain implementation behind {@link #of}. */
    record Simple(String slug, int status, String title) implements ProblemType {}
}
