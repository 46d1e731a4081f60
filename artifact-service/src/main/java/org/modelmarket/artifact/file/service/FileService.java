package org.modelmarket.artifact.file.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.file.FileEntry;
import org.modelmarket.artifact.file.FileEntryNotFoundException;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.FileTooLargeException;
import org.modelmarket.artifact.file.repository.FileEntryRepository;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.platform.outbox.OutboxWriter;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Files of a listing: upload into the blob store, list, locate for download and record downloads, under the
 * listing's access rules.
 */
@ApplicationScoped
public class FileService {

    private final ListingAccess access;
    private final FileEntryRepository files;
    private final BlobStore blobs;
    private final ArtifactConfig config;
    private final OutboxWriter outbox;

    public FileService(
            ListingAccess access,
            FileEntryRepository files,
            BlobStore blobs,
            ArtifactConfig config,
            OutboxWriter outbox) {
        this.access = access;
        this.files = files;
        this.blobs = blobs;
        this.config = config;
        this.outbox = outbox;
    }

    /**
     * Stores {@code content} as the file at {@code path} of the listing's main revision, replacing any previous one.
     * Blocking: it streams the request body to the blob store, so it runs on a worker thread; its database steps
     * still run reactively on a Vert.x context. Ownership is checked before a single byte is read.
     *
     * @param declaredLength the request's Content-Length, if any, to refuse oversized uploads up front
     */
    public FileEntry upload(
            String namespace,
            String name,
            FilePath path,
            Caller caller,
            InputStream content,
            OptionalLong declaredLength) {
        Listing listing = await(() -> access.writable(namespace, name, caller));
        long maxBytes = config.upload().maxSize().asLongValue();
        if (declaredLength.isPresent() && declaredLength.getAsLong() > maxBytes) {
            throw new FileTooLargeException(maxBytes);
        }
        StoredBlob blob;
        try {
            blob = blobs.write(content, maxBytes);
        } catch (BlobTooLargeException e) {
            throw new FileTooLargeException(e.maxBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the upload for " + listing.coordinates(), e);
        }
        return await(() -> record(listing.id, path, blob));
    }

    /** The files of the listing's main revision, by path. */
    @WithSession
    public Uni<List<FileEntry>> list(String namespace, String name, Caller caller) {
        return access.readable(namespace, name, caller).chain(listing -> files.list(listing.id, FileEntry.MAIN));
    }

    /**
     * The file at {@code path} and where its bytes are; 404 for unknown listings and files. Records nothing: a
     * conditional or {@code HEAD} request locates the file too, only {@link #recordDownload} counts.
     */
    @WithSession
    public Uni<FileDownload> download(String namespace, String name, FilePath path, Caller caller) {
        return access.readable(namespace, name, caller)
                .chain(listing -> files.find(listing.id, FileEntry.MAIN, path.value())
                        .onItem()
                        .ifNull()
                        .failWith(() -> new FileEntryNotFoundException(listing.coordinates(), path.value()))
                        .chain(file -> blobs.locate(file.sha256)
                                .onFailure(BlobNotFoundException.class)
                                .transform(e -> new IllegalStateException(
                                        "Metadata of " + path + " points at a missing blob " + file.sha256, e))
                                .map(location -> new FileDownload(listing, file, location))));
    }

    /**
     * Records a full download about to be sent: a {@link FileDownloaded} event staged in the outbox, committed before
     * the first byte leaves, then relayed to {@code artifact.downloads} with the request's trace context. If the row
     * cannot be written the download fails rather than going uncounted; a transfer the client aborts later is still
     * counted.
     */
    public Uni<FileDownload> recordDownload(FileDownload download, Caller caller) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what a timestamptz keeps
        FileDownloaded event = new FileDownloaded(
                UUID.randomUUID(),
                download.listing().id,
                download.listing().coordinates(),
                download.file().revision,
                download.file().path,
                download.file().size,
                caller.subject(),
                now);
        // Not about the listing's state: no aggregateversion. The relay is woken by the row's commit (platform outbox).
        return Panache.withTransaction(() -> outbox.append(
                        FileDownloaded.TOPIC,
                        FileDownloaded.AGGREGATE_TYPE,
                        event.listingId().toString(),
                        null,
                        FileDownloaded.TYPE,
                        now,
                        event))
                .replaceWith(download);
    }

    @WithTransaction
    Uni<FileEntry> record(UUID listingId, FilePath path, StoredBlob blob) {
        return files.upsert(listingId, FileEntry.MAIN, path.value(), blob.size(), blob.sha256())
                .chain(() -> files.find(listingId, FileEntry.MAIN, path.value()));
    }

    /** Runs a reactive step on a Vert.x context and waits for it; only for the blocking upload path. */
    private static <T> T await(Supplier<Uni<T>> step) {
        try {
            return VertxContextSupport.subscribeAndAwait(step);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
