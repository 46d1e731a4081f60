package org.modelmarket.search.query.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.search.index.ListingQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The opaque {@code cursor} of cursor paging: base64url of a small JSON holding the point in time, the last hit's sort
 * values and a fingerprint of the query (text, filters, sort), so that a cursor is only accepted for its own query.
 */
@ApplicationScoped
public class CursorCodec {

    /** The {@code cursor} value that starts a cursor walk. */
    public static final String START = "*";

    private final ObjectMapper mapper;

    public CursorCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The token's contents. */
    record Token(int v, String f, String p, List<Object> a) {}

    public String encode(ListingQuery.Cursor cursor, String fingerprint) {
        try {
            byte[] json = mapper.writeValueAsBytes(new Token(1, fingerprint, cursor.pointInTime(), cursor.after()));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode a cursor", e);
        }
    }

    /**
     * @throws IllegalArgumentException with the reason, if the token is not one of ours or belongs to another query
     */
    public ListingQuery.Cursor decode(String token, String fingerprint) {
        Token decoded;
        try {
            decoded = mapper.readValue(Base64.getUrlDecoder().decode(token), Token.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new IllegalArgumentException("is not a cursor returned by this service");
        }
        if (decoded.v() != 1 || decoded.a() == null || decoded.a().isEmpty()) {
            throw new IllegalArgumentException("is not a cursor returned by this service");
        }
        if (!fingerprint.equals(decoded.f())) {
            throw new IllegalArgumentException(
                    "belongs to another query: repeat q, filters and sort unchanged with a cursor");
        }
        return new ListingQuery.Cursor(decoded.p(), decoded.a());
    }

    /** A short digest of what a cursor must not change. */
    public static String fingerprint(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
