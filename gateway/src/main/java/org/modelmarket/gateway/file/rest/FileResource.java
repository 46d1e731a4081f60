package org.modelmarket.gateway.file.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.gateway.file.FileDownload;
import org.modelmarket.gateway.file.FileEntry;
import org.modelmarket.gateway.file.FileList;
import org.modelmarket.gateway.file.client.FileClient;
import org.modelmarket.platform.security.Roles;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Listing files, forwarded to artifact-service; contents are streamed through, never buffered whole. */
@Path("/api/v1/listings/{namespace}/{name}/files")
@Tag(name = "files", description = "Model files (artifact-service)")
public class FileResource {

    private static final String CHECKSUM_HEADER = "X-Checksum-Sha256";

    private final FileClient files;

    FileResource(FileClient files) {
        this.files = files;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the files of a listing")
    public Uni<FileList> list(@RestPath String namespace, @RestPath String name) {
        return files.list(namespace, name);
    }

    /**
     * The body is deliberately not a method parameter: Quarkus REST would read it whole first. The raw request is
     * piped to artifact-service instead, with back-pressure.
     */
    @PUT
    @Path("/{path: .+}")
    @RolesAllowed(Roles.VENDOR)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @RequestBody(description = "The file's raw bytes", required = true)
    @Operation(summary = "Upload a file", description = "Vendors owning the listing only.")
    public Uni<RestResponse<FileEntry>> upload(
            @RestPath String namespace,
            @RestPath String name,
            @RestPath String path,
            @Context HttpServerRequest request) {
        return files.upload(
                        namespace,
                        name,
                        path,
                        request.getHeader(HttpHeaders.CONTENT_TYPE),
                        request.getHeader(HttpHeaders.CONTENT_LENGTH),
                        io.vertx.mutiny.core.http.HttpServerRequest.newInstance(request))
                .map(stored -> {
                    // The file path keeps its slashes: it names a file in a tree, not one segment.
                    URI location = UriBuilder.fromResource(FileResource.class)
                            .path("{path}")
                            .build(new Object[] {namespace, name, stored.value().path()}, false);
                    RestResponse.ResponseBuilder<FileEntry> response = RestResponse.ResponseBuilder.<FileEntry>created(
                                    location)
                            .entity(stored.value());
                    if (stored.etag() != null) {
                        response.header(HttpHeaders.ETAG, stored.etag());
                    }
                    return response.build();
                });
    }

    @GET
    @Path("/{path: .+}")
    @PermitAll
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary = "Download a file",
            description = "Sends X-Checksum-Sha256, ETag and Content-Length; honours If-None-Match (304).")
    public Multi<Buffer> download(
            @RestPath String namespace,
            @RestPath String name,
            @RestPath String path,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return RestMulti.fromUniResponse(
                files.download(namespace, name, path, ifNoneMatch),
                FileDownload::content,
                FileResource::headers,
                FileDownload::status);
    }

    private static Map<String, List<String>> headers(FileDownload download) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (download.size() >= 0) {
            headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Long.toString(download.size())));
        }
        if (download.sha256() != null) {
            headers.put(CHECKSUM_HEADER, List.of(download.sha256()));
        }
        if (download.etag() != null) {
            headers.put(HttpHeaders.ETAG, List.of(download.etag()));
        }
        if (download.contentType() != null) {
            headers.put(HttpHeaders.CONTENT_TYPE, List.of(download.contentType()));
        }
        return headers;
    }
}
