package org.modelmarket.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Accepts the JWTs the gateway forwards for API tokens from any key of a configured set
 * ({@code modelmarket.gateway-tokens.public-keys}), chosen by the JWT's {@code kid}: one quarkus-oidc tenant per key
 * ({@code public-key} verification, created at startup through the extension's programmatic API), and this
 * {@link TenantResolver} picks the tenant whose key the {@code kid} names. The signature, issuer and expiry are checked
 * by quarkus-oidc as for any tenant; nothing here verifies anything.
 *
 * <p>Why not configuration alone: quarkus-oidc 3.32 verifies locally against one {@code public-key} per tenant (or a
 * certificate chain); a key set (JWKS) is only fetched over HTTP ({@code jwks-path}), and issuer-based tenant
 * resolution cannot tell two tenants of the same issuer apart. So a gateway JWT is accepted exactly when its {@code kid}
 * names a key of the set and that key signed it: one signed by a known key under another key's {@code kid} fails that
 * tenant's signature check, and one whose {@code kid} names no key of the set gets no tenant here and goes to the
 * default (Keycloak) tenant, which refuses it (unknown key, wrong issuer). Both are 401.
 */
@ApplicationScoped
public class GatewayTokenTenants implements TenantResolver {

    private static final Logger LOG = Logger.getLogger(GatewayTokenTenants.class);

    /** Tenant ids are this prefix and the key's id. */
    public static final String TENANT_PREFIX = "gateway-";

    private final GatewayTokensConfig config;

    /** kid → its key, in the configured order. */
    private final Map<String, RSAPublicKey> keys;

    GatewayTokenTenants(GatewayTokensConfig config) {
        this.config = config;
        this.keys = config.enabled() ? keysOf(config) : Map.of();
    }

    private static Map<String, RSAPublicKey> keysOf(GatewayTokensConfig config) {
        if (config.issuer().filter(issuer -> !issuer.isBlank()).isEmpty()) {
            throw new IllegalStateException("modelmarket.gateway-tokens.issuer is required when API tokens are on");
        }
        List<RSAPublicKey> parsed = GatewayKeys.parse(config.publicKeys().orElse(""));
        if (parsed.isEmpty()) {
            throw new IllegalStateException(
                    "modelmarket.gateway-tokens.public-keys names no key: the gateway's JWTs could not be accepted");
        }
        Map<String, RSAPublicKey> byId = new LinkedHashMap<>();
        parsed.forEach(key -> byId.put(GatewayKeys.keyId(key), key));
        return Collections.unmodifiableMap(byId);
    }

    /** One service tenant per key, made when quarkus-oidc sets up its static tenants. */
    void createTenants(@Observes Oidc oidc) {
        keys.forEach((kid, key) -> oidc.create(OidcTenantConfig.builder()
                .tenantId(TENANT_PREFIX + kid)
                .applicationType(ApplicationType.SERVICE)
                .publicKey(GatewayKeys.base64(key))
                .token()
                .issuer(config.issuer().orElseThrow())
                .principalClaim("sub")
                .end()
                .build()));
        if (!keys.isEmpty()) {
            LOG.infof("Gateway tokens accepted from %d key(s): kid %s", keys.size(), String.join(", ", keys.keySet()));
        }
    }

    /** The tenant of the key the bearer JWT's {@code kid} names; {@code null} (the other resolvers decide) otherwise. */
    @Override
    public String resolve(RoutingContext context) {
        if (keys.isEmpty()) {
            return null;
        }
        String kid = keyId(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        return kid != null && keys.containsKey(kid) ? TENANT_PREFIX + kid : null;
    }

    /** The {@code kid} of a bearer JWT's protected header, or {@code null} for anything else. */
    static String keyId(String authorization) {
        String token = VerifiedBearerMechanism.bearerToken(authorization);
        if (token == null) {
            return null;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            byte[] header = Base64.getUrlDecoder().decode(token.substring(0, dot));
            return new JsonObject(new String(header, StandardCharsets.UTF_8)).getString("kid");
        } catch (RuntimeException e) {
            // not base64url, not JSON, or kid not a string: not a token this resolver can place
            return null;
        }
    }
}
