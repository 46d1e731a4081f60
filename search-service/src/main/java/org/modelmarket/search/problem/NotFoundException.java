package org.modelmarket.search.problem;

/** The resource asked for does not exist (or is not searchable); answered with 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
