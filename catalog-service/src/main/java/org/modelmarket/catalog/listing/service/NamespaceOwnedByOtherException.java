package org.modelmarket.catalog.listing.service;

/** The namespace belongs to another subject (403). */
public class NamespaceOwnedByOtherException extends RuntimeException {

    public NamespaceOwnedByOtherException(String namespace) {
        super("Namespace " + namespace + " belongs to another vendor");
    }
}
