package org.modelmarket.search.index;

/** The index cannot serve the request now (engine down, overloaded, or index missing); retrying later may succeed. */
public class IndexUnavailableException extends RuntimeException {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
