package org.modelmarket.billing.problem;

/** Base of the service's business exceptions; each one knows the problem answer it becomes. */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    protected ProblemException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The last part of the problem type URN, e.g. {@code listing-not-found}. */
    public String slug() {
        return slug;
    }

    /** A short, human-readable summary that does not change from occurrence to occurrence. */
    public String title() {
        return title;
    }
}
