package org.modelmarket.platform.security;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * The gateway's public keys as the services are given them, and the {@code kid} that names each: the same function on
 * both sides (the gateway names its signing key with it), so no key id is ever configured by hand.
 */
public final class GatewayKeys {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", Pattern.DOTALL);

    private GatewayKeys() {}

    /**
     * The key's RFC 7638 JWK thumbprint (SHA-256, base64url): derived from the key alone, so a new key always gets a
     * new id and the same key the same id on every replica.
     */
    public static String keyId(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a key a JWK can hold: " + key.getAlgorithm(), e);
        }
    }

    /**
     * The RSA public keys in {@code text}: PEM blocks ({@code -----BEGIN PUBLIC KEY-----}) and bare base64 X.509 keys,
     * separated by commas or white space, in any mix. A value that is not such a key fails, naming its position.
     */
    public static List<RSAPublicKey> parse(String text) {
        List<String> encoded = new ArrayList<>();
        Matcher pem = PEM.matcher(text);
        StringBuilder rest = new StringBuilder();
        while (pem.find()) {
            encoded.add(pem.group(1).replaceAll("\\s", ""));
            pem.appendReplacement(rest, ",");
        }
        pem.appendTail(rest);
        for (String bare : rest.toString().split("[,\\s]+")) {
            if (!bare.isEmpty()) {
                encoded.add(bare);
            }
        }
        List<RSAPublicKey> keys = new ArrayList<>();
        for (String base64 : encoded) {
            keys.add(rsaPublicKey(base64, keys.size() + 1));
        }
        return List.copyOf(keys);
    }

    /** Bare base64 of the key's X.509 encoding, as quarkus-oidc's {@code public-key} setting takes it. */
    public static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static RSAPublicKey rsaPublicKey(String base64, int position) {
        try {
            PublicKey key = KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return (RSAPublicKey) key;
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "modelmarket.gateway-tokens.public-keys: key " + position
                            + " is not an RSA public key (X.509, PEM or base64)",
                    e);
        }
    }
}
