package org.modelmarket.gateway.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Token secrets: {@code hf_} + 40 base62 characters (~238 bits), and the SHA-256 under which they are stored. */
public final class Secrets {

    /** The prefix the Hub's JS client insists on (HF-PROTOCOL.md §3). */
    public static final String PREFIX = "hf_";

    static final int LENGTH = 40;

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String generate() {
        StringBuilder secret = new StringBuilder(PREFIX);
        for (int i = 0; i < LENGTH; i++) {
            secret.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return secret.toString();
    }

    /** Whether a bearer value has the shape of one of our secrets (anything else goes to Keycloak validation). */
    public static boolean looksLike(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    /**
     * SHA-256 of the secret: a fast hash is enough for 238 random bits (nothing to brute-force), and lets a request
     * find its token by an index lookup.
     */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
