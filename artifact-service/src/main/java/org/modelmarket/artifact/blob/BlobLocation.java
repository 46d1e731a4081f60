package org.modelmarket.artifact.blob;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a blob's bytes can be read from. Sealed so that the download endpoint handles every kind: a local file is sent
 * zero-copy, a presigned object-store URL is answered with a redirect.
 */
public sealed interface BlobLocation {

    /** The blob's size in bytes. */
    long size();

    /** A file on the local filesystem, sent with zero-copy file transfer. */
    record LocalFile(Path path, long size) implements BlobLocation {}

    /** A short-lived URL at which the store itself serves the bytes (S3 presigned GET); clients are redirected. */
    record Presigned(URI uri, long size) implements BlobLocation {}
}
