package org.modelmarket.artifact.file.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.blob.BlobLocation;
import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.file.service.DownloadCounter;
import org.modelmarket.artifact.file.service.FileDownload;
import org.modelmarket.artifact.file.service.SignedUrls;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.platform.problem.ProblemException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Turns a located file into the HTTP answer, for the files endpoint and the signed URLs alike: {@code 304} on a
 * matching {@code If-None-Match}; {@code 307} to a signed URL when the gateway asks for a redirect, or to the object
 * store's presigned URL; otherwise {@code 200} or, for a satisfiable {@code Range} (honouring {@code If-Range}),
 * {@code 206}: one range sent zero-copy, several as {@code multipart/byteranges}; {@code 416} past the end. The
 * download is counted (see {@link DownloadCounter}) before the first byte, only for transfers starting at byte 0.
 * The entity is a {@link PathPart} (zero-copy {@code sendFile}) or a {@link ByteRangesBody}, hence {@code Object}.
 */
@ApplicationScoped
public class FileResponses {

    /** Checksum header Hub-style clients verify downloads with. */
    public static final String CHECKSUM_HEADER = "X-Checksum-Sha256";
    /** The commit the file was served from (the Hub's header). */
    public static final String REPO_COMMIT = "X-Repo-Commit";
    /** The gateway asks for a redirect instead of bytes with {@code X-ModelMarket-Redirect: signed}. */
    public static final String REDIRECT_HEADER = "X-ModelMarket-Redirect";

    private final DownloadCounter counter;
    private final SignedUrls signed;
    private final ArtifactConfig config;

    public FileResponses(DownloadCounter counter, SignedUrls signed, ArtifactConfig config) {
        this.counter = counter;
        this.signed = signed;
        this.config = config;
    }

    /** The conditional and range-aware answer to a GET. */
    public Uni<RestResponse<Object>> get(
            FileDownload download,
            String revision,
            String subject,
            HttpServerRequest request,
            String range,
            String ifRange,
            String ifNoneMatch,
            boolean redirect) {
        String sha256 = download.file().sha256;
        long size = download.file().size;
        if (matches(ifNoneMatch, sha256)) {
            return Uni.createFrom().item(notModified(download));
        }
        String client = subject == null ? clientKey(request) : null;
        if (download.location() instanceof BlobLocation.Presigned presigned) {
            return counter.count(download, revision, subject, client)
                    .map(counted -> redirect(download, presigned.uri()));
        }
        if (redirect) {
            URI target = URI.create(config.signing()
                            .baseUrl()
                            .orElse(config.access().publicUrl()) + "/api/v1/signed/"
                    + signed.sign(download.listing().id, download.commit().id, download.file().path, sha256, subject));
            return Uni.createFrom().item(redirect(download, target));
        }
        BlobLocation.LocalFile local = (BlobLocation.LocalFile) download.location();
        // If-Range: only an exact strong ETag keeps the range (we send no Last-Modified, so dates never match).
        String effectiveRange = ifRange == null || ifRange.trim().equals(etag(sha256)) ? range : null;
        ByteRange.Parsed parsed = ByteRange.parse(effectiveRange, size);
        return switch (parsed) {
            case ByteRange.Parsed.Unsatisfiable u ->
                Uni.createFrom()
                        .failure(new ProblemException(
                                ArtifactProblem.RANGE_NOT_SATISFIABLE,
                                "The file has " + size + " bytes; " + range + " selects none of them.",
                                null,
                                Map.of("Content-Range", "bytes */" + size, "Accept-Ranges", "bytes")));
            case ByteRange.Parsed.Partial p ->
                countFrom(p.range().first(), download, revision, subject, client)
                        .map(counted -> headers(
                                        RestResponse.ResponseBuilder.create(
                                                RestResponse.Status.PARTIAL_CONTENT, (Object) new PathPart(
                                                        local.path(),
                                                        p.range().first(),
                                                        p.range().length())),
                                        download)
                                .header("Content-Range", p.range().contentRange(size))
                                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                                .build());
            case ByteRange.Parsed.Multiple m -> {
                ByteRangesBody body = ByteRangesBody.of(local.path(), size, m.ranges());
                yield countFrom(m.ranges().get(0).first(), download, revision, subject, client)
                        .map(counted -> headers(
                                        RestResponse.ResponseBuilder.create(
                                                RestResponse.Status.PARTIAL_CONTENT, (Object) body),
                                        download)
                                .type(MediaType.valueOf(body.contentType()))
                                .build());
            }
            case ByteRange.Parsed.Whole w ->
                counter.count(download, revision, subject, client)
                        // PathPart (not Path) selects the zero-copy file writer (sendFile).
                        .map(counted -> headers(
                                        RestResponse.ResponseBuilder.ok(
                                                (Object) new PathPart(local.path(), 0, size),
                                                MediaType.APPLICATION_OCTET_STREAM_TYPE),
                                        download)
                                .build());
        };
    }

    /** A transfer is offered for counting only when it starts at byte 0 (a resumed download is not a new one). */
    private Uni<Boolean> countFrom(long first, FileDownload download, String revision, String subject, String client) {
        return first == 0
                ? counter.count(download, revision, subject, client)
                : Uni.createFrom().item(false);
    }

    /** The answer to a HEAD: the GET headers, no bytes, never counted. */
    public RestResponse<Object> head(FileDownload download, String ifNoneMatch) {
        if (matches(ifNoneMatch, download.file().sha256)) {
            return notModified(download);
        }
        return headers(RestResponse.ResponseBuilder.<Object>ok(), download)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                // No entity, so the file writer does not set the length: HEAD states it itself.
                .header(HttpHeaders.CONTENT_LENGTH, download.file().size)
                .build();
    }

    private static RestResponse<Object> redirect(FileDownload download, URI target) {
        return headers(RestResponse.ResponseBuilder.<Object>create(RestResponse.Status.TEMPORARY_REDIRECT), download)
                .location(target)
                .header("X-Linked-Etag", etag(download.file().sha256))
                .header("X-Linked-Size", download.file().size)
                .build();
    }

    private static RestResponse<Object> notModified(FileDownload download) {
        return headers(RestResponse.ResponseBuilder.<Object>notModified(), download)
                .build();
    }

    private static RestResponse.ResponseBuilder<Object> headers(
            RestResponse.ResponseBuilder<Object> builder, FileDownload download) {
        return builder.header(HttpHeaders.ETAG, etag(download.file().sha256))
                .header(CHECKSUM_HEADER, download.file().sha256)
                .header(REPO_COMMIT, download.commit().id)
                .header("Accept-Ranges", "bytes");
    }

    /** The strong ETag of a file: its sha256, quoted. */
    public static String etag(String sha256) {
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

    /**
     * An anonymous client's identity for counting: a digest of its address (the first {@code X-Forwarded-For} entry
     * when the gateway relays, the peer otherwise), so that addresses are not stored.
     */
    static String clientKey(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String address = forwarded != null && !forwarded.isBlank()
                ? forwarded.split(",")[0].trim()
                : request.remoteAddress() == null
                        ? "unknown"
                        : request.remoteAddress().host();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(address.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
