package org.modelmarket.artifact.blob.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;

import io.vertx.mutiny.core.Vertx;

class FileSystemBlobStoreTest {

    @TempDir
    Path root;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.closeAndAwait();
    }

    @Test
    void storesContentUnderItsDigest() throws Exception {
        FileSystemBlobStore store = store();
        byte[] bytes = "hello weights".getBytes(StandardCharsets.UTF_8);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        StoredBlob blob = store.write(new ByteArrayInputStream(bytes), 1024);

        assertThat(blob).isEqualTo(new StoredBlob(expected, bytes.length));
        Path path =
                root.resolve("blobs/sha256").resolve(expected.substring(0, 2)).resolve(expected.substring(2));
        assertThat(path).hasBinaryContent(bytes);
        assertThat(store.locate(expected).await().indefinitely())
                .isEqualTo(new BlobLocation.LocalFile(path, bytes.length));
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void storesContentOfSeveralSlicesArrivingInOddChunks() throws Exception {
        FileSystemBlobStore store = store();
        // Two and a half slices plus a few bytes, read as HTTP chunks would arrive: never a whole slice at a time.
        byte[] bytes = new byte[DirectFileWriter.SLICE * 5 / 2 + 7];
        new java.util.Random(8).nextBytes(bytes);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        ByteArrayInputStream chunks = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 65_521));
            }
        };

        StoredBlob blob = store.write(chunks, bytes.length);

        assertThat(DirectFileWriter.SLICE)
                .as("under half of G1's smallest region")
                .isLessThan(512 * 1024);
        assertThat(blob).isEqualTo(new StoredBlob(expected, bytes.length));
        assertThat(root.resolve("blobs/sha256")
                        .resolve(expected.substring(0, 2))
                        .resolve(expected.substring(2)))
                .hasBinaryContent(bytes);
    }

    @Test
    void identicalContentSharesOneBlob() throws Exception {
        FileSystemBlobStore store = store();
        byte[] bytes = new byte[200_000];

        StoredBlob first = store.write(new ByteArrayInputStream(bytes), bytes.length);
        StoredBlob second = store.write(new ByteArrayInputStream(bytes), bytes.length);

        assertThat(second).isEqualTo(first);
        try (var files = Files.walk(root.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void refusesOversizedContentAndKeepsNothing() {
        FileSystemBlobStore store = store();

        assertThatThrownBy(() -> store.write(new ByteArrayInputStream(new byte[1025]), 1024))
                .isInstanceOf(BlobTooLargeException.class);
        assertThat(root.resolve("tmp")).isEmptyDirectory();
        assertThat(root.resolve("blobs")).doesNotExist();
    }

    @Test
    void reportsUnknownBlobs() {
        FileSystemBlobStore store = store();

        assertThatThrownBy(() -> store.locate("0".repeat(64)).await().indefinitely())
                .isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.locate("../../etc/passwd").await().indefinitely())
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void existsOpensAtOffsetsAndDeletes() throws Exception {
        FileSystemBlobStore store = store();
        byte[] bytes = "0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StoredBlob blob = store.write(new java.io.ByteArrayInputStream(bytes), 1024);

        assertThat(store.exists(blob.sha256())).isTrue();
        try (java.io.InputStream in = store.open(blob.sha256(), 7)) {
            assertThat(in.readAllBytes()).isEqualTo("789".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        store.delete(blob.sha256());
        assertThat(store.exists(blob.sha256())).isFalse();
        store.delete(blob.sha256()); // absent: nothing happens
        assertThatThrownBy(() -> store.open(blob.sha256(), 0)).isInstanceOf(BlobNotFoundException.class);
        assertThat(store.exists("../../etc/passwd")).isFalse();
    }

    @Test
    void adoptsTheConcatenationOfFilesLeavingThemInPlace() throws Exception {
        FileSystemBlobStore store = store();
        Path parts = Files.createDirectories(root.resolve("parts"));
        byte[] first = new byte[300_000];
        new java.util.Random(7).nextBytes(first);
        byte[] second = "the tail".getBytes(StandardCharsets.UTF_8);
        Files.write(parts.resolve("1"), first);
        Files.write(parts.resolve("2"), second);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(first);
        digest.update(second);
        String sha256 = HexFormat.of().formatHex(digest.digest());
        long size = first.length + second.length;

        StoredBlob blob = store.adopt(List.of(parts.resolve("1"), parts.resolve("2")), sha256, size);

        assertThat(blob).isEqualTo(new StoredBlob(sha256, size));
        byte[] stored = Files.readAllBytes(
                root.resolve("blobs/sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2)));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .isEqualTo(sha256);
        assertThat(parts.resolve("1")).hasBinaryContent(first);
        assertThat(parts.resolve("2")).hasBinaryContent(second);
        assertThat(root.resolve("tmp")).isEmptyDirectory();

        // Held already: nothing is copied, whatever the files now hold.
        Files.write(parts.resolve("1"), new byte[0]);
        assertThat(store.adopt(List.of(parts.resolve("1")), sha256, size)).isEqualTo(blob);
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void refusesToAdoptFilesOfAnotherSize() throws Exception {
        FileSystemBlobStore store = store();
        Path part = Files.write(root.resolve("part"), new byte[10]);

        // One file (linked) and several (concatenated): neither stores anything.
        assertThatThrownBy(() -> store.adopt(List.of(part), "a".repeat(64), 11))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("10 bytes, not 11");
        assertThat(store.exists("a".repeat(64))).isFalse();
        assertThatThrownBy(() -> store.adopt(List.of(part, part), "a".repeat(64), 21))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("20 bytes, not 21");
        assertThat(store.exists("a".repeat(64))).isFalse();
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void adoptsASingleFileByLinkingIt() throws Exception {
        FileSystemBlobStore store = store();
        byte[] content = "one staged file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = Files.write(root.resolve("whole"), content);
        String sha256 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));

        store.adopt(List.of(file), sha256, content.length);

        Path blob = store.pathOf(sha256);
        assertThat(Files.getAttribute(blob, "unix:ino")).isEqualTo(Files.getAttribute(file, "unix:ino"));
        assertThat(Files.readAllBytes(blob)).isEqualTo(content);
        // Dropping the staging name leaves the blob.
        Files.delete(file);
        assertThat(Files.readAllBytes(blob)).isEqualTo(content);
    }

    private FileSystemBlobStore store() {
        return new FileSystemBlobStore(root, vertx);
    }
}
