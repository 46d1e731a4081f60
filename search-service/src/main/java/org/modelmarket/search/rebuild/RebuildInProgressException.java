package org.modelmarket.search.rebuild;

/** A rebuild was asked for while another one runs. */
public class RebuildInProgressException extends RuntimeException {

    public RebuildInProgressException(String message) {
        super(message);
    }
}
