package org.modelmarket.artifact.commit.rest;

import java.util.List;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.modelmarket.artifact.access.OpenFiles;
import org.modelmarket.artifact.commit.service.CommitService;
import org.modelmarket.artifact.commit.service.TreeEntry;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.CallerContext;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The tree of any revision: one folder or everything, each entry with its last-changing commit, scan result and (files)
 * whether it is open before buying.
 */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/tree")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commits")
public class TreeResource {

    private final CommitService commits;
    private final ListingAccess access;
    private final CallerContext callers;

    public TreeResource(CommitService commits, ListingAccess access, CallerContext callers) {
        this.commits = commits;
        this.access = access;
        this.callers = callers;
    }

    /** A tree listing: the resolved commit ({@code null} for a listing without commits) and its entries. */
    public record Tree(String commit, List<TreeEntry> entries) {}

    @GET
    @jakarta.ws.rs.Path("{revision}")
    @Operation(summary = "The root of a revision's tree (recursive=true: everything)")
    public Uni<Tree> root(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @Size(max = 64) String revision,
            @RestQuery @DefaultValue("false") boolean recursive) {
        return tree(namespace, name, revision, "", recursive);
    }

    @GET
    @jakarta.ws.rs.Path("{revision}/{path: .+}")
    @Operation(summary = "One folder of a revision's tree (recursive=true: everything below it)")
    public Uni<Tree> folder(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @Size(max = 64) String revision,
            @RestPath String path,
            @RestQuery @DefaultValue("false") boolean recursive) {
        String folder = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        FilePath.problem(folder).ifPresent(reason -> {
            throw ProblemException.invalid("path", reason);
        });
        return tree(namespace, name, revision, folder, recursive);
    }

    private Uni<Tree> tree(String namespace, String name, String revision, String folder, boolean recursive) {
        return callers.caller()
                .chain(caller -> Panache.withSession(() -> access.readable(namespace, name, caller)
                        .chain(listing -> commits.resolveOrEmpty(listing, revision)
                                .chain(commit -> {
                                    if (commit == null && folder.isEmpty()) {
                                        return Uni.createFrom().item(new Tree(null, List.of()));
                                    }
                                    if (commit == null) {
                                        throw new ProblemException(
                                                ArtifactProblem.FILE_NOT_FOUND,
                                                "Listing " + listing.coordinates() + " has no files yet.");
                                    }
                                    // The same rule as the file list and the downloads: open files need no
                                    // entitlement or accepted terms.
                                    OpenFiles rule = access.openFiles(listing);
                                    return commits.tree(listing, commit, folder, recursive)
                                            .map(entries -> new Tree(
                                                    commit.id,
                                                    entries.stream()
                                                            .map(e -> e.withOpen(rule.isOpen(e.path())))
                                                            .toList()));
                                }))));
    }
}
