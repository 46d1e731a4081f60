package org.modelmarket.artifact.file.service;

import java.io.InputStream;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.artifact.config.ArtifactConfig;
import org.modelmarket.artifact.file.FilePath;
import org.modelmarket.artifact.file.FileTooLargeException;
import org.modelmarket.artifact.file.service.SignedUrls.UploadGrant;
import org.modelmarket.artifact.file.service.SignedUrls.UploadTarget;
import org.modelmarket.artifact.listing.service.ListingAccess;
import org.modelmarket.artifact.problem.ArtifactProblem;
import org.modelmarket.artifact.quota.QuotaService;
import org.modelmarket.artifact.upload.UploadPart;
import org.modelmarket.artifact.upload.UploadSession;
import org.modelmarket.artifact.upload.service.UploadService;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.StandardProblem;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.Roles;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Signed upload URLs, so that the bytes of an upload need not pass through the gateway: an owner asks for the URL of
 * one {@code PUT} (a single upload, or one part of a multipart upload) after the same checks the upload itself makes
 * up front (owner or admin, path rules, size and quota for the declared size, the upload open), and whoever holds the
 * URL then sends that request without a token, as that owner. When it arrives every rule applies again (the owner is
 * still an owner, size, quota, checksums), through the same {@link FileService} and {@link UploadService} calls as
 * the unsigned request.
 */
@ApplicationScoped
public class SignedUploads {

    /** A signed URL for one request. */
    public record Issued(String url, String method, Instant expiresAt) {}

    private static final Set<String> WRITE_ROLES = Set.of(Roles.VENDOR, Roles.ADMIN);

    private final ListingAccess access;
    private final QuotaService quota;
    private final UploadService uploads;
    private final FileService files;
    private final SignedUrls signed;
    private final ArtifactConfig config;

    public SignedUploads(
            ListingAccess access,
            QuotaService quota,
            UploadService uploads,
            FileService files,
            SignedUrls signed,
            ArtifactConfig config) {
        this.access = access;
        this.quota = quota;
        this.uploads = uploads;
        this.files = files;
        this.signed = signed;
        this.config = config;
    }

    /** The signed URL of a single upload of {@code path}, of {@code size} bytes when known. */
    @WithSession
    public Uni<Issued> file(String namespace, String name, FilePath path, OptionalLong size, Caller caller) {
        long max = config.upload().maxSize().asLongValue();
        if (size.isPresent() && size.getAsLong() > max) {
            return Uni.createFrom().failure(new FileTooLargeException(max));
        }
        return access.writable(namespace, name, caller)
                .call(listing -> quota.check(listing, size.orElse(0)))
                .map(listing -> issue(namespace, name, new UploadTarget.File(path.value()), caller));
    }

    /** The signed URL of part {@code number} of an open multipart upload. */
    public Uni<Issued> part(String namespace, String name, UUID upload, int number, Caller caller) {
        return uploads.state(namespace, name, upload, caller).map(state -> {
            if (state.session().status != UploadSession.Status.OPEN) {
                throw new ProblemException(
                        ArtifactProblem.UPLOAD_NOT_FOUND,
                        "Upload " + upload + " is "
                                + state.session().status.name().toLowerCase() + ".");
            }
            return issue(namespace, name, new UploadTarget.Part(upload, number), caller);
        });
    }

    /** The single upload a token grants, exactly as {@link FileService#upload} for its uploader. Blocking. */
    public FileUpload upload(
            UploadGrant grant, UploadTarget.File target, InputStream content, OptionalLong length, String message) {
        return files.upload(grant.namespace(), grant.name(), path(target), uploader(grant), content, length, message);
    }

    /** The part a token grants, exactly as {@link UploadService#putPart} for its uploader. Blocking. */
    public UploadPart part(
            UploadGrant grant, UploadTarget.Part target, UploadService.PartChecksum checksum, InputStream body) {
        return uploads.putPart(
                grant.namespace(), grant.name(), target.upload(), target.number(), checksum, uploader(grant), body);
    }

    private Issued issue(String namespace, String name, UploadTarget target, Caller caller) {
        Instant expires = Instant.now().plus(config.signing().ttl());
        Set<String> roles =
                caller.roles().stream().filter(WRITE_ROLES::contains).collect(Collectors.toUnmodifiableSet());
        String token = signed.signUpload(namespace, name, target, caller.subject(), roles, expires);
        String base = config.signing().baseUrl().orElse(config.access().publicUrl());
        return new Issued(base + "/api/v1/signed/" + token, SignedUrls.UPLOAD_METHOD, expires);
    }

    /**
     * The caller the token was made for. The write role is what {@code @RolesAllowed} requires of the unsigned
     * request; ownership is checked again by the upload itself.
     */
    private static Caller uploader(UploadGrant grant) {
        if (grant.roles().stream().noneMatch(WRITE_ROLES::contains)) {
            throw new ProblemException(StandardProblem.FORBIDDEN, "Uploads need the vendor or admin role.");
        }
        return new Caller(grant.subject(), grant.roles());
    }

    private static FilePath path(UploadTarget.File target) {
        try {
            return new FilePath(target.file());
        } catch (IllegalArgumentException e) {
            // Signed by this service after validation: only a changed path rule gets here.
            throw new ProblemException(
                    ArtifactProblem.INVALID_SIGNATURE, "The signed URL names an invalid path: " + e.getMessage());
        }
    }
}
