package org.modelmarket.artifact.file.rest;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.service.SignedUploads;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.smallrye.mutiny.Uni;

/**
 * Signed upload URLs (owners only): the URL of one {@code PUT} that carries its own authorization, so that the bytes
 * can go straight to this service (the gateway answers an upload with a redirect to it when the client asks).
 */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/upload-urls")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VENDOR, Roles.ADMIN})
@Tag(name = "uploads")
public class UploadUrlResource {

    private final SignedUploads uploads;
    private final CallerContext callers;

    public UploadUrlResource(SignedUploads uploads, CallerContext callers) {
        this.uploads = uploads;
        this.callers = callers;
    }

    /**
     * Which request to sign: a single upload ({@code path}, and its {@code size} when known, checked against the
     * size limit and the quota now) or a part of a multipart upload ({@code upload} and {@code part}).
     */
    public record UploadUrlRequest(
            // Checked in checkShape: the part form has no path, and @ValidFilePath refuses null.
            String path,
            @PositiveOrZero Long size,
            UUID upload,
            @Min(1) @Max(10000) Integer part) {}

    /** A signed URL: send {@code method} to {@code url}, with no token, before {@code expiresAt}. */
    public record UploadUrlView(String url, String method, Instant expiresAt) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "A short-lived signed URL for one upload: PUT of a file ({path, size?}) or of a part of a "
                    + "multipart upload ({upload, part}), usable without a token")
    public Uni<RestResponse<UploadUrlView>> create(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @Valid @NotNull UploadUrlRequest request) {
        checkShape(request);
        return callers.caller()
                .chain(caller -> request.path() != null
                        ? uploads.file(
                                namespace,
                                name,
                                new FilePath(request.path()),
                                request.size() == null ? OptionalLong.empty() : OptionalLong.of(request.size()),
                                caller)
                        : uploads.part(namespace, name, request.upload(), request.part(), caller))
                .map(issued -> RestResponse.ResponseBuilder.<UploadUrlView>created(URI.create(issued.url()))
                        .entity(new UploadUrlView(issued.url(), issued.method(), issued.expiresAt()))
                        .header("Cache-Control", "no-store")
                        .build());
    }

    /** Exactly one of the two forms. */
    private static void checkShape(UploadUrlRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.path() != null) {
            FilePath.problem(request.path()).ifPresent(reason -> errors.add(new Problem.FieldError("path", reason)));
            if (request.upload() != null) {
                errors.add(new Problem.FieldError("upload", "a file (path) or a part (upload, part), not both"));
            }
            if (request.part() != null) {
                errors.add(new Problem.FieldError("part", "only with upload"));
            }
        } else {
            if (request.upload() == null) {
                errors.add(new Problem.FieldError("path", "a file needs path; a part needs upload and part"));
            } else if (request.part() == null) {
                errors.add(new Problem.FieldError("part", "a part of an upload needs its number (1..10000)"));
            }
            if (request.size() != null) {
                errors.add(new Problem.FieldError("size", "only with path (a part's size is its body's)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(StandardProblem.VALIDATION, "The request has invalid fields", errors);
        }
    }
}
