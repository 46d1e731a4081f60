package org.modelmarket.search.projection;

/** A record on {@code catalog.listings} that this reader cannot make sense of; retrying will not change that. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
