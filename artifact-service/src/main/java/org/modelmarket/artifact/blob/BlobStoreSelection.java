package org.modelmarket.artifact.blob;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.modelmarket.artifact.blob.filesystem.FileSystemBlobStore;
import org.modelmarket.artifact.blob.s3.S3BlobStore;
import org.modelmarket.artifact.config.ArtifactConfig;

/**
 * Picks the blob store adapter at startup from {@code modelmarket.artifact.blob.store} (runtime configuration, so one
 * image serves both). The produced bean is an alternative, so {@code @Inject BlobStore} resolves to it rather than to
 * either adapter; the adapter not chosen is never created (the S3 one would need an S3 endpoint and credentials).
 */
@ApplicationScoped
public class BlobStoreSelection {

    @Produces
    @ApplicationScoped
    @Alternative
    @Priority(1)
    BlobStore selected(ArtifactConfig config, Instance<FileSystemBlobStore> filesystem, Instance<S3BlobStore> s3) {
        return select(config.blob().store(), filesystem, s3);
    }

    static BlobStore select(
            ArtifactConfig.Blob.Store store, Instance<FileSystemBlobStore> filesystem, Instance<S3BlobStore> s3) {
        return switch (store) {
            case FILESYSTEM -> filesystem.get();
            case S3 -> s3.get();
        };
    }
}
