package org.modelmarket.artifact.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.quarkus.test.junit.QuarkusTest;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 adapter against a real S3-compatible server (S3Proxy, started by the local stack): content addressing and
 * dedupe, presigned URLs fetched with a plain HTTP client, ranged reads, deletes, multipart writes and their cleanup.
 */
@QuarkusTest
class S3BlobStoreTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    S3BlobStore store;

    @Inject
    ArtifactConfig config;

    private final HttpClient http = HttpClient.newHttpClient();
    private S3Client s3;

    @BeforeEach
    void connect() {
        s3 = S3Clients.client(config.blob().s3());
    }

    @AfterEach
    void nothingIsLeftStaged() {
        assertThat(keys("tmp/")).isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket())).uploads()).isEmpty();
        s3.close();
    }

    @Test
    void smallContentIsStoredOnceUnderItsDigest() throws Exception {
        byte[] bytes = ("config " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(bytes);

        StoredBlob first = store.write(new ByteArrayInputStream(bytes), 1024);
        StoredBlob second = store.write(new ByteArrayInputStream(bytes), 1024);

        assertThat(first).isEqualTo(new StoredBlob(sha256, bytes.length)).isEqualTo(second);
        assertThat(store.exists(sha256)).isTrue();
        assertThat(keys("blobs/sha256/" + sha256)).containsExactly("blobs/sha256/" + sha256);
        try (InputStream in = s3.getObject(b -> b.bucket(bucket()).key("blobs/sha256/" + sha256))) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void locateGivesAPresignedUrlThatAPlainHttpClientCanFetch() throws Exception {
        byte[] bytes = random(300_000, 1);
        String sha256 =
                store.write(new ByteArrayInputStream(bytes), bytes.length).sha256();

        BlobLocation location = store.locate(sha256).await().indefinitely();

        assertThat(location).isInstanceOf(BlobLocation.Presigned.class);
        BlobLocation.Presigned presigned = (BlobLocation.Presigned) location;
        assertThat(presigned.size()).isEqualTo(bytes.length);
        assertThat(presigned.uri().getQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=300");
        HttpResponse<byte[]> full = http.send(
                HttpRequest.newBuilder(presigned.uri()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(bytes);
        // The store serves ranges itself, so a resumed download through the redirect works.
        HttpResponse<byte[]> range = http.send(
                HttpRequest.newBuilder(presigned.uri())
                        .header("Range", "bytes=1000-1009")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 1010));
        // Without the signature the same object is refused: the URL is what grants access.
        URI unsigned = new URI(
                presigned.uri().getScheme(),
                presigned.uri().getAuthority(),
                presigned.uri().getPath(),
                null,
                null);
        HttpResponse<Void> refused =
                http.send(HttpRequest.newBuilder(unsigned).GET().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void adoptStreamsLocalPartsOnceAndRefusesAWrongDigest() throws Exception {
        byte[] first = random(300_000, 7);
        byte[] second = random(1_000, 8);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("s3-adopt");
        java.nio.file.Path one = java.nio.file.Files.write(dir.resolve("1"), first);
        java.nio.file.Path two = java.nio.file.Files.write(dir.resolve("2"), second);
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        String sha256 = sha256(whole);

        StoredBlob blob = store.adopt(List.of(one, two), sha256, whole.length);

        assertThat(blob).isEqualTo(new StoredBlob(sha256, whole.length));
        try (InputStream in = store.open(sha256, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(whole);
        }
        assertThat(one).hasBinaryContent(first);
        String wrong = "e".repeat(64);
        assertThatThrownBy(() -> store.adopt(List.of(one, two), wrong, whole.length))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(sha256);
        assertThat(store.exists(wrong)).isFalse();
    }

    @Test
    void openReadsFromAnOffset() throws Exception {
        byte[] bytes = random(100_000, 2);
        String sha256 =
                store.write(new ByteArrayInputStream(bytes), bytes.length).sha256();

        try (InputStream in = store.open(sha256, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store.open(sha256, 99_990)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 99_990, 100_000));
        }
        try (InputStream in = store.open(sha256, bytes.length)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void deleteRemovesTheBlobAndIsIdempotent() throws Exception {
        byte[] bytes = random(1000, 3);
        String sha256 =
                store.write(new ByteArrayInputStream(bytes), bytes.length).sha256();

        store.delete(sha256);
        store.delete(sha256);

        assertThat(store.exists(sha256)).isFalse();
        assertThat(keys("blobs/sha256/" + sha256)).isEmpty();
        assertThatThrownBy(() -> store.open(sha256, 0)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.locate(sha256).await().indefinitely()).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.locate("../etc/passwd").await().indefinitely())
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void largeContentGoesUpInPartsHoldingOnePartInMemory() throws Exception {
        long partSize = config.blob().s3().partSize().asLongValue();
        long size = 3 * partSize + 12_345; // four parts, the last one short
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        StoredBlob blob = store.write(new GeneratedContent(size, 7, expected), Long.MAX_VALUE);
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertThat(blob).isEqualTo(new StoredBlob(HexFormat.of().formatHex(expected.digest()), size));
        MessageDigest stored = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.open(blob.sha256(), 0)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                stored.update(buffer, 0, read);
            }
        }
        assertThat(HexFormat.of().formatHex(stored.digest())).isEqualTo(blob.sha256());
        // Allocation on the writing thread, a proxy for memory: the store reuses one part buffer, and the SDK's chunked
        // signing copies each byte once into short-lived chunk buffers (measured: about 1.2 times the content). A store
        // that took a fresh buffer per part, or gathered the content, would allocate at least one more copy of it.
        assertThat(allocated).isLessThan(size * 3 / 2 + 2 * partSize);
    }

    @Test
    void largeBlobsAreCopiedToTheirAddressPartByPart() throws Exception {
        S3BlobStore partwise = new S3BlobStore(
                config.blob().s3(),
                S3Clients.client(config.blob().s3()),
                S3Clients.presigner(config.blob().s3()));
        partwise.singleCopyLimit = 0;
        partwise.copyPartSize = S3BlobStore.MIN_PART_SIZE;
        long size = config.blob().s3().partSize().asLongValue() + 3 * MIB; // staged in two parts
        MessageDigest expected = MessageDigest.getInstance("SHA-256");

        StoredBlob blob;
        try {
            blob = partwise.write(new GeneratedContent(size, 11, expected), Long.MAX_VALUE);
        } finally {
            partwise.close();
        }

        assertThat(blob.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(s3.headObject(b -> b.bucket(bucket()).key(S3BlobStore.key(blob.sha256())))
                        .contentLength())
                .isEqualTo(size);
        try (InputStream in = store.open(blob.sha256(), size - 10)) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
    }

    @Test
    void oversizedContentIsRefusedAndNothingIsKept() {
        long partSize = config.blob().s3().partSize().asLongValue();
        List<String> before = keys("blobs/");

        assertThatThrownBy(() -> store.write(new GeneratedContent(2 * partSize + 1, 5, null), 2 * partSize))
                .isInstanceOf(BlobTooLargeException.class);
        assertThatThrownBy(() -> store.write(new ByteArrayInputStream(new byte[1025]), 1024))
                .isInstanceOf(BlobTooLargeException.class);

        assertThat(keys("blobs/")).isEqualTo(before);
    }

    private String bucket() {
        return config.blob().s3().bucket();
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** {@code size} pseudo-random bytes made on the fly (never held whole), digested as they are read. */
    private static final class GeneratedContent extends InputStream {
        private final Random random;
        private final MessageDigest digest;
        private final byte[] block = new byte[8192];
        private long remaining;

        GeneratedContent(long size, long seed, MessageDigest digest) {
            this.remaining = size;
            this.random = new Random(seed);
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(Math.min(length, remaining), block.length);
            random.nextBytes(block);
            System.arraycopy(block, 0, buffer, offset, count);
            if (digest != null) {
                digest.update(block, 0, count);
            }
            remaining -= count;
            return count;
        }
    }
}
