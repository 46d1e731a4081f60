package org.modelmarket.artifact.file.rest;

import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.file.service.FileService;
import org.modelmarket.artifact.file.service.FileUpload;
import org.modelmarket.artifact.file.service.SignedUploads;
import org.modelmarket.artifact.file.service.SignedUrls;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.artifact.upload.UploadPart;
import org.modelmarket.artifact.upload.rest.UploadResource;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signed, short-lived URLs: self-authorizing (no token needed). A download URL fetches one file, with ranges; an
 * upload URL sends one {@code PUT} (a single upload or one part) as the owner it was made for.
 */
@jakarta.ws.rs.Path("/api/v1/signed/{token}")
@Produces(MediaType.APPLICATION_OCTET_STREAM)
@Tag(name = "files")
public class SignedResource {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final SignedUrls signed;
    private final FileService files;
    private final FileResponses responses;
    private final SignedUploads uploads;

    public SignedResource(SignedUrls signed, FileService files, FileResponses responses, SignedUploads uploads) {
        this.signed = signed;
        this.files = files;
        this.responses = responses;
        this.uploads = uploads;
    }

    @GET
    @Operation(summary = "Download the file a signed URL grants (Range, If-Range, If-None-Match as on files/)")
    public Uni<RestResponse<Object>> download(
            @RestPath String token,
            @RestHeader("Range") String range,
            @RestHeader("If-Range") String ifRange,
            @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            HttpServerRequest request) {
        SignedUrls.Grant grant = verify(token);
        return files.signedDownload(grant)
                .chain(download -> responses.get(
                        download, grant.commit(), grant.subject(), request, range, ifRange, ifNoneMatch, false));
    }

    @HEAD
    @Operation(summary = "The headers of the file a signed URL grants")
    public Uni<RestResponse<Object>> head(
            @RestPath String token, @RestHeader(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return files.signedDownload(verify(token)).map(download -> responses.head(download, ifNoneMatch));
    }

    /**
     * The upload an upload URL grants, answered as the unsigned request is ({@code PUT .../files/{path}}: 201 with the
     * file and its commit; {@code PUT .../uploads/{id}/parts/{n}}: 200 with the part). The token is checked before a
     * byte of the body is read. Blocking, like the unsigned uploads: the body streams through a small buffer.
     */
    @PUT
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Upload by a signed URL from POST .../upload-urls: one file (X-Commit-Message) or one part "
                    + "(X-Checksum-Sha256 or X-Checksum-Crc32c), as the owner it was made for")
    public RestResponse<Object> upload(
            @RestPath String token,
            @RestHeader(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @RestHeader(FileResource.MESSAGE_HEADER) @Size(max = 4096) String message,
            @RestHeader(FileResponses.CHECKSUM_HEADER) String sha256,
            @RestHeader(UploadResource.CRC32C_HEADER) String crc32c,
            InputStream content) {
        SignedUrls.UploadGrant grant = signed.verifyUpload(token, SignedUrls.UPLOAD_METHOD)
                .orElseThrow(() -> new ProblemException(
                        ArtifactProblem.INVALID_SIGNATURE,
                        "The signed upload URL is invalid or expired; ask for a new one (POST .../upload-urls)."));
        return switch (grant.target()) {
            case SignedUrls.UploadTarget.File file -> {
                FileUpload upload = uploads.upload(
                        grant,
                        file,
                        content,
                        contentLength == null ? OptionalLong.empty() : OptionalLong.of(contentLength),
                        message);
                yield RestResponse.ResponseBuilder.<Object>created(
                                FileResource.location(grant.namespace(), grant.name(), upload.path()))
                        .entity(FileResource.UploadView.of(upload))
                        .header(HttpHeaders.ETAG, FileResponses.etag(upload.sha256()))
                        .header(FileResponses.REPO_COMMIT, upload.outcome().commit().id)
                        .build();
            }
            case SignedUrls.UploadTarget.Part part -> {
                if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                    throw new ProblemException(
                            StandardProblem.VALIDATION,
                            "The request has invalid fields",
                            List.of(new Problem.FieldError(
                                    FileResponses.CHECKSUM_HEADER, "must be 64 lower-case hex digits")));
                }
                UploadPart stored = uploads.part(grant, part, UploadResource.partChecksum(sha256, crc32c), content);
                yield RestResponse.ok(UploadResource.PartView.of(stored));
            }
        };
    }

    private SignedUrls.Grant verify(String token) {
        return signed.verify(token)
                .orElseThrow(() -> new ProblemException(
                        ArtifactProblem.INVALID_SIGNATURE,
                        "The signed URL is invalid or expired; ask for the file again at its files/ URL."));
    }
}
