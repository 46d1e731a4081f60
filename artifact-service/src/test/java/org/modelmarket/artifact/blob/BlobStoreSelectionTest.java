package org.modelmarket.artifact.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.blob.filesystem.FileSystemBlobStore;
import org.modelmarket.artifact.blob.s3.S3BlobStore;
import org.modelmarket.artifact.config.ArtifactConfig;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;

/** {@code modelmarket.artifact.blob.store} picks the adapter behind {@code @Inject BlobStore} at startup. */
@QuarkusTest
class BlobStoreSelectionTest {

    @Inject
    BlobStore injected;

    @Test
    void theFilesystemIsTheDefault() throws Exception {
        byte[] bytes = "selected by default".getBytes(StandardCharsets.UTF_8);
        String sha256 = injected.write(new ByteArrayInputStream(bytes), 1024).sha256();

        assertThat(injected.locate(sha256).await().indefinitely()).isInstanceOf(BlobLocation.LocalFile.class);
    }

    @Test
    void s3IsChosenWhenConfigured() throws Exception {
        BlobStore chosen = BlobStoreSelection.select(
                ArtifactConfig.Blob.Store.S3,
                Arc.container().select(FileSystemBlobStore.class),
                Arc.container().select(S3BlobStore.class));
        byte[] bytes = "selected by configuration".getBytes(StandardCharsets.UTF_8);
        String sha256 = chosen.write(new ByteArrayInputStream(bytes), 1024).sha256();

        assertThat(chosen.locate(sha256).await().indefinitely()).isInstanceOf(BlobLocation.Presigned.class);
    }
}
