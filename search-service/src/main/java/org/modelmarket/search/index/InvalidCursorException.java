package org.modelmarket.search.index;

/** A cursor the index cannot continue from (tampered with, or from another query). */
public class InvalidCursorException extends RuntimeException {

    public InvalidCursorException(String message) {
        super(message);
    }
}
