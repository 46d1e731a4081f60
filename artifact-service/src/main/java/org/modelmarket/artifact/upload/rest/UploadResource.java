package org.modelmarket.artifact.upload.rest;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.commit.rest.CommitView;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.rest.FileResponses;
import org.modelmarket.artifact.file.validation.ValidFilePath;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.artifact.scan.ScanResult;
import org.modelmarket.artifact.upload.PartChecksums;
import org.modelmarket.artifact.upload.UploadPart;
import org.modelmarket.artifact.upload.UploadSession;
import org.modelmarket.artifact.upload.service.UploadService;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** Resumable multipart uploads (owners only): initiate, send parts, list them, complete or abort. */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/uploads")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VENDOR, Roles.ADMIN})
@Tag(name = "uploads")
public class UploadResource {

    private static final String SHA256 = "[0-9a-f]{64}";
    private static final String SHA256_MESSAGE = "must be 64 lower-case hex digits";
    /** A part's CRC32C, base64 of the 4 big-endian bytes (S3's {@code x-amz-checksum-crc32c} encoding). */
    public static final String CRC32C_HEADER = "X-Checksum-Crc32c";

    private final UploadService uploads;
    private final CallerContext callers;

    public UploadResource(UploadService uploads, CallerContext callers) {
        this.uploads = uploads;
        this.callers = callers;
    }

    /** Body of initiating an upload. */
    public record InitiateRequest(
            @NotNull @ValidFilePath String path,
            @NotNull @PositiveOrZero Long size,

            @NotNull @Pattern(regexp = SHA256, message = SHA256_MESSAGE)
            String sha256) {}

    /** Body of completing an upload (optional). */
    public record CompleteRequest(@Size(max = 4096) String message, Boolean commit) {}

    /** An upload's state. */
    public record UploadView(
            UUID id,
            String path,
            long size,
            String sha256,
            String status,
            Instant expiresAt,
            long receivedBytes,
            List<PartView> parts,
            String commit) {

        static UploadView of(UploadSession s, List<UploadPart> parts) {
            return new UploadView(
                    s.id,
                    s.path,
                    s.size,
                    s.sha256,
                    s.status.name().toLowerCase(),
                    s.expiresAt,
                    parts.stream().mapToLong(p -> p.size).sum(),
                    parts.stream().map(PartView::of).toList(),
                    s.commitId);
        }
    }

    /**
     * One received part, with the checksum(s) it was sent with ({@code crc32c} in base64, as sent; the other
     * {@code null}).
     */
    public record PartView(int number, long size, String sha256, String crc32c) {
        public static PartView of(UploadPart p) {
            return new PartView(p.number, p.size, p.sha256, PartChecksums.base64(p.crc32c));
        }
    }

    /** A completed upload. */
    public record CompletedView(UploadView upload, ScanResult scan, CommitView commit) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a multipart upload of one file (path, size, sha256)")
    public Uni<RestResponse<UploadView>> initiate(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @Valid @NotNull InitiateRequest request) {
        return callers.caller()
                .chain(caller -> uploads.initiate(
                        namespace, name, new FilePath(request.path()), request.size(), request.sha256(), caller))
                .map(session -> RestResponse.ResponseBuilder.<UploadView>created(
                                URI.create("/api/v1/listings/" + namespace + "/" + name + "/uploads/" + session.id))
                        .entity(UploadView.of(session, List.of()))
                        .build());
    }

    @GET
    @jakarta.ws.rs.Path("{id}")
    @Operation(summary = "An upload and the parts received so far")
    public Uni<UploadView> get(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath UUID id) {
        return callers.caller()
                .chain(caller -> uploads.state(namespace, name, id, caller))
                .map(state -> UploadView.of(state.session(), state.parts()));
    }

    /** Blocking: the part streams to disk through a small buffer. */
    @PUT
    @jakarta.ws.rs.Path("{id}/parts/{number}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Blocking
    @Operation(
            summary = "Send (or resend) part n, with its sha256 in X-Checksum-Sha256 or its CRC32C (base64) in"
                    + " X-Checksum-Crc32c")
    public PartView part(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath UUID id,
            @RestPath @Min(1) @Max(10000) int number,
            @RestHeader(FileResponses.CHECKSUM_HEADER) @Pattern(regexp = SHA256, message = SHA256_MESSAGE)
                    String sha256,
            @RestHeader(CRC32C_HEADER) String crc32c,
            InputStream body) {
        return PartView.of(
                uploads.putPart(namespace, name, id, number, partChecksum(sha256, crc32c), callers.current(), body));
    }

    /**
     * The checksum a part is sent with, from its headers: its SHA-256 (hex, checked by the caller's validation) and/or
     * its CRC32C (base64 of 4 bytes, as S3 sends it); a 400 problem when neither is there or the CRC32C is malformed.
     */
    public static UploadService.PartChecksum partChecksum(String sha256, String crc32c) {
        String crcHex = null;
        if (crc32c != null) {
            crcHex = PartChecksums.crc32cHex(crc32c)
                    .orElseThrow(() -> ProblemException.invalid(
                            "crc32c", "X-Checksum-Crc32c must be the base64 of 4 bytes (e.g. yZRlqg==)"));
        }
        if (sha256 == null && crcHex == null) {
            throw ProblemException.invalid(
                    "sha256", "send the part's checksum: X-Checksum-Sha256 (hex) or X-Checksum-Crc32c (base64)");
        }
        return new UploadService.PartChecksum(sha256, crcHex);
    }

    /** Blocking: assembling and hashing the file reads it once. */
    @POST
    @jakarta.ws.rs.Path("{id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Assemble the parts, verify the sha256, scan, and commit the file on main")
    public RestResponse<CompletedView> complete(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath UUID id,
            @Valid CompleteRequest request) {
        CompleteRequest body = request == null ? new CompleteRequest(null, null) : request;
        UploadService.Completed done = uploads.complete(
                namespace, name, id, callers.current(), !Boolean.FALSE.equals(body.commit()), body.message());
        return RestResponse.ResponseBuilder.create(
                        RestResponse.Status.CREATED,
                        new CompletedView(
                                UploadView.of(done.session(), List.of()),
                                done.scan(),
                                done.outcome() == null ? null : CommitView.of(done.outcome())))
                .build();
    }

    @DELETE
    @jakarta.ws.rs.Path("{id}")
    @Operation(summary = "Abort an upload: its parts are deleted")
    public Uni<RestResponse<Void>> abort(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestPath UUID id) {
        return callers.caller()
                .chain(caller -> uploads.abort(namespace, name, id, caller))
                .map(ignored -> RestResponse.noContent());
    }
}
