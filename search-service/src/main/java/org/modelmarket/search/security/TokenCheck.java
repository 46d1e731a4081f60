package org.modelmarket.search.security;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.modelmarket.platform.security.CallerContext;

import io.smallrye.mutiny.Uni;

/**
 * Refuses a request whose bearer token is invalid or expired, also on the endpoints anyone may call. Authentication
 * is lazy (so that 401/403 go through the platform's problem mappers), which alone would ignore a bad token where no
 * role is required; resolving the caller here, without blocking, makes it fail as a 401 problem instead.
 */
public class TokenCheck {

    private final CallerContext callers;

    public TokenCheck(CallerContext callers) {
        this.callers = callers;
    }

    @ServerRequestFilter
    public Uni<Void> resolveCaller(HttpHeaders headers) {
        // without credentials there is nothing to refuse: skip resolving an anonymous identity on every search
        if (headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            return Uni.createFrom().voidItem();
        }
        return callers.caller().replaceWithVoid();
    }
}
