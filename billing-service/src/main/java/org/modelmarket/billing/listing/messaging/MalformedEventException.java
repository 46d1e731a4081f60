package org.modelmarket.billing.listing.messaging;

/** A record on {@code catalog.listings} this service cannot read; it is logged and skipped. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
