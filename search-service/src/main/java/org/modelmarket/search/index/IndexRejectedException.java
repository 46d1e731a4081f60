package org.modelmarket.search.index;

/** The index refused a write for good (e.g. a document that does not fit the mapping); retrying will not help. */
public class IndexRejectedException extends RuntimeException {

    public IndexRejectedException(String message) {
        super(message);
    }
}
