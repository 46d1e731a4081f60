package org.modelmarket.artifact.commit.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.modelmarket.artifact.commit.Branch;
import org.modelmarket.artifact.commit.Commit;
import org.modelmarket.artifact.commit.CommitFile;
import org.modelmarket.artifact.commit.CommitId;
import org.modelmarket.artifact.commit.repository.CommitFileRepository;
import org.modelmarket.artifact.commit.repository.CommitRepository;
import org.modelmarket.artifact.listing.Listing;
import org.modelmarket.artifact.listing.repository.ListingRepository;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.artifact.scan.ScanResult;
import org.modelmarket.artifact.version.repository.VersionRepository;
import org.modelmarket.platform.outbox.OutboxWriter;
import org.modelmarket.platform.problem.ProblemException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * A listing's file history: makes atomic commits (with their {@code CommitCreated} event, in one transaction),
 * resolves revisions (commit id, {@code main}, version name) and lists trees. Access checks are the callers' job.
 */
@ApplicationScoped
public class CommitService {

    private final ListingRepository listings;
    private final CommitRepository commits;
    private final CommitFileRepository files;
    private final VersionRepository versions;
    private final OutboxWriter outbox;

    public CommitService(
            ListingRepository listings,
            CommitRepository commits,
            CommitFileRepository files,
            VersionRepository versions,
            OutboxWriter outbox) {
        this.listings = listings;
        this.commits = commits;
        this.files = files;
        this.versions = versions;
        this.outbox = outbox;
    }

    /**
     * Applies {@code changes} on top of {@code main} as one new commit and moves {@code main} to it. Commits of one
     * listing are serialized by a row lock on the listing. When nothing changes, the head is returned unchanged.
     *
     * @param expectedParent when set, the commit fails with 409 unless {@code main} is still at this commit
     */
    @WithTransaction
    public Uni<CommitOutcome> commit(
            Listing listing, String author, String message, String expectedParent, List<FileChange> changes) {
        return listings.findById(listing.id, LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> new ProblemException(
                        ArtifactProblem.LISTING_NOT_FOUND, "No listing " + listing.coordinates() + "."))
                .chain(() -> commits.atBranch(listing.id, Branch.MAIN))
                .chain(head -> {
                    String headId = head == null ? null : head.id;
                    if (expectedParent != null && !expectedParent.equals(headId)) {
                        throw new ProblemException(
                                ArtifactProblem.PARENT_MISMATCH,
                                "main of " + listing.coordinates() + " is at " + (headId == null ? "no commit" : headId)
                                        + ", not " + expectedParent + "; fetch it and commit again.");
                    }
                    Uni<List<CommitFile>> manifest =
                            head == null ? Uni.createFrom().item(List.of()) : files.files(listing.id, head.id);
                    return manifest.chain(current -> apply(listing, head, author, message, current, changes));
                });
    }

    private Uni<CommitOutcome> apply(
            Listing listing,
            Commit head,
            String author,
            String message,
            List<CommitFile> current,
            List<FileChange> changes) {
        TreeMap<String, CommitFile> tree = new TreeMap<>(CommitId.PATH_ORDER);
        current.forEach(f -> tree.put(f.path, f));
        Map<String, FileChange.Put> puts = new HashMap<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (FileChange change : changes) {
            switch (change) {
                case FileChange.Put put -> {
                    CommitFile existing = tree.get(put.path());
                    if (existing != null && existing.sha256.equals(put.sha256()) && !puts.containsKey(put.path())) {
                        continue; // same bytes at the same path: not a change
                    }
                    tree.put(put.path(), newFile(listing, put));
                    puts.put(put.path(), put);
                }
                case FileChange.Delete delete -> {
                    List<String> gone = tree.keySet().stream()
                            .filter(p -> p.equals(delete.path()) || p.startsWith(delete.path() + "/"))
                            .toList();
                    if (gone.isEmpty()) {
                        throw new ProblemException(
                                ArtifactProblem.FILE_NOT_FOUND,
                                "Listing " + listing.coordinates() + " has no file or folder " + delete.path() + ".");
                    }
                    gone.forEach(p -> {
                        tree.remove(p);
                        puts.remove(p);
                    });
                }
            }
        }
        current.stream().map(f -> f.path).filter(p -> !tree.containsKey(p)).forEach(deleted::add);
        checkNoConflicts(tree, puts.keySet());
        if (puts.isEmpty() && deleted.isEmpty()) {
            if (head == null) {
                throw new ProblemException(ArtifactProblem.FILE_NOT_FOUND, "Nothing to commit.");
            }
            return Uni.createFrom().item(new CommitOutcome(head, false, List.of(), List.of()));
        }
        List<CommitId.Entry> manifest = tree.values().stream()
                .map(f -> new CommitId.Entry(f.path, f.size, f.sha256))
                .toList();
        Commit commit = new Commit();
        commit.listingId = listing.id;
        commit.parentId = head == null ? null : head.id;
        commit.id = CommitId.of(listing.coordinates(), commit.parentId, message, manifest);
        commit.seq = head == null ? 1 : head.seq + 1;
        commit.message = message;
        commit.author = author;
        commit.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        commit.fileCount = tree.size();
        commit.totalSize = tree.values().stream().mapToLong(f -> f.size).sum();
        commit.unsafeFiles = (int) tree.values().stream()
                .filter(f -> f.scanVerdict == ScanResult.Verdict.UNSAFE)
                .count();
        List<String> changedPaths =
                puts.keySet().stream().sorted(CommitId.PATH_ORDER).toList();
        List<String> deletedPaths = deleted.stream().sorted(CommitId.PATH_ORDER).toList();
        List<String> touched = new ArrayList<>(changedPaths);
        touched.addAll(deletedPaths);
        List<CommitFile> added = changedPaths.stream().map(tree::get).toList();
        added.forEach(f -> {
            f.commitId = commit.id;
            f.lastCommit = commit.id;
        });
        CommitCreated event = event(listing, commit, changedPaths, deletedPaths, tree.values());
        return Panache.getSession()
                .chain(session -> session.persist(commit).chain(session::flush))
                .chain(() -> head == null
                        ? Uni.createFrom().item(0)
                        : files.carryOver(listing.id, head.id, commit.id, touched))
                .chain(() -> added.isEmpty() ? Uni.createFrom().voidItem() : files.persist(added))
                .chain(() -> commits.moveBranch(listing.id, Branch.MAIN, commit.id))
                .chain(() -> outbox.append(
                        CommitCreated.TOPIC,
                        "listing",
                        listing.id.toString(),
                        commit.seq,
                        CommitCreated.TYPE,
                        commit.createdAt,
                        event))
                .replaceWith(new CommitOutcome(commit, true, changedPaths, deletedPaths));
    }

    /** A file and a folder may not share a path: {@code a} and {@code a/b} cannot both be files. */
    private static void checkNoConflicts(TreeMap<String, CommitFile> tree, Set<String> changed) {
        for (String path : changed) {
            String descendant = tree.ceilingKey(path + "/");
            if (descendant != null && descendant.startsWith(path + "/")) {
                throw new ProblemException(
                        ArtifactProblem.PATH_CONFLICT,
                        path + " is a folder of the commit (it holds " + descendant + ").");
            }
            int slash = path.indexOf('/');
            while (slash > 0) {
                String ancestor = path.substring(0, slash);
                if (tree.containsKey(ancestor)) {
                    throw new ProblemException(
                            ArtifactProblem.PATH_CONFLICT,
                            ancestor + " is a file, so " + path + " cannot be under it.");
                }
                slash = path.indexOf('/', slash + 1);
            }
        }
    }

    private static CommitFile newFile(Listing listing, FileChange.Put put) {
        CommitFile file = new CommitFile();
        file.listingId = listing.id;
        file.path = put.path();
        file.size = put.size();
        file.sha256 = put.sha256();
        file.scanVerdict = put.scan().verdict();
        file.scanFindings = put.scan().findings().toArray(String[]::new);
        return file;
    }

    private static CommitCreated event(
            Listing listing,
            Commit commit,
            List<String> changedPaths,
            List<String> deletedPaths,
            java.util.Collection<CommitFile> manifest) {
        int safe = 0;
        int notScanned = 0;
        int invalid = 0;
        List<CommitCreated.UnsafeFile> unsafe = new ArrayList<>();
        for (CommitFile f : manifest) {
            switch (f.scanVerdict) {
                case SAFE -> safe++;
                case NOT_SCANNED -> notScanned++;
                case INVALID -> invalid++;
                case UNSAFE -> unsafe.add(new CommitCreated.UnsafeFile(f.path, Arrays.asList(f.scanFindings)));
            }
        }
        return new CommitCreated(
                listing.id,
                listing.coordinates(),
                commit.id,
                commit.parentId,
                commit.message,
                commit.author,
                changedPaths,
                deletedPaths,
                commit.fileCount,
                commit.totalSize,
                new CommitCreated.ScanSummary(safe, notScanned, invalid, unsafe),
                commit.createdAt);
    }

    /**
     * The commit a revision names: a 40-hex commit id of the listing, {@code main} (or {@code HEAD}, as Hub clients
     * say), or a version name published by the catalog. Fails with 404 {@code revision-not-found}.
     */
    public Uni<Commit> resolve(Listing listing, String revision) {
        Uni<Commit> found;
        if (CommitId.isCommitId(revision)) {
            found = commits.commit(listing.id, revision);
        } else if (Branch.MAIN.equals(revision) || "HEAD".equals(revision)) {
            found = commits.atBranch(listing.id, Branch.MAIN);
        } else {
            found = versions.commitOf(listing.id, revision)
                    .chain(id -> id == null ? Uni.createFrom().nullItem() : commits.commit(listing.id, id));
        }
        return found.onItem()
                .ifNull()
                .failWith(() -> new ProblemException(
                        ArtifactProblem.REVISION_NOT_FOUND,
                        "Listing " + listing.coordinates() + " has no revision " + revision
                                + " (a commit id, main, or a published version name)."));
    }

    /**
     * Like {@link #resolve}, but a listing without any commit yet resolves {@code main} to {@code null} (an empty
     * tree) instead of failing: listing the files of a new listing is not an error.
     */
    public Uni<Commit> resolveOrEmpty(Listing listing, String revision) {
        if (Branch.MAIN.equals(revision) || "HEAD".equals(revision)) {
            return commits.atBranch(listing.id, Branch.MAIN);
        }
        return resolve(listing, revision);
    }

    /** The history of {@code main}, newest first. */
    public Uni<List<Commit>> history(Listing listing, int offset, int limit) {
        return commits.history(listing.id, offset, limit);
    }

    /** One file of a commit, or {@code null}. */
    public Uni<CommitFile> file(Commit commit, String path) {
        return files.file(commit.listingId, commit.id, path);
    }

    /**
     * The entries of a commit's tree at {@code folder} ({@code ""} for the root): its direct children, or everything
     * below it when {@code recursive}. A path naming a file lists that file. Fails with 404 when nothing is there.
     */
    public Uni<List<TreeEntry>> tree(Listing listing, Commit commit, String folder, boolean recursive) {
        return files.filesUnder(listing.id, commit.id, folder).chain(found -> {
            if (found.isEmpty() && !folder.isEmpty()) {
                throw new ProblemException(
                        ArtifactProblem.FILE_NOT_FOUND,
                        "Revision " + commit.id + " of " + listing.coordinates() + " has no file or folder " + folder
                                + ".");
            }
            List<String> lastIds =
                    found.stream().map(f -> f.lastCommit).distinct().toList();
            Uni<List<Commit>> lasts =
                    lastIds.isEmpty() ? Uni.createFrom().item(List.of()) : commits.commits(listing.id, lastIds);
            return lasts.map(list -> entries(folder, recursive, found, list));
        });
    }

    private static List<TreeEntry> entries(
            String folder, boolean recursive, List<CommitFile> found, List<Commit> lastCommits) {
        Map<String, Commit> byId = new HashMap<>();
        lastCommits.forEach(c -> byId.put(c.id, c));
        if (found.size() == 1 && found.get(0).path.equals(folder)) {
            return List.of(fileEntry(found.get(0), byId));
        }
        String prefix = folder.isEmpty() ? "" : folder + "/";
        TreeMap<String, TreeEntry> entries = new TreeMap<>(CommitId.PATH_ORDER);
        Map<String, long[]> dirSizes = new HashMap<>();
        Map<String, Commit> dirLast = new HashMap<>();
        for (CommitFile f : found) {
            String rest = f.path.substring(prefix.length());
            // every folder between the listed one and the file (only the first one unless recursive)
            int slash = rest.indexOf('/');
            while (slash > 0) {
                String dir = prefix + rest.substring(0, slash);
                dirSizes.computeIfAbsent(dir, d -> new long[1])[0] += f.size;
                Commit last = byId.get(f.lastCommit);
                dirLast.merge(dir, last, (a, b) -> a == null || b != null && b.seq > a.seq ? b : a);
                if (!recursive) {
                    break;
                }
                slash = rest.indexOf('/', slash + 1);
            }
            if (recursive || rest.indexOf('/') < 0) {
                entries.put(f.path, fileEntry(f, byId));
            }
        }
        dirSizes.forEach((dir, size) -> {
            Commit last = dirLast.get(dir);
            entries.put(dir, new TreeEntry("directory", dir, size[0], null, lastCommit(last), null, null));
        });
        return List.copyOf(entries.values());
    }

    private static TreeEntry fileEntry(CommitFile f, Map<String, Commit> byId) {
        return new TreeEntry(
                "file",
                f.path,
                f.size,
                f.sha256,
                lastCommit(byId.get(f.lastCommit)),
                new TreeEntry.Scan(f.scanVerdict, List.of(f.scanFindings)),
                null);
    }

    private static TreeEntry.LastCommit lastCommit(Commit c) {
        return c == null ? null : new TreeEntry.LastCommit(c.id, c.message, c.createdAt);
    }
}
