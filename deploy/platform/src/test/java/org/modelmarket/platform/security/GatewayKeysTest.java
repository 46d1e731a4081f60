package org.modelmarket.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The key set's parsing and the {@code kid} the gateway and the services derive from a key. */
class GatewayKeysTest {

    /** RFC 7638 §3.1: the example RSA key and its published SHA-256 thumbprint. */
    private static final String RFC_N =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
                    + "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicA"
                    + "taSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G"
                    + "_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

    @Test
    void keyIdIsTheRfc7638Thumbprint() throws Exception {
        PublicKey key = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, Base64.getUrlDecoder().decode(RFC_N)), BigInteger.valueOf(65537)));

        assertThat(GatewayKeys.keyId(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    @Test
    void parsesPemBlocksAndBareBase64InAnyMix() throws Exception {
        PublicKey a = newKey();
        PublicKey b = newKey();
        PublicKey c = newKey();
        String pemA = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(a.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        // a PEM file of two keys (cat old.pub new.pub), then a bare key after a comma
        String text = pemA + "-----BEGIN PUBLIC KEY-----\n" + GatewayKeys.base64(b) + "\n-----END PUBLIC KEY-----\n, "
                + GatewayKeys.base64(c);

        assertThat(GatewayKeys.parse(text)).<PublicKey>extracting(key -> key).containsExactly(a, b, c);
        assertThat(GatewayKeys.parse(GatewayKeys.base64(a) + "," + GatewayKeys.base64(b)))
                .extracting(GatewayKeys::keyId)
                .containsExactly(GatewayKeys.keyId(a), GatewayKeys.keyId(b))
                .doesNotHaveDuplicates();
        assertThat(GatewayKeys.parse(" \n ")).isEmpty();
    }

    @Test
    void aValueThatIsNotAnRsaPublicKeyFailsNamingItsPosition() throws Exception {
        String good = GatewayKeys.base64(newKey());

        assertThatThrownBy(() -> GatewayKeys.parse(good + ",bm90IGEga2V5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 2 is not an RSA public key");
    }

    @Test
    void theKidOfABearerJwtIsReadFromItsHeaderOnly() {
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"RS256\",\"kid\":\"abc-_1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(GatewayTokenTenants.keyId("Bearer " + header + ".e30.sig")).isEqualTo("abc-_1");
        assertThat(GatewayTokenTenants.keyId("bearer " + header + ".e30.sig")).isEqualTo("abc-_1");
        assertThat(GatewayTokenTenants.keyId("Basic " + header)).isNull();
        assertThat(GatewayTokenTenants.keyId("Bearer hf_abcdef")).isNull();
        assertThat(GatewayTokenTenants.keyId("Bearer !!!.e30.sig")).isNull();
        assertThat(GatewayTokenTenants.keyId(null)).isNull();
    }

    private static PublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPublic();
    }
}
