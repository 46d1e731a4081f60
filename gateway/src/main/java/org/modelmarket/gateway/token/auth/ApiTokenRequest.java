package org.modelmarket.gateway.token.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request to authenticate an {@code hf_...} secret sent as a bearer token. */
public final class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String secret;

    public ApiTokenRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
