package org.modelmarket.artifact.blob;

import java.io.IOException;
import java.io.InputStream;

import io.smallrye.mutiny.Uni;

/**
 * Port to the content-addressed storage of file bytes. Blobs are named by their SHA-256 digest, so identical
 * uploads share one blob and a stored blob never changes. Adapters: {@code filesystem} (default); S3 comes later.
 */
public interface BlobStore {

    /**
     * Streams {@code content} into the store, computing its SHA-256 and size on the way.
     * Blocking: call from a worker or virtual thread, never from an event loop.
     *
     * @param maxBytes the largest accepted size; beyond it the write stops and nothing is kept
     * @throws BlobTooLargeException when the content exceeds {@code maxBytes}
     */
    StoredBlob write(InputStream content, long maxBytes) throws IOException;

    /**
     * Locates the blob with the given digest for reading, without blocking.
     * Fails with {@link BlobNotFoundException} when the store has no such blob.
     */
    Uni<BlobLocation> locate(String sha256);
}
