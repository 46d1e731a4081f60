package org.modelmarket.artifact.file.rest;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.commit.rest.CommitView;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.service.FileService;
import org.modelmarket.artifact.file.service.FileUpload;
import org.modelmarket.artifact.file.validation.ValidFilePath;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The files of a listing: upload (a commit on main), delete (a commit), list and download any revision. */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/files")
// One media type per @Produces: with a second one Quarkus REST picks a toString writer for file entities.
// Errors still leave as problem+json, the mappers set that type explicitly.
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "files")
public class FileResource {

    /** The commit message of an upload or deletion, optional. */
    public static final String MESSAGE_HEADER = "X-Commit-Message";

    private final FileService files;
    private final FileResponses responses;
    private final CallerContext callers;

    public FileResource(FileService files, FileResponses responses, CallerContext callers) {
        this.files = files;
        this.responses = responses;
        this.callers = callers;
    }

    /**
     * Blocking on purpose: a blocking endpoint receives its body as a stream read on a worker thread, so uploads of
     * any size pass through a small buffer instead of being collected in memory on the event loop.
     */
    @PUT
    @jakarta.ws.rs.Path("{path: .+}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.VENDOR, Roles.ADMIN})
    @Blocking
    @Operation(summary = "Upload a file (owners only) as a new commit on main; replaces the file at the same path")
    public RestResponse<UploadView> upload(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestHeader(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @RestHeader(MESSAGE_HEADER) @Size(max = 4096) String message,
            InputStream content) {
        FileUpload upload = files.upload(
                namespace,
                name,
                new FilePath(path),
                callers.current(),
                content,
                contentLength == null ? OptionalLong.empty() : OptionalLong.of(contentLength),
                message);
        return RestResponse.ResponseBuilder.<UploadView>created(location(namespace, name, upload.path()))
                .entity(UploadView.of(upload))
                .header(HttpHeaders.ETAG, FileResponses.etag(upload.sha256()))
                .header(FileResponses.REPO_COMMIT, upload.outcome().commit().id)
                .build();
    }

    @DELETE
    @jakarta.ws.rs.Path("{path: .+}")
    @RolesAllowed({Roles.VENDOR, Roles.ADMIN})
    @Operation(summary = "Delete a file or a folder (owners only) as a new commit on main")
    public Uni<CommitView> delete(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestHeader(MESSAGE_HEADER) @Size(max = 4096) String message) {
        return callers.caller()
                .chain(caller -> files.delete(namespace, name, new FilePath(path), caller, message))
                .map(CommitView::of);
    }

    @GET
    @Operation(summary = "List the files of a revision (main by default)")
    public Uni<FileListView> list(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestQuery @DefaultValue("main") @Size(max = 64) String revision) {
        return callers.caller()
                .chain(caller -> files.list(namespace, name, revision, caller))
                .map(listed -> new FileListView(
                        listed.files().isEmpty() ? null : listed.files().get(0).commitId,
                        listed.files().stream()
                                .map(f -> FileView.of(
                                        f, f.commitId, listed.openFiles().isOpen(f.path)))
                                .toList(),
                        listed.openFiles().patterns()));
    }

    @GET
    @jakarta.ws.rs.Path("{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary = "Download a file of a revision: Range (206/416), If-Range, If-None-Match (304); with "
                    + "X-ModelMarket-Redirect: signed, a 307 to a short-lived signed URL")
    public Uni<RestResponse<Object>> download(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestQuery @DefaultValue("main") @Size(max = 64) String revision,
            @RestHeader("Range") String range,
            @RestHeader("If-Range") String ifRange,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @RestHeader(FileResponses.REDIRECT_HEADER) String redirect,
            HttpServerRequest request) {
        return callers.caller()
                .chain(caller -> files.download(namespace, name, new FilePath(path), revision, caller)
                        .chain(download -> responses.get(
                                download,
                                revision,
                                caller.isAnonymous() ? null : caller.subject(),
                                request,
                                range,
                                ifRange,
                                ifNoneMatch,
                                "signed".equalsIgnoreCase(redirect))));
    }

    /** Explicit so that it does not fall back to {@link #download}, which counts downloads. */
    @HEAD
    @jakarta.ws.rs.Path("{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A file's headers (size, checksum, ETag, commit) without its bytes; never counted")
    public Uni<RestResponse<Object>> head(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestQuery @DefaultValue("main") @Size(max = 64) String revision,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return callers.caller()
                .chain(caller -> files.download(namespace, name, new FilePath(path), revision, caller))
                .map(download -> responses.head(download, ifNoneMatch));
    }

    /** The answer to an upload: the stored file and the commit. */
    public record UploadView(
            String path, long size, String sha256, String commit, boolean created, FileView.Scan scan) {

        static UploadView of(FileUpload upload) {
            return new UploadView(
                    upload.path(),
                    upload.size(),
                    upload.sha256(),
                    upload.outcome().commit().id,
                    upload.outcome().created(),
                    new FileView.Scan(
                            upload.scan().verdict(), List.copyOf(upload.scan().findings())));
        }
    }

    static URI location(String namespace, String name, String path) {
        String encodedPath = Arrays.stream(path.split("/"))
                .map(segment ->
                        URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        return URI.create("/api/v1/listings/" + namespace + "/" + name + "/files/" + encodedPath);
    }
}
