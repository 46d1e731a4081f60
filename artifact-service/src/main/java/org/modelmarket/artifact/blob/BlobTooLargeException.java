package org.modelmarket.artifact.blob;

/** The content offered to {@link BlobStore#write} exceeded the allowed size; nothing was stored. */
public class BlobTooLargeException extends RuntimeException {

    private final long maxBytes;

    public BlobTooLargeException(long maxBytes) {
        super("Content exceeds " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
