package org.modelmarket.artifact.file.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.modelmarket.artifact.config.ArtifactConfig;

/**
 * Signed, short-lived download URLs ({@code /api/v1/signed/{token}}): the token carries the listing, commit, path,
 * digest, the caller's subject (for download counting) and an expiry, and an HMAC-SHA256 over them, so the URL
 * authorizes itself: whoever holds it may fetch that one file until it expires. Access was checked when it was made.
 */
@ApplicationScoped
public class SignedUrls {

    private static final Logger LOG = Logger.getLogger(SignedUrls.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a token grants. {@code subject} is empty for anonymous callers. */
    public record Grant(UUID listingId, String commit, String path, String sha256, String subject, Instant expiresAt) {}

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

    /** The grant of a valid, unexpired token; empty for anything else (tampered, expired, malformed). */
    public Optional<Grant> verify(String token) {
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
            String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", 7);
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
