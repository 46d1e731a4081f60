package org.modelmarket.artifact.blob.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blob store on S3-compatible object storage: blob {@code <sha256>} is the object {@code blobs/sha256/<sha256>}.
 * A write streams the content to a staging object under {@code tmp/} (one {@code PutObject} when it fits one part,
 * a multipart upload otherwise, holding one part in memory), computing SHA-256 and size on the way; then the staging
 * object is copied server-side to its content address, unless that exists already, and deleted. Readers never see a
 * partial blob. Reads are served by short-lived presigned GET URLs (clients are redirected to the store).
 */
@ApplicationScoped
public class S3BlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String BLOBS = "blobs/sha256/";
    private static final String STAGING = "tmp/";
    /** S3's smallest part (all but the last). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** Parts of one size before the part size doubles: 10,000 parts (S3's limit) then cover any object. */
    private static final int PARTS_PER_SIZE = 1_000;
    /** CopyObject's limit; larger staging objects are copied part by part (UploadPartCopy). */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final ArtifactConfig.Blob.S3 config;
    private final int partSize;
    /** Package-private so that a test can make the part-by-part copy happen on small blobs. */
    long singleCopyLimit = MAX_SINGLE_COPY;
    /** Range of each UploadPartCopy above {@link #singleCopyLimit}. */
    long copyPartSize = 1024L * 1024 * 1024;

    @Inject
    public S3BlobStore(ArtifactConfig config) {
        this(
                config.blob().s3(),
                S3Clients.client(config.blob().s3()),
                S3Clients.presigner(config.blob().s3()));
    }

    S3BlobStore(ArtifactConfig.Blob.S3 config, S3Client s3, S3Presigner presigner) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
        long configured = config.partSize().asLongValue();
        if (configured < MIN_PART_SIZE || configured > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(
                    "modelmarket.artifact.blob.s3.part-size must be between 5M and 1G, not " + configured);
        }
        this.partSize = (int) configured;
    }

    @PreDestroy
    void close() {
        s3.close();
        presigner.close();
    }

    @Override
    public StoredBlob write(InputStream content, long maxBytes) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[partSize];
        int filled = fill(content, buffer, digest);
        if (filled > maxBytes) {
            throw new BlobTooLargeException(maxBytes);
        }
        if (filled < buffer.length) {
            // Small content: the digest is known before anything is sent, so it goes straight to its address.
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (!exists(sha256)) {
                call(() -> s3.putObject(b -> b.bucket(bucket()).key(key(sha256)), body(buffer, filled)));
            }
            return new StoredBlob(sha256, filled);
        }
        String staging = STAGING + UUID.randomUUID();
        String uploadId = call(() ->
                        s3.createMultipartUpload(b -> b.bucket(bucket()).key(staging)))
                .uploadId();
        try {
            long size = uploadParts(content, maxBytes, digest, buffer, filled, staging, uploadId);
            String sha256 = HexFormat.of().formatHex(digest.digest());
            moveIntoPlace(staging, sha256, size);
            return new StoredBlob(sha256, size);
        } catch (IOException | RuntimeException e) {
            abort(staging, uploadId);
            throw e;
        }
    }

    private long uploadParts(
            InputStream content,
            long maxBytes,
            MessageDigest digest,
            byte[] first,
            int firstLength,
            String staging,
            String uploadId)
            throws IOException {
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = first;
        int length = firstLength;
        long size = firstLength;
        while (length > 0) {
            int partNumber = parts.size() + 1;
            int bytes = length;
            byte[] part = buffer;
            String etag = call(() -> s3.uploadPart(
                            b -> b.bucket(bucket())
                                    .key(staging)
                                    .uploadId(uploadId)
                                    .partNumber(partNumber),
                            body(part, bytes)))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            if (length < buffer.length) {
                break; // a short part is the last one
            }
            if (parts.size() % PARTS_PER_SIZE == 0 && (long) buffer.length * 2 <= Integer.MAX_VALUE - 8) {
                buffer = new byte[buffer.length * 2]; // 10,000 parts cover any size: 1,000 of each doubling
            }
            length = fill(content, buffer, digest);
            size += length;
            if (size > maxBytes) {
                throw new BlobTooLargeException(maxBytes);
            }
        }
        call(() -> s3.completeMultipartUpload(
                b -> b.bucket(bucket()).key(staging).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        return size;
    }

    /** Copies the finished staging object to its content address (unless it is there already), then drops it. */
    private void moveIntoPlace(String staging, String sha256, long size) throws IOException {
        try {
            if (exists(sha256)) {
                LOG.debugf("Blob %s exists already; dropping the staged copy", sha256);
            } else if (size <= singleCopyLimit) {
                call(() -> s3.copyObject(b -> b.sourceBucket(bucket())
                        .sourceKey(staging)
                        .destinationBucket(bucket())
                        .destinationKey(key(sha256))));
            } else {
                copyInParts(staging, key(sha256), size);
            }
        } finally {
            call(() -> s3.deleteObject(b -> b.bucket(bucket()).key(staging)));
        }
    }

    private void copyInParts(String source, String target, long size) throws IOException {
        String uploadId = call(() ->
                        s3.createMultipartUpload(b -> b.bucket(bucket()).key(target)))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += copyPartSize) {
                int partNumber = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(offset + copyPartSize, size) - 1);
                String etag = call(() -> s3.uploadPartCopy(b -> b.sourceBucket(bucket())
                                .sourceKey(source)
                                .destinationBucket(bucket())
                                .destinationKey(target)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .copySourceRange(range)))
                        .copyPartResult()
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
            }
            call(() -> s3.completeMultipartUpload(
                    b -> b.bucket(bucket()).key(target).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            abortQuietly(target, uploadId);
            throw e;
        }
    }

    @Override
    public Uni<BlobLocation> locate(String sha256) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            return Uni.createFrom().failure(new BlobNotFoundException(sha256));
        }
        // The sync client blocks: its HEAD runs on a worker thread, never on the caller's event loop.
        return Uni.createFrom()
                .item(() -> {
                    HeadObjectResponse head = head(sha256);
                    if (head == null) {
                        throw new BlobNotFoundException(sha256);
                    }
                    try {
                        var presigned = presigner.presignGetObject(p -> p.signatureDuration(config.presignDuration())
                                .getObjectRequest(g -> g.bucket(bucket()).key(key(sha256))));
                        return (BlobLocation)
                                new BlobLocation.Presigned(presigned.url().toURI(), head.contentLength());
                    } catch (URISyntaxException e) {
                        throw new IllegalStateException("The presigner made an invalid URL", e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @Override
    public boolean exists(String sha256) throws IOException {
        return SHA256_HEX.matcher(sha256).matches() && call(() -> head(sha256)) != null;
    }

    @Override
    public void delete(String sha256) throws IOException {
        if (SHA256_HEX.matcher(sha256).matches()) {
            call(() -> s3.deleteObject(b -> b.bucket(bucket()).key(key(sha256))));
        }
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new BlobNotFoundException(sha256);
        }
        try {
            return s3.getObject(b -> {
                b.bucket(bucket()).key(key(sha256));
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            });
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(sha256);
        } catch (S3Exception e) {
            if (e.statusCode() == 416 && exists(sha256)) {
                return InputStream.nullInputStream(); // offset at or past the end: nothing left to read
            }
            throw new IOException("S3 GET of blob " + sha256 + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 GET of blob " + sha256 + " failed: " + e.getMessage(), e);
        }
    }

    /** The blob's metadata, or null when the bucket has no such object. */
    private HeadObjectResponse head(String sha256) {
        try {
            return s3.headObject(b -> b.bucket(bucket()).key(key(sha256)));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The object key of a blob. */
    static String key(String sha256) {
        return BLOBS + sha256;
    }

    private String bucket() {
        return config.bucket();
    }

    private void abort(String staging, String uploadId) {
        abortQuietly(staging, uploadId);
        try {
            s3.deleteObject(b -> b.bucket(bucket()).key(staging));
        } catch (SdkException e) {
            LOG.warnf("Could not delete the staging object %s: %s", staging, e.getMessage());
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // Already completed, or the store is unreachable: a bucket lifecycle rule on tmp/ and on incomplete
            // multipart uploads is the backstop (see README).
            LOG.warnf("Could not abort the multipart upload %s of %s: %s", uploadId, key, e.getMessage());
        }
    }

    /** Reads until {@code buffer} is full or the content ends, updating the digest; returns the bytes read. */
    private static int fill(InputStream content, byte[] buffer, MessageDigest digest) throws IOException {
        int filled = content.readNBytes(buffer, 0, buffer.length);
        digest.update(buffer, 0, filled);
        return filled;
    }

    /** The buffer's first bytes as a body the SDK can re-read for a retry, without copying them. */
    private static RequestBody body(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
    }

    /** Turns the SDK's unchecked failures into the port's {@link IOException}. */
    private static <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
