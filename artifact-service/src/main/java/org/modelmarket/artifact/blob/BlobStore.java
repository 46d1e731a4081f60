package org.modelmarket.artifact.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Port to the content-addressed storage of file bytes. Blobs are named by their SHA-256 digest, so identical
 * uploads share one blob and a stored blob never changes. Adapters: {@code filesystem} (default) and {@code s3}.
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
     * Stores the concatenation of local files (a multipart upload's verified parts, in order) as the blob
     * {@code sha256}, a digest the caller computed over exactly these bytes while it received them. Blocking. The
     * files are left in place and must never change afterwards: the filesystem store links a single file into place
     * (and otherwise concatenates them with in-kernel copies) without reading them. This default streams them through
     * {@link #write} (which hashes them again) and refuses the result if the digests differ.
     */
    default StoredBlob adopt(List<Path> files, String sha256, long size) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (Path file : files) {
                streams.add(Files.newInputStream(file));
            }
            StoredBlob blob;
            try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
                blob = write(all, size);
            }
            if (!blob.sha256().equals(sha256) || blob.size() != size) {
                throw new IOException("The files hold " + blob.size() + " bytes with sha256 " + blob.sha256() + ", not "
                        + size + " bytes with " + sha256);
            }
            return blob;
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
        }
    }

    /**
     * Locates the blob with the given digest for reading, without blocking.
     * Fails with {@link BlobNotFoundException} when the store has no such blob.
     */
    Uni<BlobLocation> locate(String sha256);

    /** Whether the store holds the blob. Blocking: call from a worker or virtual thread. */
    boolean exists(String sha256) throws IOException;

    /**
     * Removes the blob; nothing happens when it is absent. Blocking. Only the garbage collector calls it, after
     * checking that no commit and no open upload uses the blob.
     */
    void delete(String sha256) throws IOException;

    /**
     * Opens the blob for reading from {@code offset}. Blocking; the caller closes the stream.
     *
     * @throws BlobNotFoundException when the store has no such blob
     */
    InputStream open(String sha256, long offset) throws IOException;
}
