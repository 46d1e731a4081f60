package org.modelmarket.artifact.blob.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.quarkus.runtime.configuration.MemorySize;
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

    private FileSystemBlobStore store() {
        ArtifactConfig config = new ArtifactConfig() {
            @Override
            public Upload upload() {
                return () -> new MemorySize(java.math.BigInteger.valueOf(1024));
            }

            @Override
            public Blob blob() {
                return new Blob() {
                    @Override
                    public Store store() {
                        return Store.FILESYSTEM;
                    }

                    @Override
                    public Filesystem filesystem() {
                        return () -> root;
                    }

                    @Override
                    public S3 s3() {
                        throw new UnsupportedOperationException("not the S3 adapter");
                    }
                };
            }
        };
        return new FileSystemBlobStore(config, vertx);
    }
}
