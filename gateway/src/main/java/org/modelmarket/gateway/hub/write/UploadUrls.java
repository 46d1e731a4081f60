package org.modelmarket.gateway.hub.write;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.hub.HubConfig;
import org.modelmarket.gateway.hub.HubError;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Seals an {@link UploadGrant} into an opaque URL segment (AES-GCM: the caller's token inside stays secret and no
 * field can be altered) and opens it again. A URL that was tampered with, sealed by another key, or has expired is
 * refused with 403.
 */
@ApplicationScoped
public class UploadUrls {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();

    public UploadUrls(HubConfig config, ObjectMapper json) {
        this.json = json;
        byte[] bytes = config.lfs()
                .urlKey()
                .map(k -> Base64.getDecoder().decode(k))
                .orElseGet(() -> {
                    byte[] generated = new byte[32];
                    random.nextBytes(generated);
                    return generated;
                });
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** The URL segment that carries {@code grant}. */
    public String seal(UploadGrant grant) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(grant));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                            .put(iv)
                            .put(sealed)
                            .array());
        } catch (GeneralSecurityException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot seal an upload URL", e);
        }
    }

    /** The grant of {@code token} for listing {@code ns/name}, or 403 when it is not valid (any more). */
    public UploadGrant open(String token, String ns, String name) {
        UploadGrant grant;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            if (bytes.length <= IV_BYTES) {
                throw invalid();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            grant = json.readValue(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), UploadGrant.class);
        } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
            throw invalid();
        }
        if (!grant.ns().equals(ns) || !grant.name().equals(name)) {
            throw invalid();
        }
        if (Instant.now().getEpochSecond() > grant.expires()) {
            throw new HubError(403, null, "This upload URL has expired: ask the LFS batch API for a new one.");
        }
        return grant;
    }

    private static HubError invalid() {
        return new HubError(403, null, "This upload URL is not valid.");
    }
}
