package org.modelmarket.artifact.blob;

/** The store holds no blob with the requested digest (metadata and store disagree). */
public class BlobNotFoundException extends RuntimeException {

    public BlobNotFoundException(String sha256) {
        super("No blob " + sha256);
    }
}
