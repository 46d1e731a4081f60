package org.modelmarket.artifact.commit.rest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.commit.service.CommitOutcome;
import org.modelmarket.artifact.commit.service.CommitService;
import org.modelmarket.artifact.commit.service.TreeEntry;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.service.FileService;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** A listing's history: list commits, show one, make an atomic commit, and list the tree of any revision. */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commits")
public class CommitResource {

    private final CommitService commits;
    private final FileService files;
    private final ListingAccess access;
    private final CallerContext callers;

    public CommitResource(CommitService commits, FileService files, ListingAccess access, CallerContext callers) {
        this.commits = commits;
        this.files = files;
        this.access = access;
        this.callers = callers;
    }

    /** A page of the history, newest first. */
    public record History(List<CommitView> commits, int offset, int limit) {}

    /** A tree listing: the resolved commit and its entries. */
    public record Tree(String commit, List<TreeEntry> entries) {}

    @GET
    @jakarta.ws.rs.Path("commits")
    @Operation(summary = "The history of main, newest first")
    public Uni<History> history(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestQuery @DefaultValue("0") @Min(0) int offset,
            @RestQuery @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return callers.caller()
                .chain(caller -> Panache.withSession(() -> access.readable(namespace, name, caller)
                        .chain(listing -> commits.history(listing, offset, limit))))
                .map(list -> new History(list.stream().map(CommitView::of).toList(), offset, limit));
    }

    @GET
    @jakarta.ws.rs.Path("commits/{revision}")
    @Operation(summary = "One commit, by id, main, or version name")
    public Uni<CommitView> commit(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @Size(max = 64) String revision) {
        return callers.caller()
                .chain(caller -> Panache.withSession(() ->
                        access.readable(namespace, name, caller).chain(listing -> commits.resolve(listing, revision))))
                .map(CommitView::of);
    }

    /** Blocking: inline content is written to the blob store and scanned before the commit. */
    @POST
    @jakarta.ws.rs.Path("commits")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VENDOR, Roles.ADMIN})
    @Blocking
    @Operation(summary = "An atomic commit of several additions and deletions on main (owners only)")
    public RestResponse<CommitView> create(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @Valid @NotNull CommitRequest request) {
        CommitOutcome outcome = files.commit(
                namespace, name, callers.current(), request.message(), request.parent(), operations(request));
        return RestResponse.ResponseBuilder.create(
                        outcome.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        CommitView.of(outcome))
                .location(java.net.URI.create(
                        "/api/v1/listings/" + namespace + "/" + name + "/commits/" + outcome.commit().id))
                .build();
    }

    @GET
    @jakarta.ws.rs.Path("tree/{revision}")
    @Operation(summary = "The root of a revision's tree (recursive=true: everything)")
    public Uni<Tree> root(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @Size(max = 64) String revision,
            @RestQuery @DefaultValue("false") boolean recursive) {
        return tree(namespace, name, revision, "", recursive);
    }

    @GET
    @jakarta.ws.rs.Path("tree/{revision}/{path: .+}")
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
                        .chain(listing -> commits.resolve(listing, revision)
                                .chain(commit -> commits.tree(listing, commit, folder, recursive)
                                        .map(entries -> new Tree(commit.id, entries))))));
    }

    private static List<FileService.Operation> operations(CommitRequest request) {
        List<FileService.Operation> operations = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < request.operations().size(); i++) {
            CommitRequest.Operation op = request.operations().get(i);
            FilePath path = new FilePath(op.path());
            String field = "operations[" + i + "]";
            if ("delete".equals(op.op())) {
                if (op.content() != null || op.sha256() != null) {
                    errors.add(new Problem.FieldError(field, "a delete carries neither content nor sha256"));
                }
                operations.add(new FileService.Operation.Delete(path));
            } else if (op.content() != null) {
                try {
                    operations.add(new FileService.Operation.AddContent(
                            path, Base64.getDecoder().decode(op.content()), op.sha256()));
                } catch (IllegalArgumentException e) {
                    errors.add(new Problem.FieldError(field + ".content", "must be base64"));
                }
            } else if (op.sha256() != null) {
                operations.add(new FileService.Operation.AddBlob(path, op.sha256()));
            } else {
                errors.add(new Problem.FieldError(field, "an add needs content or sha256"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The request has invalid fields", errors);
        }
        return operations;
    }
}
