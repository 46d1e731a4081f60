package org.modelmarket.artifact.file.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.file.service.FileService;
import org.modelmarket.artifact.file.service.SignedUrls;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Signed, short-lived download URLs: self-authorizing (no token needed), one file each, with ranges. */
@jakarta.ws.rs.Path("/api/v1/signed/{token}")
@Produces(MediaType.APPLICATION_OCTET_STREAM)
@Tag(name = "files")
public class SignedResource {

    private final SignedUrls signed;
    private final FileService files;
    private final FileResponses responses;

    public SignedResource(SignedUrls signed, FileService files, FileResponses responses) {
        this.signed = signed;
        this.files = files;
        this.responses = responses;
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

    private SignedUrls.Grant verify(String token) {
        return signed.verify(token)
                .orElseThrow(() -> new ProblemException(
                        ArtifactProblem.INVALID_SIGNATURE,
                        "The signed URL is invalid or expired; ask for the file again at its files/ URL."));
    }
}
