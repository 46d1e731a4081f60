package org.modelmarket.artifact.upload.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.blob.BlobStore;
import org.modelmarket.artifact.blob.StoredBlob;
import org.modelmarket.artifact.blob.filesystem.DirectFileWriter;
import org.modelmarket.artifact.commit.service.CommitOutcome;
import org.modelmarket.artifact.commit.service.CommitService;
import org.modelmarket.artifact.commit.service.FileChange;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.FileTooLargeException;
import org.modelmarket.artifact.gc.BlobLedger;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.artifact.quota.QuotaService;
import org.modelmarket.artifact.scan.BlobScanner;
import org.modelmarket.artifact.scan.ScanResult;
import org.modelmarket.artifact.upload.PartChecksums;
import org.modelmarket.artifact.upload.UploadPart;
import org.modelmarket.artifact.upload.UploadSession;
import org.modelmarket.artifact.upload.repository.UploadPartRepository;
import org.modelmarket.artifact.upload.repository.UploadRepository;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Caller;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Resumable multipart uploads: initiate with the file's path, size and sha256; send parts in any order, each with
 * its own sha256, retrying any of them; list what arrived; complete (the whole file's sha256 is checked: a mismatch
 * is a 422 and nothing is stored or visible; then the blob store takes the file); or abort. Parts are staged on local
 * disk ({@code upload.staging-dir}), so memory stays constant whatever the size. Parts that arrive in order are
 * written back to back into one staging file and feed the whole file's digest as they stream in, so completing an
 * upload sent in order reads nothing back and copies nothing (the store links that file); other parts get files of
 * their own, appended to it at completion. Sessions expire after {@code upload.session-ttl} without activity and are
 * cleaned up with their parts.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);
    /**
     * A part's body is hashed and written in slices of this size: one read of the request stream returns one HTTP
     * chunk (tens of KiB at most), so reads are gathered until the slice is full, which makes one write call and two
     * digest updates per slice instead of per chunk (never a humongous object: {@link DirectFileWriter#SLICE}).
     */
    private static final int BUFFER_SIZE = DirectFileWriter.SLICE;
    /** Read size of staged parts that completion must hash (a heap buffer, so no larger than a slice). */
    private static final int READ_BUFFER_SIZE = DirectFileWriter.SLICE;

    /** An upload and its received parts. */
    public record UploadState(UploadSession session, List<UploadPart> parts) {}

    /** A completed upload: the stored file, its scan result, and the commit (null when not committed). */
    public record Completed(UploadSession session, ScanResult scan, CommitOutcome outcome) {}

    private final ListingAccess access;
    private final UploadRepository sessions;
    private final UploadPartRepository parts;
    private final BlobStore blobs;
    private final BlobLedger ledger;
    private final BlobScanner scanner;
    private final CommitService commits;
    private final QuotaService quota;
    private final ArtifactConfig config;
    /** Per open upload on this instance: its in-order bookkeeping; the instance is the upload's lock. */
    private final ConcurrentMap<UUID, Staged> staging = new ConcurrentHashMap<>();

    /** An open upload's whole-file digest of the in-order parts and what its staging file holds. */
    private record Staged(WholeDigest digest, InOrderFile file) {}

    /** Where each received part's bytes are: parts 1..{@code inFile} in the staging file, the others in their own. */
    private record Layout(int inFile, long[] offsets) {}

    public UploadService(
            ListingAccess access,
            UploadRepository sessions,
            UploadPartRepository parts,
            BlobStore blobs,
            BlobLedger ledger,
            BlobScanner scanner,
            CommitService commits,
            QuotaService quota,
            ArtifactConfig config) {
        this.access = access;
        this.sessions = sessions;
        this.parts = parts;
        this.blobs = blobs;
        this.ledger = ledger;
        this.scanner = scanner;
        this.commits = commits;
        this.quota = quota;
        this.config = config;
    }

    /** Opens an upload of {@code size} bytes with the given sha256, to become {@code path} on completion. */
    public Uni<UploadSession> initiate(
            String namespace, String name, FilePath path, long size, String sha256, Caller caller) {
        long max = config.upload().multipartMaxSize().asLongValue();
        if (size > max) {
            return Uni.createFrom().failure(new FileTooLargeException(max));
        }
        return Panache.withSession(() -> access.writable(namespace, name, caller))
                .call(listing -> quota.check(listing, size))
                // Declaring the digest pins any identical blob against the collector from now on.
                .call(() -> ledger.touch(sha256, size))
                .chain(listing -> Panache.withTransaction(() -> {
                    UploadSession session = new UploadSession();
                    session.id = UUID.randomUUID();
                    session.listingId = listing.id;
                    session.path = path.value();
                    session.size = size;
                    session.sha256 = sha256;
                    session.status = UploadSession.Status.OPEN;
                    session.createdBy = caller.subject();
                    session.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    session.updatedAt = session.createdAt;
                    session.expiresAt = session.createdAt.plus(config.upload().sessionTtl());
                    return sessions.persist(session);
                }));
    }

    /** The upload and the parts received so far. */
    public Uni<UploadState> state(String namespace, String name, UUID id, Caller caller) {
        return Panache.withSession(() -> owned(namespace, name, id, caller)
                .chain(session -> parts.parts(id).map(list -> new UploadState(session, list))));
    }

    /**
     * The checksum(s) a part is sent with: its SHA-256 (64 hex), its CRC32C (8 hex, big-endian), or both; at least
     * one. CRC32C costs a fraction of a SHA-256 pass; the whole file's SHA-256 is verified at completion either way.
     */
    public record PartChecksum(String sha256, String crc32c) {

        public PartChecksum {
            if (sha256 == null && crc32c == null) {
                throw new IllegalArgumentException("A part needs a SHA-256 or a CRC32C");
            }
        }
    }

    /**
     * Stores part {@code number}, replacing an earlier copy. The part's checksum is verified before it counts: a
     * mismatch is a 422 and the earlier copy (if any) stays. Blocking: it streams the request body to disk.
     */
    public UploadPart putPart(
            String namespace,
            String name,
            UUID id,
            int number,
            PartChecksum expected,
            Caller caller,
            InputStream body) {
        UploadSession session = await(() -> Panache.withSession(() -> owned(namespace, name, id, caller)));
        requireOpen(session);
        long max = config.upload().maxPartSize().asLongValue();
        Path dir = stagingDir(id);
        Path temp = null;
        Staged staged = staged(id);
        WholeDigest.Continuation continuation = staged.digest().continuation(number);
        InOrderFile.Append append = staged.file().begin(number, session.size);
        FileChannel whole = null;
        FileChannel own = null;
        try {
            Files.createDirectories(dir);
            if (append != null) {
                whole = openForAppend(id, append);
                if (whole == null) {
                    staged.file().end(append);
                    append = null;
                }
            }
            FileChannel target;
            Path targetPath;
            long start;
            if (whole != null) {
                target = whole;
                targetPath = wholeFile(id);
                start = append.offset();
            } else {
                temp = Files.createTempFile(dir, "part-" + number + "-", ".tmp");
                own = FileChannel.open(temp, StandardOpenOption.WRITE);
                target = own;
                targetPath = temp;
                start = 0;
            }
            // Past the page cache where the filesystem allows: copying into fresh page-cache pages was most of a
            // part's cost (DirectFileWriter).
            DirectFileWriter out = DirectFileWriter.open(
                    targetPath, target, start, config.blob().filesystem().directWrites());
            // Only the checksums the client sent are computed: with a CRC32C alone, each byte is hashed once with
            // SHA-256 (the whole file's running digest) instead of twice.
            MessageDigest digest = expected.sha256() == null ? null : sha256();
            CRC32C crc = expected.crc32c() == null ? null : new CRC32C();
            long size = 0;
            byte[] buffer = new byte[BUFFER_SIZE];
            try (out) {
                int read;
                while ((read = body.readNBytes(buffer, 0, buffer.length)) > 0) {
                    size += read;
                    if (size > max || size > session.size) {
                        throw new FileTooLargeException(Math.min(max, session.size));
                    }
                    if (digest != null) {
                        digest.update(buffer, 0, read);
                    }
                    if (crc != null) {
                        crc.update(buffer, 0, read);
                    }
                    if (continuation != null) {
                        continuation.digest().update(buffer, 0, read);
                    }
                    out.write(buffer, 0, read);
                }
            }
            String actual = digest == null ? null : HexFormat.of().formatHex(digest.digest());
            String actualCrc = crc == null ? null : String.format("%08x", crc.getValue());
            if (actual != null && !actual.equals(expected.sha256())) {
                // An append's bytes stay past the staged parts, where nothing reads them; the next append cuts them.
                throw new ProblemException(
                        ArtifactProblem.CHECKSUM_MISMATCH,
                        "Part " + number + " has sha256 " + actual + ", not " + expected.sha256() + "; send it again.");
            }
            if (actualCrc != null && !actualCrc.equals(expected.crc32c())) {
                throw new ProblemException(
                        ArtifactProblem.CHECKSUM_MISMATCH,
                        "Part " + number + " has CRC32C " + PartChecksums.base64(actualCrc) + ", not "
                                + PartChecksums.base64(expected.crc32c()) + "; send it again.");
            }
            String identity = UploadPart.checksum(actual, actualCrc);
            long partSize = size;
            // Under the upload's lock, so that a completion lists either this part's old copy or its new one, never
            // a file that does not match its recorded digest; and not once the upload is being completed.
            synchronized (staged) {
                UploadSession now = await(() -> Panache.withSession(() -> sessions.findById(id)));
                if (now == null) {
                    throw new ProblemException(ArtifactProblem.UPLOAD_NOT_FOUND, "Upload " + id + " expired.");
                }
                requireOpen(now);
                if (append == null) {
                    stageOwnFile(id, staged.file(), number, identity, temp);
                }
                await(() -> Panache.withTransaction(() -> parts.upsert(id, number, partSize, actual, actualCrc)
                        .call(() -> sessions.update(
                                "updatedAt = ?1, expiresAt = ?2 where id = ?3",
                                Instant.now(),
                                Instant.now().plus(config.upload().sessionTtl()),
                                id))));
                if (append != null) {
                    // An older copy of this part, sent out of order, is superseded by the one in the staging file.
                    deleteQuietly(partFile(id, number));
                    staged.file().appended(append, partSize, identity);
                }
                staged.digest().record(number, identity, continuation);
            }
            UploadPart part = new UploadPart();
            part.uploadId = id;
            part.number = number;
            part.size = partSize;
            part.sha256 = actual;
            part.crc32c = actualCrc;
            return part;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage part " + number + " of upload " + id, e);
        } finally {
            closeQuietly(whole);
            closeQuietly(own);
            if (append != null) {
                staged.file().end(append);
            }
            deleteQuietly(temp);
        }
    }

    /**
     * The staging file opened to write at the append's offset (what lies past it is a failed append's leftover), or
     * null when the file is also a stored blob (linked by a completion that failed later): it must never change.
     */
    private FileChannel openForAppend(UUID id, InOrderFile.Append append) throws IOException {
        Path path = wholeFile(id);
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (isLinked(path)) {
            channel.close();
            return null;
        }
        channel.truncate(append.offset());
        channel.position(append.offset());
        return channel;
    }

    /**
     * Stages a part received into a file of its own (under the upload's lock). A new copy of a part the staging file
     * holds: the same bytes change nothing; other bytes make the file give up that part and the later ones, which
     * are first copied into files of their own, so that at every moment the layout on disk is consistent.
     */
    private void stageOwnFile(UUID id, InOrderFile file, int number, String sha256, Path temp) throws IOException {
        if (number <= file.parts()) {
            if (UploadPart.sameBytes(file.sha256(number), sha256)) {
                return;
            }
            try (FileChannel whole = FileChannel.open(wholeFile(id), StandardOpenOption.READ)) {
                for (InOrderFile.Slice slice : file.dropFrom(number)) {
                    Path copy = Files.createTempFile(stagingDir(id), "part-" + slice.number() + "-", ".tmp");
                    try (FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                        transfer(whole, slice.offset(), slice.size(), out);
                    }
                    Files.move(
                            copy,
                            partFile(id, slice.number()),
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        Files.move(temp, partFile(id, number), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Assembles the parts 1..n in order into the blob store, verifies the whole file's sha256 and size, scans it
     * and, unless {@code commit} is false, commits it at the declared path. Blocking. 409 when parts are missing,
     * 422 on a digest mismatch (the upload stays open: resend the wrong parts and complete again).
     */
    public Completed complete(String namespace, String name, UUID id, Caller caller, boolean commit, String message) {
        UploadSession session = await(() -> Panache.withSession(() -> owned(namespace, name, id, caller)));
        if (session.status == UploadSession.Status.COMPLETED) {
            throw new ProblemException(
                    ArtifactProblem.UPLOAD_NOT_FOUND,
                    "Upload " + id + " is completed already (commit " + session.commitId + ").");
        }
        requireOpen(session);
        Listing listing = await(() -> Panache.withSession(() -> access.writable(namespace, name, caller)));
        Staged staged = staged(id);
        List<UploadPart> received;
        WholeDigest.Prefix prefix;
        // Parts finish under this lock too: from the claim on, the staged files are exactly the listed parts.
        synchronized (staged) {
            received = await(() -> Panache.withSession(() -> parts.parts(id)));
            checkComplete(session, received);
            int claimed = await(() -> Panache.withTransaction(
                    () -> sessions.transition(id, UploadSession.Status.OPEN, UploadSession.Status.COMPLETING)));
            if (claimed == 0) {
                throw new ProblemException(
                        ArtifactProblem.UPLOAD_INCOMPLETE, "Upload " + id + " is being completed by another request.");
            }
            // Only the request that claimed the upload seals (and unseals) its staging file.
            if (!staged.file().seal()) {
                await(() -> Panache.withTransaction(
                        () -> sessions.transition(id, UploadSession.Status.COMPLETING, UploadSession.Status.OPEN)));
                throw new ProblemException(
                        ArtifactProblem.UPLOAD_INCOMPLETE,
                        "Upload " + id + " is still receiving a part; complete it once that part is answered.");
            }
            prefix = staged.digest()
                    .prefix(received.stream().map(UploadPart::checksum).toList());
        }
        boolean done = false;
        try {
            Layout layout = layout(id, received);
            String sha256 = wholeSha256(session, received, prefix, layout);
            if (!sha256.equals(session.sha256)) {
                throw new ProblemException(
                        ArtifactProblem.CHECKSUM_MISMATCH,
                        "The assembled file has sha256 " + sha256 + ", not the declared " + session.sha256
                                + "; nothing was committed. Check the parts and complete again.");
            }
            StoredBlob blob = store(session, received, sha256, layout);
            await(() -> ledger.touch(blob.sha256(), blob.size()));
            ScanResult scan = scanner.scan(session.path, blob.sha256(), blob.size());
            CommitOutcome outcome = null;
            if (commit) {
                outcome = await(() -> commits.commit(
                        listing,
                        caller.subject(),
                        message == null || message.isBlank() ? "Upload " + session.path : message,
                        null,
                        List.of(new FileChange.Put(session.path, blob.size(), blob.sha256(), scan))));
            }
            String commitId = outcome == null ? null : outcome.commit().id;
            await(() -> Panache.withTransaction(() -> sessions.update(
                    "status = ?1, commitId = ?2, updatedAt = ?3, expiresAt = ?4 where id = ?5",
                    UploadSession.Status.COMPLETED,
                    commitId,
                    Instant.now(),
                    Instant.now().plus(config.upload().sessionTtl()),
                    id)));
            done = true;
            session.status = UploadSession.Status.COMPLETED;
            session.commitId = commitId;
            staging.remove(id);
            deleteStaging(id);
            return new Completed(session, scan, outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not complete upload " + id, e);
        } finally {
            if (!done) {
                await(() -> Panache.withTransaction(
                        () -> sessions.transition(id, UploadSession.Status.COMPLETING, UploadSession.Status.OPEN)));
                staged.file().unseal();
            }
        }
    }

    /** Aborts an upload: its parts are deleted at once, the session is kept (aborted) until it expires. */
    public Uni<Void> abort(String namespace, String name, UUID id, Caller caller) {
        return Panache.withSession(() -> owned(namespace, name, id, caller))
                .invoke(UploadService::requireOpen)
                .chain(session -> Panache.withTransaction(
                        () -> sessions.transition(id, UploadSession.Status.OPEN, UploadSession.Status.ABORTED)))
                .invoke(() -> {
                    staging.remove(id);
                    deleteStaging(id);
                })
                .replaceWithVoid();
    }

    /** Deletes expired sessions and their staged parts. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Blocking
    void cleanScheduled() {
        cleanExpired(Instant.now());
    }

    /** Deletes sessions that expired before {@code now}; the number deleted. Blocking. */
    public int cleanExpired(Instant now) {
        List<UploadSession> expired = await(() -> Panache.withSession(() -> sessions.expired(now, 500)));
        for (UploadSession session : expired) {
            staging.remove(session.id);
            deleteStaging(session.id);
            await(() -> Panache.withTransaction(() -> sessions.deleteById(session.id)));
        }
        if (!expired.isEmpty()) {
            LOG.infof("Deleted %d expired uploads", expired.size());
        }
        return expired.size();
    }

    /**
     * Where the received parts are, read from disk so that it holds after a restart too: the leading parts without a
     * file of their own are in the staging file, back to back.
     */
    private Layout layout(UUID id, List<UploadPart> received) throws IOException {
        long[] offsets = new long[received.size()];
        int inFile = 0;
        long offset = 0;
        for (UploadPart part : received) {
            if (Files.exists(partFile(id, part.number))) {
                break;
            }
            offsets[inFile++] = offset;
            offset += part.size;
        }
        if (inFile > 0 && (!Files.exists(wholeFile(id)) || Files.size(wholeFile(id)) < offset)) {
            throw new IOException("The staging file of upload " + id + " lacks parts 1.." + inFile);
        }
        return new Layout(inFile, offsets);
    }

    /**
     * The whole file's SHA-256: the digest carried along while the parts arrived in order, continued over any parts it
     * does not cover (sent out of order, or staged before a restart) by reading them back.
     */
    private String wholeSha256(
            UploadSession session, List<UploadPart> received, WholeDigest.Prefix prefix, Layout layout)
            throws IOException {
        MessageDigest digest = prefix.digest();
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
        for (int i = prefix.parts(); i < received.size(); i++) {
            UploadPart part = received.get(i);
            boolean inFile = i < layout.inFile();
            Path path = inFile ? wholeFile(session.id) : partFile(session.id, part.number);
            long position = inFile ? layout.offsets()[i] : 0;
            try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                long left = part.size;
                while (left > 0) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                    int read = in.read(buffer, position);
                    if (read < 0) {
                        throw new IOException("Part " + part.number + " of upload " + session.id + " is short");
                    }
                    digest.update(buffer.array(), 0, read);
                    position += read;
                    left -= read;
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Hands the verified file to the blob store. The parts in the staging file stay where they are; the others are
     * appended to it (in-kernel copies), so the store gets one file, which the filesystem store links instead of
     * copying. A staging file that is a stored blob already (an earlier completion linked it and failed later) is
     * first replaced by a copy of its parts, so that a stored blob never changes.
     */
    private StoredBlob store(UploadSession session, List<UploadPart> received, String sha256, Layout layout)
            throws IOException {
        Path whole = wholeFile(session.id);
        long inFileBytes = 0;
        for (int i = 0; i < layout.inFile(); i++) {
            inFileBytes += received.get(i).size;
        }
        if (isLinked(whole)) {
            Path copy = Files.createTempFile(stagingDir(session.id), "whole-", ".tmp");
            try (FileChannel in = FileChannel.open(whole, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                transfer(in, 0, inFileBytes, out);
            }
            Files.move(copy, whole, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        try (FileChannel out = FileChannel.open(whole, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.truncate(inFileBytes);
            long position = inFileBytes;
            for (UploadPart part : received.subList(layout.inFile(), received.size())) {
                try (FileChannel in = FileChannel.open(partFile(session.id, part.number), StandardOpenOption.READ)) {
                    out.position(position);
                    transfer(in, 0, part.size, out);
                    position += part.size;
                }
            }
        }
        return blobs.adopt(List.of(whole), sha256, session.size);
    }

    /** Copies {@code length} bytes from {@code position} of {@code in} to {@code out}'s position, in the kernel. */
    private static void transfer(FileChannel in, long position, long length, FileChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            long copied = in.transferTo(position + done, length - done, out);
            if (copied <= 0) {
                throw new IOException("A staged file shrank while it was copied");
            }
            done += copied;
        }
    }

    /**
     * Whether the file has another name (a filesystem blob store linked it into place) and so must never change;
     * where the link count is unknown, it is assumed linked (staging then copies instead of appending).
     */
    private static boolean isLinked(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try {
            return (Integer) Files.getAttribute(path, "unix:nlink") > 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }

    private Staged staged(UUID id) {
        return staging.computeIfAbsent(
                id, key -> new Staged(new WholeDigest(), new InOrderFile(!Files.exists(wholeFile(key)))));
    }

    private static void checkComplete(UploadSession session, List<UploadPart> received) {
        List<Integer> missing = new ArrayList<>();
        long total = 0;
        int expected = 1;
        for (UploadPart part : received) {
            while (expected < part.number) {
                missing.add(expected++);
            }
            total += part.size;
            expected = part.number + 1;
        }
        if (!missing.isEmpty() || total != session.size) {
            throw new ProblemException(
                    ArtifactProblem.UPLOAD_INCOMPLETE,
                    "Upload " + session.id + " has " + received.size() + " parts with " + total + " of "
                            + session.size + " bytes" + (missing.isEmpty() ? "" : "; missing parts " + missing)
                            + ". Send the missing parts, then complete again.");
        }
    }

    private Uni<UploadSession> owned(String namespace, String name, UUID id, Caller caller) {
        return access.writable(namespace, name, caller)
                .chain(listing -> sessions.findById(id).map(session -> {
                    if (session == null
                            || !session.listingId.equals(listing.id)
                            || session.expiresAt.isBefore(Instant.now())) {
                        throw new ProblemException(
                                ArtifactProblem.UPLOAD_NOT_FOUND,
                                "Listing " + listing.coordinates() + " has no upload " + id + ".");
                    }
                    return session;
                }));
    }

    private static void requireOpen(UploadSession session) {
        if (session.status != UploadSession.Status.OPEN) {
            throw new ProblemException(
                    ArtifactProblem.UPLOAD_NOT_FOUND,
                    "Upload " + session.id + " is " + session.status.name().toLowerCase() + ".");
        }
    }

    private Path stagingDir(UUID id) {
        return config.upload().stagingDir().toAbsolutePath().resolve(id.toString());
    }

    private Path partFile(UUID id, int number) {
        return stagingDir(id).resolve(String.format("%05d.part", number));
    }

    /** The staging file: the parts received in order, back to back, then (at completion) the others. */
    private Path wholeFile(UUID id) {
        return stagingDir(id).resolve("whole");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debugf(e, "Could not close a staging file");
        }
    }

    private void deleteStaging(UUID id) {
        Path dir = stagingDir(id);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(UploadService::deleteQuietly);
        } catch (IOException e) {
            LOG.warnf(e, "Could not delete the staged parts of upload %s", id);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debugf(e, "Could not delete %s", path);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

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
