package org.modelmarket.artifact.file.rest;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.file.FileEntry;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.service.FileDownload;
import org.modelmarket.artifact.file.service.FileService;
import org.modelmarket.artifact.file.validation.ValidFilePath;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** The files of a listing's main revision: upload, list, download. */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/files")
// One media type per @Produces: with a second one Quarkus REST picks a toString writer for file entities.
// Errors still leave as problem+json, the mappers set that type explicitly.
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "files")
public class FileResource {

    /** Checksum header Hub-style clients verify downloads with. */
    public static final String CHECKSUM_HEADER = "X-Checksum-Sha256";

    private final FileService files;
    private final CallerContext callers;

    public FileResource(FileService files, CallerContext callers) {
        this.files = files;
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
    @Operation(summary = "Upload a file (owners only); replaces the file at the same path")
    public RestResponse<FileView> upload(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestHeader(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            InputStream content) {
        FileEntry file = files.upload(
                namespace,
                name,
                new FilePath(path),
                callers.current(),
                content,
                contentLength == null ? OptionalLong.empty() : OptionalLong.of(contentLength));
        return RestResponse.ResponseBuilder.<FileView>created(location(namespace, name, file.path))
                .entity(FileView.of(file))
                .header(HttpHeaders.ETAG, etag(file.sha256))
                .build();
    }

    @GET
    @Operation(summary = "List the files of a listing")
    public Uni<FileListView> list(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return callers.caller()
                .chain(caller -> files.list(namespace, name, caller))
                .map(entries ->
                        new FileListView(entries.stream().map(FileView::of).toList()));
    }

    @GET
    @jakarta.ws.rs.Path("{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary = "Download a file; honours If-None-Match. Each full download is published to artifact.downloads")
    public Uni<RestResponse<PathPart>> download(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return callers.caller()
                .chain(caller -> files.download(namespace, name, new FilePath(path), caller)
                        .chain(download -> matches(ifNoneMatch, download.file().sha256)
                                ? Uni.createFrom().item(notModified(download))
                                // Recorded (committed) before the body starts; 304s and HEADs are not downloads.
                                : files.recordDownload(download, caller).map(FileResource::content)));
    }

    /** Explicit so that it does not fall back to {@link #download}, which records a download. */
    @HEAD
    @jakarta.ws.rs.Path("{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A file's headers (size, checksum, ETag) without its bytes; not counted as a download")
    public Uni<RestResponse<PathPart>> head(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath @ValidFilePath String path,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return callers.caller()
                .chain(caller -> files.download(namespace, name, new FilePath(path), caller))
                .map(download -> matches(ifNoneMatch, download.file().sha256)
                        ? notModified(download)
                        : RestResponse.ResponseBuilder.<PathPart>ok()
                                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                                // No entity, so the file writer does not set the length: HEAD states it itself.
                                .header(HttpHeaders.CONTENT_LENGTH, download.file().size)
                                .header(HttpHeaders.ETAG, etag(download.file().sha256))
                                .header(CHECKSUM_HEADER, download.file().sha256)
                                .build());
    }

    private static RestResponse<PathPart> notModified(FileDownload download) {
        String sha256 = download.file().sha256;
        return RestResponse.ResponseBuilder.<PathPart>notModified()
                .header(HttpHeaders.ETAG, etag(sha256))
                .header(CHECKSUM_HEADER, sha256)
                .build();
    }

    private static RestResponse<PathPart> content(FileDownload download) {
        String sha256 = download.file().sha256;
        return switch (download.location()) {
            // PathPart (not Path) selects the zero-copy file writer; it will also serve Range requests.
            case BlobLocation.LocalFile local ->
                RestResponse.ResponseBuilder.ok(
                                new PathPart(local.path(), 0, local.size()), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                        .header(HttpHeaders.ETAG, etag(sha256))
                        .header(CHECKSUM_HEADER, sha256)
                        .build();
            // The object store serves the bytes itself (and its ranges): the client follows a short-lived URL.
            case BlobLocation.Presigned presigned ->
                RestResponse.ResponseBuilder.<PathPart>create(RestResponse.Status.TEMPORARY_REDIRECT)
                        .location(presigned.uri())
                        .header(HttpHeaders.ETAG, etag(sha256))
                        .header(CHECKSUM_HEADER, sha256)
                        .build();
        };
    }

    private static String etag(String sha256) {
        return '"' + sha256 + '"';
    }

    /** RFC 9110 weak comparison against an If-None-Match list ({@code *}, strong or weak tags). */
    static boolean matches(String ifNoneMatch, String sha256) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag(sha256)));
    }

    private static URI location(String namespace, String name, String path) {
        String encodedPath = Arrays.stream(path.split("/"))
                .map(segment ->
                        URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
        return URI.create("/api/v1/listings/" + namespace + "/" + name + "/files/" + encodedPath);
    }
}
