package org.modelmarket.artifact.file.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.access.OpenFiles;
import org.modelmarket.artifact.blob.BlobNotFoundException;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.blob.BlobTooLargeException;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.commit.Commit;
import org.modelmarket.artifact.commit.CommitFile;
import org.modelmarket.artifact.commit.repository.CommitFileRepository;
import org.modelmarket.artifact.commit.repository.CommitRepository;
import org.modelmarket.artifact.commit.service.CommitOutcome;
import org.modelmarket.artifact.commit.service.CommitService;
import org.modelmarket.artifact.commit.service.FileChange;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.file.FileEntryNotFoundException;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.FileTooLargeException;
import org.modelmarket.artifact.gc.BlobLedger;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.repository.ListingRepository;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.artifact.quota.QuotaService;
import org.modelmarket.artifact.scan.BlobScanner;
import org.modelmarket.artifact.scan.ScanResult;
import org.modelmarket.artifact.upload.repository.UploadRepository;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Files of a listing: single uploads and atomic multi-file commits into the blob store, deletions, and locating a
 * file of any revision for download, under the listing's access rules. Every change is a commit
 * ({@link CommitService}); the bytes are verified and scanned before the commit makes them visible.
 */
@ApplicationScoped
public class FileService {

    private final ListingAccess access;
    private final CommitService commits;
    private final CommitFileRepository commitFiles;
    private final UploadRepository uploads;
    private final ListingRepository listings;
    private final CommitRepository commitRepository;
    private final BlobStore blobs;
    private final BlobScanner scanner;
    private final QuotaService quota;
    private final BlobLedger ledger;
    private final ArtifactConfig config;

    public FileService(
            ListingAccess access,
            CommitService commits,
            CommitFileRepository commitFiles,
            UploadRepository uploads,
            ListingRepository listings,
            CommitRepository commitRepository,
            BlobStore blobs,
            BlobScanner scanner,
            QuotaService quota,
            BlobLedger ledger,
            ArtifactConfig config) {
        this.access = access;
        this.commits = commits;
        this.commitFiles = commitFiles;
        this.uploads = uploads;
        this.listings = listings;
        this.commitRepository = commitRepository;
        this.blobs = blobs;
        this.scanner = scanner;
        this.quota = quota;
        this.ledger = ledger;
        this.config = config;
    }

    /** A change requested by a client: content inline, content already uploaded (by sha256), or a deletion. */
    public sealed interface Operation {
        /** The path the operation is about. */
        FilePath path();

        /** Adds the given bytes (small files). */
        record AddContent(FilePath path, byte[] content, String expectedSha256) implements Operation {}

        /** Adds content this listing already holds or uploaded through a multipart upload. */
        record AddBlob(FilePath path, String sha256) implements Operation {}

        /** Deletes a file or a folder. */
        record Delete(FilePath path) implements Operation {}
    }

    /**
     * Stores {@code content} as the file at {@code path}, committed on {@code main} (replacing any previous file).
     * Blocking: it streams the request body to the blob store, so it runs on a worker thread; its database steps
     * still run reactively on a Vert.x context. Ownership and quota are checked before a single byte is read.
     *
     * @param declaredLength the request's Content-Length, if any, to refuse oversized uploads up front
     */
    public FileUpload upload(
            String namespace,
            String name,
            FilePath path,
            Caller caller,
            InputStream content,
            OptionalLong declaredLength,
            String message) {
        Listing listing = await(() -> access.writable(namespace, name, caller));
        long maxBytes = config.upload().maxSize().asLongValue();
        if (declaredLength.isPresent() && declaredLength.getAsLong() > maxBytes) {
            throw new FileTooLargeException(maxBytes);
        }
        await(() -> quota.check(listing, declaredLength.orElse(0)));
        StoredBlob blob = write(listing, content, maxBytes);
        ScanResult scan = scanner.scan(path.value(), blob.sha256(), blob.size());
        await(() -> quota.check(listing, blob.size()));
        CommitOutcome outcome = await(() -> commits.commit(
                listing,
                caller.subject(),
                message == null || message.isBlank() ? "Upload " + path.value() : message,
                null,
                List.of(new FileChange.Put(path.value(), blob.size(), blob.sha256(), scan))));
        return new FileUpload(path.value(), blob.size(), blob.sha256(), scan, outcome);
    }

    /**
     * Applies several additions and deletions as one commit: all of them become visible together, or none. Inline
     * content is stored, verified against its declared sha256 and scanned first; content named by sha256 must be
     * content this listing already holds or completed through a multipart upload (so that a digest alone never grants
     * access to another listing's bytes). Blocking, like {@link #upload}.
     */
    public CommitOutcome commit(
            String namespace,
            String name,
            Caller caller,
            String message,
            String expectedParent,
            List<Operation> operations) {
        Listing listing = await(() -> access.writable(namespace, name, caller));
        long maxBytes = config.upload().maxSize().asLongValue();
        List<FileChange> changes = new ArrayList<>();
        long added = 0;
        for (Operation operation : operations) {
            String path = operation.path().value();
            switch (operation) {
                case Operation.AddContent add -> {
                    if (add.content().length > maxBytes) {
                        throw new FileTooLargeException(maxBytes);
                    }
                    StoredBlob blob = write(listing, new ByteArrayInputStream(add.content()), maxBytes);
                    if (add.expectedSha256() != null && !add.expectedSha256().equals(blob.sha256())) {
                        throw new ProblemException(
                                ArtifactProblem.CHECKSUM_MISMATCH,
                                "The content of " + path + " has sha256 " + blob.sha256() + ", not "
                                        + add.expectedSha256() + ".");
                    }
                    added += blob.size();
                    changes.add(new FileChange.Put(
                            path, blob.size(), blob.sha256(), scanner.scan(path, blob.sha256(), blob.size())));
                }
                case Operation.AddBlob add -> {
                    long size = await(() -> knownSize(listing, add.sha256()));
                    added += size;
                    changes.add(new FileChange.Put(path, size, add.sha256(), scanner.scan(path, add.sha256(), size)));
                }
                case Operation.Delete delete -> changes.add(new FileChange.Delete(path));
            }
        }
        long total = added;
        await(() -> quota.check(listing, total));
        return await(() -> commits.commit(listing, caller.subject(), message, expectedParent, changes));
    }

    /** Deletes the file (or folder) at {@code path} from {@code main}, as a commit. */
    public Uni<CommitOutcome> delete(String namespace, String name, FilePath path, Caller caller, String message) {
        return access.writable(namespace, name, caller)
                .chain(listing -> commits.commit(
                        listing,
                        caller.subject(),
                        message == null || message.isBlank() ? "Delete " + path.value() : message,
                        null,
                        List.of(new FileChange.Delete(path.value()))));
    }

    /** The files of a revision and the listing's open-file rule, which says which of them anyone may read. */
    public record Listed(List<CommitFile> files, OpenFiles openFiles) {}

    /** The files of a revision of the listing, by path. */
    @WithSession
    public Uni<Listed> list(String namespace, String name, String revision, Caller caller) {
        return access.readable(namespace, name, caller)
                .chain(listing -> commits.resolveOrEmpty(listing, revision)
                        .chain(commit -> commit == null
                                ? Uni.createFrom().item(List.<CommitFile>of())
                                : commitFiles.files(commit.listingId, commit.id))
                        .map(files -> new Listed(files, access.openFiles(listing))));
    }

    /**
     * The file at {@code path} of {@code revision} and where its bytes are; 404 for unknown listings, revisions and
     * files, and the access refusals of {@link ListingAccess#checkDownload}. Records nothing: a conditional or
     * {@code HEAD} request locates the file too.
     */
    @WithSession
    public Uni<FileDownload> download(String namespace, String name, FilePath path, String revision, Caller caller) {
        return access.readable(namespace, name, caller)
                .chain(listing -> commits.resolveOrEmpty(listing, revision)
                        .chain(commit -> (commit == null
                                        ? Uni.createFrom().<CommitFile>nullItem()
                                        : commits.file(commit, path.value()))
                                .onItem()
                                .ifNull()
                                .failWith(() -> new FileEntryNotFoundException(listing.coordinates(), path.value()))
                                .call(file -> access.checkDownload(listing, path.value(), caller))
                                .chain(file -> locate(listing, commit, file))));
    }

    /**
     * The file a signed URL grants (access was checked when it was signed); 403 {@code invalid-signature} when the
     * listing, commit or file is gone.
     */
    @WithSession
    public Uni<FileDownload> signedDownload(SignedUrls.Grant grant) {
        Supplier<ProblemException> gone = () -> new ProblemException(
                ArtifactProblem.INVALID_SIGNATURE, "The signed URL names a file that no longer exists.");
        return listings.findById(grant.listingId())
                .onItem()
                .ifNull()
                .failWith(gone)
                .chain(listing -> commitRepository
                        .commit(listing.id, grant.commit())
                        .onItem()
                        .ifNull()
                        .failWith(gone)
                        .chain(commit -> commits.file(commit, grant.path())
                                .onItem()
                                .ifNull()
                                .failWith(gone)
                                .invoke(file -> {
                                    if (!file.sha256.equals(grant.sha256())) {
                                        throw gone.get();
                                    }
                                })
                                .chain(file -> locate(listing, commit, file))));
    }

    /** Locates the bytes of a manifest entry. */
    public Uni<FileDownload> locate(Listing listing, Commit commit, CommitFile file) {
        return blobs.locate(file.sha256)
                .onFailure(BlobNotFoundException.class)
                .transform(e -> new IllegalStateException(
                        "Manifest entry " + file.path + " points at a missing blob " + file.sha256, e))
                .map(location -> new FileDownload(listing, commit, file, location));
    }

    /** The size of a blob the listing may commit by digest; 422 when it may not. */
    @WithSession
    Uni<Long> knownSize(Listing listing, String sha256) {
        return commitFiles
                .blobReferencedBy(listing.id, sha256)
                .chain(known -> known ? Uni.createFrom().item(true) : uploads.completedBy(listing.id, sha256))
                .chain(allowed -> {
                    if (!allowed) {
                        throw new ProblemException(
                                ArtifactProblem.UNKNOWN_BLOB,
                                "Listing " + listing.coordinates() + " holds no content with sha256 " + sha256
                                        + "; upload it first (POST .../uploads).");
                    }
                    return blobs.locate(sha256)
                            .onFailure(BlobNotFoundException.class)
                            .transform(e -> new ProblemException(
                                    ArtifactProblem.UNKNOWN_BLOB, "No stored content with sha256 " + sha256 + "."))
                            .map(location -> location.size());
                });
    }

    /**
     * Writes a blob and records its use in the ledger; if the collector removed an identical old blob in between,
     * the upload is refused with 503 (retry) rather than committing missing content.
     */
    StoredBlob write(Listing listing, InputStream content, long maxBytes) {
        try {
            StoredBlob blob = blobs.write(content, maxBytes);
            await(() -> ledger.touch(blob.sha256(), blob.size()));
            if (!blobs.exists(blob.sha256())) {
                throw new ProblemException(
                        StandardProblem.UNAVAILABLE, "The content was collected while it was stored; upload it again.");
            }
            return blob;
        } catch (BlobTooLargeException e) {
            throw new FileTooLargeException(e.maxBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the upload for " + listing.coordinates(), e);
        }
    }

    /** Runs a reactive step on a Vert.x context and waits for it; only for the blocking upload paths. */
    static <T> T await(Supplier<Uni<T>> step) {
        try {
            return VertxContextSupport.subscribeAndAwait(step);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
