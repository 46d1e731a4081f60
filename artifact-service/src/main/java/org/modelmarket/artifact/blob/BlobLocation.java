package org.modelmarket.artifact.blob;

import java.nio.file.Path;

/**
 * Where a blob's bytes can be read from. Sealed so that the download endpoint handles every kind; the S3 adapter
 * will add a pre-signed redirect.
 */
public sealed interface BlobLocation {

    /** A file on the local filesystem, sent with zero-copy file transfer. */
    record LocalFile(Path path, long size) implements BlobLocation {}
}
