package org.modelmarket.gateway.hub.rest;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemMappers;
import org.modelmarket.platform.problem.ProblemType;
import org.modelmarket.platform.problem.StandardProblem;

import io.smallrye.mutiny.Uni;

/**
 * The model lockfile: a revision resolved to its commit and every file's path, SHA-256 and size, as JSON or as text
 * that {@code sha256sum -c} checks (README "Model lockfile"). Pinning the commit and verifying every byte is how a
 * deployment runs exactly what it tested.
 */
@Path("/api/v1/listings/{ns}/{name}/lock")
@PermitAll
@Tag(name = "hugging face hub")
public class LockResource {

    /** The lockfile's JSON form. */
    public record Lock(
            int lockVersion, String listing, String revision, String commit, long totalSize, List<File> files) {}

    /** One pinned file. */
    public record File(String path, String sha256, long size) {}

    private final HubServices services;
    private final HubRepos repos;

    public LockResource(HubServices services, HubRepos repos) {
        this.services = services;
        this.repos = repos;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(
            summary = "Resolve a revision to its commit and every file's sha256 and size (Accept: text/plain or "
                    + "format=text for sha256sum lines)")
    public Uni<Response> lock(
            @RestPath String ns,
            @RestPath String name,
            @RestQuery @DefaultValue("main") String rev,
            @RestQuery String format,
            @RestHeader(HttpHeaders.ACCEPT) String accept) {
        boolean text = "text".equals(format)
                || format == null && accept != null && accept.contains("text/plain") && !accept.contains("json");
        if (format != null && !"text".equals(format) && !"json".equals(format)) {
            throw new ProblemException(
                    StandardProblem.VALIDATION,
                    "The request has invalid fields",
                    List.of(new Problem.FieldError("format", "must be json or text, not " + format)));
        }
        return services.caller()
                .flatMap(caller -> repos.tree(ns, name, rev, "", true, caller))
                .map(tree -> {
                    List<File> files = tree.entries().stream()
                            .filter(HubRepos.Entry::file)
                            .map(e -> new File(e.path(), e.sha256(), e.size()))
                            .toList();
                    long total = files.stream().mapToLong(File::size).sum();
                    Lock lock = new Lock(1, ns + "/" + name, rev, tree.commit(), total, files);
                    if (text) {
                        return Response.ok(text(lock), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                                .header("X-Repo-Commit", tree.commit())
                                .build();
                    }
                    return Response.ok(lock, MediaType.APPLICATION_JSON_TYPE)
                            .header("X-Repo-Commit", tree.commit())
                            .build();
                });
    }

    /** {@code #} header lines, then one {@code <sha256>  <path>} line per file: the input {@code sha256sum -c} reads. */
    static String text(Lock lock) {
        StringBuilder out = new StringBuilder()
                .append("# modelmarket-lock 1\n")
                .append("# listing ")
                .append(lock.listing())
                .append('\n')
                .append("# revision ")
                .append(lock.revision())
                .append('\n')
                .append("# commit ")
                .append(lock.commit())
                .append('\n')
                .append("# files ")
                .append(lock.files().size())
                .append(" bytes ")
                .append(lock.totalSize())
                .append('\n')
                .append("# size path\n");
        for (File file : lock.files()) {
            out.append("# ").append(file.size()).append(' ').append(file.path()).append('\n');
        }
        for (File file : lock.files()) {
            out.append(file.sha256()).append("  ").append(file.path()).append('\n');
        }
        return out.toString();
    }

    /**
     * This is a route of {@code /api/v1}, so its errors are problem+json like every other there (the Hub errors of
     * {@link HubRepos} are turned back into the services' problems): a hidden or missing listing is a 404 for
     * anonymous callers too, and a bad token is the platform's 401.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 2)
    public Response problem(HubError error, UriInfo uri) {
        ProblemType type = error.code() == null
                ? StandardProblem.forStatus(error.status())
                : switch (error.code()) {
                    case HubError.REPO_NOT_FOUND -> LISTING_NOT_FOUND;
                    case HubError.REVISION_NOT_FOUND -> REVISION_NOT_FOUND;
                    case HubError.ENTRY_NOT_FOUND -> FILE_NOT_FOUND;
                    default -> StandardProblem.forStatus(error.status());
                };
        if (error.status() == 401 && error.code() == null) {
            return ProblemMappers.toResponse(
                    new ProblemException(
                            StandardProblem.UNAUTHORIZED,
                            "The bearer token is invalid or expired.",
                            null,
                            java.util.Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer")),
                    uri);
        }
        String detail = HubError.REPO_NOT_FOUND.equals(error.code())
                ? "No listing " + uri.getPathParameters().getFirst("ns") + "/"
                        + uri.getPathParameters().getFirst("name") + " (or it is private)."
                : error.getMessage();
        return ProblemMappers.problem(type, detail, uri, null);
    }

    private static final ProblemType LISTING_NOT_FOUND = ProblemType.of("listing-not-found", 404, "Listing not found");
    private static final ProblemType REVISION_NOT_FOUND =
            ProblemType.of("revision-not-found", 404, "Revision not found");
    private static final ProblemType FILE_NOT_FOUND = ProblemType.of("file-not-found", 404, "File not found");
}
