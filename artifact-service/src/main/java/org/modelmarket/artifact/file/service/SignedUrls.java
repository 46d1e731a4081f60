package org.modelmarket.artifact.file.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.config.ArtifactConfig;

/**
 * Signed, short-lived URLs ({@code /api/v1/signed/{token}}) that authorize themselves, with an HMAC-SHA256 over what
 * they grant. A download token carries the listing, commit, path, digest, the caller's subject (for download
 * counting) and an expiry: whoever holds it may fetch that one file until it expires (access was checked when it was
 * made). An upload token carries the method ({@code PUT}), the exact target (a listing's file path, or an upload's
 * part number), the uploader's subject and write roles, and an expiry: whoever holds it may send that one request
 * as that uploader, with every rule of the unsigned request still applied when it arrives.
 */
@ApplicationScoped
public class SignedUrls {

    private static final Logger LOG = Logger.getLogger(SignedUrls.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token grants. {@code subject} is empty for anonymous callers. */
    public record Grant(UUID listingId, String commit, String path, String sha256, String subject, Instant expiresAt) {}

    /** What an upload token grants: one {@code PUT} of {@code target} of a listing, as this uploader. */
    public record UploadGrant(
            String namespace, String name, UploadTarget target, String subject, Set<String> roles, Instant expiresAt) {}

    /** The request an upload token is for. */
    public sealed interface UploadTarget {

        /** The path under {@code /api/v1/listings/{namespace}/{name}/} that the unsigned request would have. */
        String path();

        /** A single upload: {@code PUT .../files/{path}}. */
        record File(String file) implements UploadTarget {
            @Override
            public String path() {
                return "files/" + file;
            }
        }

        /** A part of a multipart upload: {@code PUT .../uploads/{id}/parts/{number}}. */
        record Part(UUID upload, int number) implements UploadTarget {
            @Override
            public String path() {
                return "uploads/" + upload + "/parts/" + number;
            }
        }
    }

    /** The method an upload token is good for. */
    public static final String UPLOAD_METHOD = "PUT";

    private static final String UPLOAD_VERSION = "u1";
    private static final Pattern PART = Pattern.compile("uploads/([0-9a-f-]{36})/parts/([1-9][0-9]{0,4})");

    private final byte[] key;
    private final ArtifactConfig config;

    public SignedUrls(ArtifactConfig config) {
        this.config = config;
        this.key = config.signing()
                .key()
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    LOG.warn("modelmarket.artifact.signing.key is not set: signed URLs use a random key and only "
                            + "work on this replica until it restarts");
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return random;
                });
        if (key.length < 32) {
            throw new IllegalStateException("modelmarket.artifact.signing.key must have at least 32 characters");
        }
    }

    /** A token for this file, valid for {@code signing.ttl}. */
    public String sign(UUID listingId, String commit, String path, String sha256, String subject) {
        long expires = Instant.now().plus(config.signing().ttl()).getEpochSecond();
        String payload = String.join(
                "\n",
                "1",
                listingId.toString(),
                commit,
                sha256,
                subject == null ? "" : subject,
                Long.toString(expires),
                path);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
    }

    /**
     * A token for one {@code PUT} of {@code target} by {@code subject} with its write {@code roles}, valid for
     * {@code signing.ttl} (long enough to start the upload: the expiry is checked when the request arrives).
     */
    public String signUpload(String namespace, String name, UploadTarget target, String subject, Set<String> roles) {
        return signUpload(
                namespace,
                name,
                target,
                subject,
                roles,
                Instant.now().plus(config.signing().ttl()));
    }

    /** As {@link #signUpload(String, String, UploadTarget, String, Set)}, with an explicit expiry (tests). */
    public String signUpload(
            String namespace, String name, UploadTarget target, String subject, Set<String> roles, Instant expires) {
        String payload = String.join(
                "\n",
                UPLOAD_VERSION,
                UPLOAD_METHOD,
                namespace,
                name,
                subject,
                String.join(",", new TreeSet<>(roles)),
                Long.toString(expires.getEpochSecond()),
                target.path());
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
    }

    /**
     * The grant of a valid, unexpired upload token for a request with {@code method}; empty for anything else
     * (tampered, expired, malformed, a download token, or another method).
     */
    public Optional<UploadGrant> verifyUpload(String token, String method) {
        return authentic(token).flatMap(payload -> upload(payload, method));
    }

    private static Optional<UploadGrant> upload(String payload, String method) {
        try {
            String[] fields = payload.split("\n", 8);
            if (fields.length != 8 || !UPLOAD_VERSION.equals(fields[0]) || !fields[1].equals(method)) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(fields[6]));
            if (expires.isBefore(Instant.now()) || fields[4].isEmpty()) {
                return Optional.empty();
            }
            UploadTarget target;
            Matcher part = PART.matcher(fields[7]);
            if (fields[7].startsWith("files/") && fields[7].length() > "files/".length()) {
                target = new UploadTarget.File(fields[7].substring("files/".length()));
            } else if (part.matches()) {
                target = new UploadTarget.Part(UUID.fromString(part.group(1)), Integer.parseInt(part.group(2)));
            } else {
                return Optional.empty();
            }
            Set<String> roles = fields[5].isEmpty() ? Set.of() : Set.of(fields[5].split(","));
            return Optional.of(new UploadGrant(fields[2], fields[3], target, fields[4], roles, expires));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The payload of a token whose signature is right (compared in constant time); empty otherwise. */
    private Optional<String> authentic(String token) {
        try {
            int dot = token.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            byte[] payload = B64D.decode(token.substring(0, dot));
            byte[] signature = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(payload), signature)) {
                return Optional.empty();
            }
            return Optional.of(new String(payload, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The grant of a valid, unexpired token; empty for anything else (tampered, expired, malformed). */
    public Optional<Grant> verify(String token) {
        return authentic(token).flatMap(SignedUrls::download);
    }

    private static Optional<Grant> download(String payload) {
        try {
            String[] fields = payload.split("\n", 7);
            if (fields.length != 7 || !"1".equals(fields[0])) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(fields[5]));
            if (expires.isBefore(Instant.now())) {
                return Optional.empty();
            }
            return Optional.of(new Grant(
                    UUID.fromString(fields[1]),
                    fields[2],
                    fields[6],
                    fields[3],
                    fields[4].isEmpty() ? null : fields[4],
                    expires));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
